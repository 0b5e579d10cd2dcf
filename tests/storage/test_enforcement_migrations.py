"""Migration 0002 (enforcement tables) up and down on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from jingwang.adapters.storage import migrate

ENFORCEMENT_TABLES = {
    "subjects",
    "accounts",
    "groups",
    "registrations",
    "content_events",
    "enforcement_actions",
    "audit_log",
}


def test_downgrade_to_0001_drops_only_the_enforcement_tables(sql_engine: Engine) -> None:
    migrate.upgrade(sql_engine)
    assert set(inspect(sql_engine).get_table_names()) >= ENFORCEMENT_TABLES
    migrate.downgrade(sql_engine, "0001")
    tables = set(inspect(sql_engine).get_table_names())
    assert migrate.current_revision(sql_engine) == "0001"
    assert "api_keys" in tables
    assert not ENFORCEMENT_TABLES & tables
    migrate.upgrade(sql_engine)
    assert set(inspect(sql_engine).get_table_names()) >= ENFORCEMENT_TABLES


def test_hot_lookups_are_indexed(sql_engine: Engine) -> None:
    migrate.upgrade(sql_engine)
    inspector = inspect(sql_engine)

    def indexed(table: str) -> set[tuple[str, ...]]:
        return {tuple(index["column_names"]) for index in inspector.get_indexes(table)}  # type: ignore[misc]

    assert ("account_id", "at") in indexed("content_events")
    assert ("target_type", "target_id") in indexed("enforcement_actions")
    assert ("subject_id",) in indexed("accounts")
