"""The packaged Alembic migrations, up and down, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from jingwang.adapters.storage import SqlStorage, StorageError, migrate
from jingwang.adapters.storage.models import Base


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_upgrade_creates_the_schema_and_is_idempotent(sql_engine: Engine) -> None:
    migrate.upgrade(sql_engine)
    migrate.upgrade(sql_engine)
    assert migrate.current_revision(sql_engine) == migrate.head_revision()
    assert {"api_keys", "alembic_version"} <= _tables(sql_engine)


def test_migrated_schema_matches_the_models(sql_engine: Engine) -> None:
    migrate.upgrade(sql_engine)
    with sql_engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_downgrade_removes_everything_and_upgrade_restores_it(sql_engine: Engine) -> None:
    migrate.upgrade(sql_engine)
    migrate.downgrade(sql_engine, "base")
    assert migrate.current_revision(sql_engine) is None
    assert "api_keys" not in _tables(sql_engine)
    migrate.upgrade(sql_engine)
    assert "api_keys" in _tables(sql_engine)


def test_unreachable_database_is_a_storage_error_without_the_password() -> None:
    storage = SqlStorage.from_url("postgresql+psycopg://jw:s3cret@127.0.0.1:1/jingwang")
    assert not storage.ping()
    with pytest.raises(StorageError, match="not usable") as raised:
        storage.migrate()
    assert "s3cret" not in str(raised.value)
    storage.close()


@pytest.mark.parametrize("url", ["nosuchdialect://x", "not a url"])
def test_unusable_url_is_a_storage_error(url: str) -> None:
    with pytest.raises(StorageError, match="cannot use database URL"):
        SqlStorage.from_url(url)
