"""Storage back ends for the shared repository suite: in-memory, SQLite and PostgreSQL.

PostgreSQL comes from ``JINGWANG_TEST_POSTGRES_URL`` (default: the local ``test``
database). Each test gets a schema of its own, so parallel runs never see each other's
rows. Without a server the PostgreSQL cases skip, except under ``CI=true``, where a
missing server is a broken environment and fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jingwang.adapters.storage import InMemoryStorage, SqlStorage, Storage


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def storage(request: pytest.FixtureRequest) -> Iterator[Storage]:
    if request.param == "memory":
        yield InMemoryStorage()
        return
    sql_storage = SqlStorage(request.getfixturevalue(f"{request.param}_engine"))
    sql_storage.migrate()
    yield sql_storage
