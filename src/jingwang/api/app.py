"""The FastAPI application factory; nothing connects until the app starts."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from jingwang import __version__
from jingwang.adapters.enforcement import (
    Clock,
    EnforcementService,
    IdentityHasher,
    pepper_from_environment,
    system_clock,
)
from jingwang.adapters.review import ReviewConfig, ReviewService, review_store_for
from jingwang.adapters.scanner import configured_scanner
from jingwang.adapters.storage import SqlStorage, Storage
from jingwang.api.deps import Services
from jingwang.api.errors import install_error_handlers
from jingwang.api.limits import BodySizeLimit
from jingwang.api.ratelimit import limiter_from_settings
from jingwang.api.routes import (
    accounts,
    actions,
    appeals,
    audit,
    events,
    groups,
    health,
    keys,
    reports,
    reports_public,
    reviews,
    scan,
    subjects,
    transparency_page,
)
from jingwang.api.routes.enforcement_common import install_enforcement_errors
from jingwang.console import install_console
from jingwang.core.pipeline import Scanner
from jingwang.core.policy import Policy, default_policy
from jingwang.settings import Settings, load_settings

DESCRIPTION = """\
Content moderation for Chinese-language apps.

Every endpoint except `/healthz` needs `Authorization: Bearer <api key>`; create a key
with `jingwang keys create --role ROLE`. Errors come as `{"error": {"code", "message"}}`.
"""


def _open_storage(settings: Settings) -> Storage:
    storage = SqlStorage.from_url(settings.database_url)
    try:
        storage.migrate()
    except BaseException:
        storage.close()
        raise
    return storage


@asynccontextmanager
async def _storage_for(settings: Settings, given: Storage | None) -> AsyncIterator[Storage]:
    """The caller's storage as it is, or the settings' database, migrated, then closed."""
    if given is not None:
        yield given
        return
    storage = await run_in_threadpool(_open_storage, settings)
    try:
        yield storage
    finally:
        storage.close()


def create_app(
    settings: Settings | None = None,
    scanner: Scanner | None = None,
    storage: Storage | None = None,
    *,
    policy: Policy | None = None,
    clock: Clock = system_clock,
) -> FastAPI:
    """Build the app; the database and detectors are opened when it starts serving.

    ``storage`` defaults to the SQL database of ``settings`` (migrated at start-up and
    closed at shutdown); a storage passed in belongs to the caller, which migrates and
    closes it. ``scanner`` defaults to every installed detector, ``policy`` to the
    built-in enforcement policy; ``clock`` tells enforcement what time it is.
    """
    resolved = settings or load_settings()
    # Read now, so that a missing production secret stops start-up, not a request.
    hasher = IdentityHasher(pepper_from_environment(resolved))
    active_policy = policy or default_policy()
    review_config = ReviewConfig.from_environment()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[dict[str, Any]]:
        async with _storage_for(resolved, storage) as active_storage:
            active_scanner = scanner
            if active_scanner is None:
                # Loading detectors (automata, models) blocks; keep it off the event loop.
                active_scanner = await run_in_threadpool(
                    functools.partial(configured_scanner, resolved, service=True)
                )
            enforcement = EnforcementService(active_storage, active_policy, hasher, clock)
            services = Services(resolved, active_storage, active_scanner, enforcement)
            review = ReviewService(
                review_store_for(active_storage),
                active_storage,
                active_scanner,
                enforcement,
                clock=clock,
                config=review_config,
            )
            # Per-key rate limits, checked by ``current_key`` after authentication.
            rate_limiter = limiter_from_settings(resolved)
            try:
                yield {"services": services, "rate_limiter": rate_limiter, "review": review}
            finally:
                if rate_limiter is not None:
                    rate_limiter.close()

    app = FastAPI(
        title="jingwang 净网",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    install_error_handlers(app)
    install_enforcement_errors(app)
    app.add_middleware(BodySizeLimit, max_bytes=resolved.max_body_bytes)
    for module in (health, scan, keys, accounts, events, subjects, groups, actions, audit):
        app.include_router(module.router)
    app.include_router(reports_public.router)
    app.include_router(transparency_page.router)
    for review_module in (reports, reviews, appeals):
        app.include_router(review_module.router)
    install_console(app, resolved)
    return app
