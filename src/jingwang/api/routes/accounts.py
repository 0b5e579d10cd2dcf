"""``/v1/accounts``: registering accounts and reading their enforcement status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from jingwang.adapters.enforcement import NewAccount
from jingwang.adapters.storage import ApiKey
from jingwang.api.deps import ServicesDep, require_roles
from jingwang.api.errors import ApiError
from jingwang.api.routes.common import AUTH_ERRORS, INVALID_REQUEST, NOT_FOUND
from jingwang.api.routes.enforcement_common import (
    CONFLICT,
    STATUS_READERS,
    WRITERS,
    account_public,
    actor_of,
)
from jingwang.api.schemas import AccountCreate, AccountPublic

router = APIRouter(prefix="/v1/accounts", tags=["enforcement"], responses=AUTH_ERRORS)


@router.post("", status_code=201, responses={**INVALID_REQUEST, **CONFLICT})
def register_account(
    body: AccountCreate,
    services: ServicesDep,
    key: Annotated[ApiKey, Depends(require_roles(*WRITERS))],
) -> AccountPublic:
    """Register an account; 403 ``subject_barred`` when its subject may not register.

    An account of a subject with a record starts with that record (the policy's
    ``subjects.inherit_history``).
    """
    registration = services.enforcement.register(NewAccount(**body.model_dump()), actor_of(key))
    if registration.account is None:
        reason = registration.refusal.reason if registration.refusal else "registration refused"
        raise ApiError(403, "subject_barred", reason)
    return account_public(registration.account)


@router.get(
    "/{account_id}",
    dependencies=[Depends(require_roles(*STATUS_READERS))],
    responses=NOT_FOUND,
)
def get_account(account_id: str, services: ServicesDep) -> AccountPublic:
    """The account's status now: expired restrictions and strikes no longer count."""
    view = services.enforcement.account(account_id)
    if view is None:
        raise ApiError(404, "account_not_found", f"no account {account_id}")
    return account_public(view)
