"""``POST /v1/actions``: a moderator's or admin's manual measure, with its reason."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends

from jingwang.adapters.enforcement import ManualAction, ManualTarget
from jingwang.adapters.storage import ApiKey
from jingwang.api.deps import ServicesDep, require_roles
from jingwang.api.routes.common import AUTH_ERRORS, INVALID_REQUEST, NOT_FOUND
from jingwang.api.routes.enforcement_common import ACTORS, CONFLICT, action_public, actor_of
from jingwang.api.schemas import ActionCreate, ActionsPublic

router = APIRouter(prefix="/v1/actions", tags=["enforcement"], responses=AUTH_ERRORS)


@router.post("", status_code=201, responses={**INVALID_REQUEST, **NOT_FOUND, **CONFLICT})
def take_action(
    body: ActionCreate,
    services: ServicesDep,
    key: Annotated[ApiKey, Depends(require_roles(*ACTORS))],
) -> ActionsPublic:
    """Apply the action; the response lists the stored actions (``bar_subject`` stores
    two: registration and verification)."""
    target_type, target_id = body.target.split(":", 1)
    manual = ManualAction(
        kind=body.kind,
        # The schema's pattern admits only these three types.
        target_type=cast(ManualTarget, target_type),
        target_id=target_id,
        reason=body.reason,
        capability=body.capability,
        until=body.until,
    )
    records = services.enforcement.act(manual, actor_of(key))
    return ActionsPublic(actions=[action_public(record) for record in records])
