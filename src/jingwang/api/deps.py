"""Request dependencies: the running services and the caller's API key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from jingwang.adapters.enforcement import EnforcementService
from jingwang.adapters.storage import ApiKey, Role, Storage, hash_key
from jingwang.api.errors import ApiError
from jingwang.api.keycache import ApiKeyCache
from jingwang.api.ratelimit import RateLimiter, key_bucket
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings


@dataclass(frozen=True, slots=True)
class Services:
    """What the app's lifespan opened; handed to every request."""

    settings: Settings
    storage: Storage
    scanner: Scanner
    enforcement: EnforcementService
    keys: ApiKeyCache


# ``async`` dependencies run on the event loop; a plain ``def`` one would cost every
# request a hop through the thread pool.
async def get_services(request: Request) -> Services:
    services: Services = request.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]

# auto_error=False: a missing header must give our 401 body, not FastAPI's 403.
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer jw_…`")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


async def current_key(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiKey:
    """The caller's active key, or 401; 429 when the key is over its rate limit."""
    if credentials is None:
        raise ApiError(
            401, "missing_key", "send an API key as 'Authorization: Bearer <key>'", _CHALLENGE
        )
    key_hash = hash_key(credentials.credentials)
    found, key = services.keys.cached(key_hash)
    if not found:  # the database, off the event loop
        key = await run_in_threadpool(services.keys.find, key_hash)
    if key is None or not key.active:
        raise ApiError(401, "invalid_key", "the API key is unknown or revoked", _CHALLENGE)
    # Counted per key, after authentication: 429 once the key's bucket is empty.
    limiter: RateLimiter | None = getattr(request.state, "rate_limiter", None)
    if limiter is not None:
        if limiter.does_io:  # Redis: off the event loop
            await run_in_threadpool(limiter.check, key_bucket(key.id))
        else:
            limiter.check(key_bucket(key.id))
    return key


CurrentKey = Annotated[ApiKey, Depends(current_key)]


def require_roles(*roles: Role) -> Callable[[ApiKey], Awaitable[ApiKey]]:
    """A dependency that lets through only keys holding one of ``roles``."""
    allowed = frozenset(roles)

    async def check_role(key: CurrentKey) -> ApiKey:
        if key.role not in allowed:
            needed = ", ".join(sorted(allowed))
            raise ApiError(403, "forbidden", f"this endpoint needs one of the roles: {needed}")
        return key

    return check_role
