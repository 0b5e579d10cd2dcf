"""``/v1/groups``: recording groups with their owner and admins, and reading status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from jingwang.adapters.storage import ApiKey
from jingwang.api.deps import ServicesDep, require_roles
from jingwang.api.errors import ApiError
from jingwang.api.routes.common import AUTH_ERRORS, INVALID_REQUEST, NOT_FOUND
from jingwang.api.routes.enforcement_common import (
    CONFLICT,
    STATUS_READERS,
    WRITERS,
    actor_of,
    group_public,
)
from jingwang.api.schemas import GroupCreate, GroupPublic

router = APIRouter(prefix="/v1/groups", tags=["enforcement"], responses=AUTH_ERRORS)


@router.post("", status_code=201, responses={**INVALID_REQUEST, **CONFLICT})
def create_group(
    body: GroupCreate,
    services: ServicesDep,
    key: Annotated[ApiKey, Depends(require_roles(*WRITERS))],
) -> GroupPublic:
    """Record a group, so that its owner answers for violations posted in it. A group
    first seen in an event is recorded without an owner."""
    view = services.enforcement.create_group(body.id, body.owner, body.admins, actor_of(key))
    return group_public(view)


@router.get(
    "/{group_id}",
    dependencies=[Depends(require_roles(*STATUS_READERS))],
    responses=NOT_FOUND,
)
def get_group(group_id: str, services: ServicesDep) -> GroupPublic:
    view = services.enforcement.group(group_id)
    if view is None:
        raise ApiError(404, "group_not_found", f"no group {group_id}")
    return group_public(view)
