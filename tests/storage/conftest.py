"""Storage back ends for the shared repository suite: in-memory, SQLite and PostgreSQL.

PostgreSQL comes from ``JINGWANG_TEST_POSTGRES_URL`` (default: the local ``test``
database). Each test gets a schema of its own, so parallel runs never see each other's
rows. Without a server the PostgreSQL cases skip, except under ``CI=true``, where a
missing server is a broken environment and fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from jingwang.adapters.storage import InMemoryStorage, SqlStorage, Storage

POSTGRES_URL = os.environ.get(
    "JINGWANG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def postgresql_url() -> str:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except (SQLAlchemyError, ImportError) as exc:
        reason = f"PostgreSQL at {POSTGRES_URL} is unusable: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true requires it)")
        pytest.skip(reason)
    return POSTGRES_URL


@pytest.fixture
def postgresql_engine(postgresql_url: str) -> Iterator[Engine]:
    schema = f"jw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgresql_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(postgresql_url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'jingwang.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_engine(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return engine


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def storage(request: pytest.FixtureRequest) -> Iterator[Storage]:
    if request.param == "memory":
        yield InMemoryStorage()
        return
    sql_storage = SqlStorage(request.getfixturevalue(f"{request.param}_engine"))
    sql_storage.migrate()
    yield sql_storage
