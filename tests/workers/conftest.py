"""Fixtures for the queue and worker suites: real Redis, NATS and PostgreSQL.

Each test works on streams and schemas of its own and removes them afterwards. Without
a server the cases that need it skip, except under ``CI=true``, where a missing server
is a broken environment and fails.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nats
import pytest
import redis
from nats.js.errors import NotFoundError
from sqlalchemy import create_engine, text

from jingwang.adapters.enforcement import EnforcementService, IdentityHasher, NewAccount
from jingwang.adapters.queue import EventQueue, MemoryBroker, open_queue
from jingwang.adapters.storage import SqlStorage
from jingwang.core.pipeline import Scanner
from jingwang.core.policy import default_policy

REDIS_URL = os.environ.get("JINGWANG_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
NATS_URL = os.environ.get("JINGWANG_TEST_NATS_URL", "nats://127.0.0.1:4222")
POSTGRES_URL = os.environ.get(
    "JINGWANG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
PEPPER = "test-pepper"

QueueFactory = Callable[..., EventQueue]


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true requires it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at {REDIS_URL} is unreachable: {exc}")
    return REDIS_URL


def run_coroutine(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run ``coroutine`` to completion on a fresh loop in its own thread.

    Other tests of the session (Playwright's sync API, for one) may leave an event loop
    running in the main thread, where ``asyncio.run`` refuses to start.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def _nats_ping(url: str) -> None:
    connection = await nats.connect(url, connect_timeout=2, max_reconnect_attempts=0)
    try:
        await connection.jetstream().account_info()
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def nats_url() -> str:
    try:
        run_coroutine(_nats_ping(NATS_URL))
    except Exception as exc:
        unavailable(f"NATS JetStream at {NATS_URL} is unusable: {exc!r}")
    return NATS_URL


def _drop_redis(url: str, stream: str) -> None:
    client = redis.Redis.from_url(url)
    client.delete(stream, f"{stream}:dead")
    client.close()


async def _drop_nats(url: str, stream: str) -> None:
    connection = await nats.connect(url)
    try:
        await connection.jetstream().delete_stream(stream)
    except NotFoundError:
        pass
    finally:
        await connection.close()


def drop_stream(kind: str, url: str, stream: str) -> None:
    if kind == "redis":
        _drop_redis(url, stream)
    elif kind == "nats":
        run_coroutine(_drop_nats(url, stream))


@pytest.fixture(params=["memory", "redis", "nats"])
def queue_kind(request: pytest.FixtureRequest) -> tuple[str, str]:
    """The back end and its URL."""
    kind: str = request.param
    if kind == "memory":
        return kind, ""
    return kind, request.getfixturevalue(f"{kind}_url")


@pytest.fixture
def make_queue(queue_kind: tuple[str, str]) -> Iterator[QueueFactory]:
    """Consumer handles of one group on a stream of the test's own."""
    kind, url = queue_kind
    stream = f"jwtest_{uuid.uuid4().hex[:12]}"
    broker = MemoryBroker()
    opened: list[EventQueue] = []

    def make(consumer: str = "c1", redeliver_after_s: float = 30.0) -> EventQueue:
        queue = open_queue(
            kind,  # type: ignore[arg-type]
            url or None,
            stream=stream,
            consumer=consumer,
            redeliver_after_s=redeliver_after_s,
            broker=broker,
        )
        opened.append(queue)
        return queue

    yield make
    for queue in opened:
        queue.close()
    drop_stream(kind, url, stream)


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    return Scanner.from_names()


@pytest.fixture
def postgresql_database(postgresql_url: str) -> Iterator[str]:
    """A URL whose connections work in a schema of this test's own."""
    schema = f"jw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgresql_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{postgresql_url}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'jingwang.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_database")
    return url


def service_for(url: str) -> EnforcementService:
    storage = SqlStorage.from_url(url)
    storage.migrate()
    return EnforcementService(storage, default_policy(), IdentityHasher(PEPPER), lambda: T0)


def register_accounts(service: EnforcementService, count: int) -> list[str]:
    ids = [f"acct{n}" for n in range(count)]
    for n, account in enumerate(ids):
        document = f"11010119900307{n:04d}"
        new = NewAccount(account, "personal", f"subj{n}", document, f"138{n:08d}", "d", "ip", T0)
        service.register(new, "test")
    return ids


def event(
    event_id: str, account: str, text: str = "加我微信 wx123456 低价出售银行卡"
) -> dict[str, str]:
    return {"event_id": event_id, "account": account, "at": T0.isoformat(), "text": text}
