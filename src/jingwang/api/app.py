"""The FastAPI application factory; nothing connects until the app starts."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from jingwang import __version__
from jingwang.adapters.campaigns import CampaignStore, CampaignStoreError
from jingwang.adapters.enforcement import (
    Clock,
    IdentityHasher,
    pepper_from_environment,
    system_clock,
)
from jingwang.adapters.gangs import GangEnforcement
from jingwang.adapters.review import ReviewConfig, ReviewService, review_store_for
from jingwang.adapters.scanner import configured_scanner
from jingwang.adapters.storage import PoolOptions, SqlStorage, Storage
from jingwang.api.deps import Services
from jingwang.api.errors import install_error_handlers
from jingwang.api.keycache import ApiKeyCache
from jingwang.api.limits import BodySizeLimit
from jingwang.api.ratelimit import limiter_from_settings
from jingwang.api.routes import (
    accounts,
    actions,
    appeals,
    audit,
    campaigns,
    events,
    gangs,
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
from jingwang.runtime import keep_startup_objects_out_of_collections
from jingwang.settings import Settings, load_settings

_log = logging.getLogger(__name__)

DESCRIPTION = """\
Content moderation for Chinese-language apps.

Every endpoint except `/healthz` needs `Authorization: Bearer <api key>`; create a key
with `jingwang keys create --role ROLE`. Errors come as `{"error": {"code", "message"}}`.
"""


def _open_storage(settings: Settings) -> Storage:
    storage = SqlStorage.from_url(settings.database_url, PoolOptions.from_settings(settings))
    try:
        storage.migrate()
    except BaseException:
        storage.close()
        raise
    return storage


def _open_campaigns(settings: Settings) -> CampaignStore | None:
    """The campaign index on disk; ``None`` (the app then keeps one in memory) when the
    directory is held by another process, such as a second worker."""
    try:
        return CampaignStore.open(settings.campaign_index_path)
    except CampaignStoreError as exc:
        _log.warning("campaign index not opened, keeping one in memory: %s", exc)
        return None


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
    campaign_index: CampaignStore | None = None,
) -> FastAPI:
    """Build the app; the database and detectors are opened when it starts serving.

    ``storage`` defaults to the SQL database of ``settings`` (migrated at start-up and
    closed at shutdown); a storage passed in belongs to the caller, which migrates and
    closes it. ``scanner`` defaults to every installed detector, ``policy`` to the
    built-in enforcement policy; ``clock`` tells enforcement what time it is.
    ``campaign_index`` (the caller's, left open) defaults to the index at
    ``settings.campaign_index_path`` when the app opens its own storage, and to an
    in-memory index beside a caller's storage.
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
            enforcement = GangEnforcement(active_storage, active_policy, hasher, clock)
            # The gang graph lives in memory: rebuilt from the stored registrations.
            await run_in_threadpool(enforcement.gangs.rebuild, active_storage)
            keys = ApiKeyCache(active_storage.api_keys, resolved.api_key_cache_seconds)
            services = Services(resolved, active_storage, active_scanner, enforcement, keys)
            review = ReviewService(
                review_store_for(active_storage),
                active_storage,
                active_scanner,
                enforcement,
                clock=clock,
                config=review_config,
            )
            # Near-duplicate campaigns: on disk beside the app's own database.
            owned_index: CampaignStore | None = None
            if campaign_index is None and storage is None:
                owned_index = await run_in_threadpool(_open_campaigns, resolved)
            # A store's truth value is its length: compare with None, never ``or``.
            index = campaign_index if campaign_index is not None else owned_index
            if index is None:
                index = CampaignStore.in_memory()
            # Per-key rate limits, checked by ``current_key`` after authentication.
            rate_limiter = limiter_from_settings(resolved)
            keep_startup_objects_out_of_collections()
            state = {"services": services, "rate_limiter": rate_limiter, "review": review}
            try:
                yield {
                    **state,
                    "gangs": enforcement.gangs,
                    "campaigns": index,
                }
            finally:
                if rate_limiter is not None:
                    rate_limiter.close()
                if owned_index is not None:
                    owned_index.close()

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
    app.include_router(gangs.router)
    app.include_router(campaigns.router)
    install_console(app, resolved)
    return app
