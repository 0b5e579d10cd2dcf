"""PostgreSQL's connection pool as configured by settings, on the real server."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from jingwang.adapters.storage import PoolOptions, SqlStorage
from jingwang.settings import Settings


def test_settings_shape_the_pool(postgresql_url: str) -> None:
    settings = Settings(
        database_url=postgresql_url,
        database_pool_size=3,
        database_max_overflow=2,
        database_pool_timeout_s=4.0,
        database_pool_recycle_s=600,
    )
    storage = SqlStorage.from_url(settings.database_url, PoolOptions.from_settings(settings))
    try:
        pool = storage.engine.pool
        assert pool.size() == 3  # type: ignore[attr-defined]
        assert pool._max_overflow == 2  # type: ignore[attr-defined]
        assert pool._timeout == 4.0  # type: ignore[attr-defined]
        assert pool._recycle == 600
        assert pool._pre_ping
        assert storage.ping()
    finally:
        storage.close()


def test_a_full_pool_makes_callers_wait_then_fail_within_the_timeout(postgresql_url: str) -> None:
    storage = SqlStorage.from_url(
        postgresql_url, PoolOptions(size=2, max_overflow=0, timeout_s=0.5)
    )
    try:
        held = [storage.engine.connect() for _ in range(2)]
        started = time.monotonic()
        with pytest.raises(PoolTimeoutError):
            storage.engine.connect()
        assert 0.4 < time.monotonic() - started < 5
        held[0].close()  # one returned: the next caller gets it
        with storage.engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
        held[1].close()
    finally:
        storage.close()


def test_many_threads_share_a_small_pool(postgresql_url: str) -> None:
    storage = SqlStorage.from_url(postgresql_url, PoolOptions(size=2, max_overflow=1, timeout_s=10))
    errors: list[BaseException] = []
    backends: set[int] = set()
    lock = threading.Lock()

    def work() -> None:
        try:
            for _ in range(5):
                with storage.engine.connect() as connection:
                    pid = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
                    connection.execute(text("SELECT pg_sleep(0.01)"))
                with lock:
                    backends.add(pid)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(12)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors
        assert 1 <= len(backends) <= 3  # never more server connections than the pool allows
    finally:
        storage.close()


def test_sqlite_ignores_the_pool_options(tmp_path) -> None:  # type: ignore[no-untyped-def]
    storage = SqlStorage.from_url(f"sqlite:///{tmp_path / 'x.db'}", PoolOptions(size=1))
    try:
        assert storage.ping()
    finally:
        storage.close()
