"""``/v1/keys``: issuing, listing and revoking API keys (admins only)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends

from jingwang.adapters.storage import Role, issue_key
from jingwang.api.deps import ServicesDep, require_roles
from jingwang.api.errors import ApiError
from jingwang.api.routes.common import AUTH_ERRORS, INVALID_REQUEST, NOT_FOUND
from jingwang.api.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic, ApiKeysPublic

logger = logging.getLogger(__name__)

router = APIRouter(
    prefix="/v1/keys",
    tags=["keys"],
    dependencies=[Depends(require_roles(Role.ADMIN))],
    responses=AUTH_ERRORS,
)


@router.get("")
def list_keys(services: ServicesDep) -> ApiKeysPublic:
    """Every key, revoked ones included; never the keys themselves."""
    return ApiKeysPublic(keys=[ApiKeyPublic.of(k) for k in services.storage.api_keys.list()])


@router.post("", status_code=201, responses=INVALID_REQUEST)
def create_key(body: ApiKeyCreate, services: ServicesDep) -> ApiKeyCreated:
    """Issue a key; the response is the only place the key ever appears."""
    issued = issue_key(services.storage.api_keys, body.name, body.role)
    # The prefix identifies the key in logs; the key itself is never logged.
    logger.info("issued API key %s (%s)", issued.record.key_prefix, issued.record.role)
    return ApiKeyCreated(**ApiKeyPublic.of(issued.record).model_dump(), key=issued.secret)


@router.delete("/{key_id}", responses=NOT_FOUND)
def revoke_key(key_id: int, services: ServicesDep) -> ApiKeyPublic:
    """Revoke a key at once; revoking a revoked key changes nothing."""
    key = services.storage.api_keys.revoke(key_id)
    services.keys.forget(key_id)
    if key is None:
        raise ApiError(404, "key_not_found", f"no API key with id {key_id}")
    logger.info("revoked API key %s", key.key_prefix)
    return ApiKeyPublic.of(key)
