"""Migration 0003 (review tables) up and down on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from jingwang.adapters.storage import migrate

REVIEW_TABLES = {"review_reports", "review_cases", "review_decisions", "reporter_reliability"}


def test_downgrade_to_0002_drops_only_the_review_tables(sql_engine: Engine) -> None:
    migrate.upgrade(sql_engine)
    assert set(inspect(sql_engine).get_table_names()) >= REVIEW_TABLES
    migrate.downgrade(sql_engine, "0002")
    tables = set(inspect(sql_engine).get_table_names())
    assert migrate.current_revision(sql_engine) == "0002"
    assert "audit_log" in tables
    assert not REVIEW_TABLES & tables
    migrate.upgrade(sql_engine)
    assert set(inspect(sql_engine).get_table_names()) >= REVIEW_TABLES
