"""Every read the enforcement path issues can be answered from an index on PostgreSQL.

With ``enable_seqscan`` off the planner still reads a whole table where no index fits
(a sequential scan, or a full index scan with a filter), so such a node in the plan of
a captured statement means a hot query would read its whole table once it is large.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, event, text

from jingwang.adapters.enforcement import (
    EnforcementService,
    IdentityHasher,
    IncomingEvent,
    NewAccount,
)
from jingwang.adapters.storage import SqlStorage
from jingwang.core.policy import default_policy
from jingwang.core.types import Decision, LabelResult

T0 = datetime(2025, 5, 1, 8, tzinfo=UTC)


_INDEX_SCANS = frozenset({"Index Scan", "Index Only Scan", "Bitmap Index Scan"})


def _whole_table_reads(plan: object) -> list[str]:
    """Relations (or indexes) a plan reads from end to end: sequential scans, and index
    scans without an index condition (the planner's way round ``enable_seqscan = off``
    when no index fits the filter)."""
    found: list[str] = []
    if isinstance(plan, dict):
        node = plan.get("Node Type")
        if node == "Seq Scan":
            found.append(str(plan.get("Relation Name")))
        elif node in _INDEX_SCANS and "Index Cond" not in plan:
            found.append(str(plan.get("Index Name")))
        for value in plan.values():
            found.extend(_whole_table_reads(value))
    elif isinstance(plan, list):
        for value in plan:
            found.extend(_whole_table_reads(value))
    return found


def test_registration_and_enforcement_reads_use_indexes(postgresql_engine: Engine) -> None:
    storage = SqlStorage(postgresql_engine)
    storage.migrate()
    service = EnforcementService(
        storage, default_policy(), IdentityHasher("pepper"), lambda: T0 + timedelta(days=1)
    )
    spam = Decision("d", "block", (LabelResult("spam", 0.95),))

    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and not executemany:
            statements.append((statement, parameters))

    event.listen(postgresql_engine, "before_cursor_execute", capture)
    try:
        for n in range(3):
            account = NewAccount(
                f"a{n}",
                "personal",
                "s1",
                "110101199003071234",
                "13812345678",
                "dev",
                "10.0.0.1",
                T0,
            )
            service.register(account, "service:app")
        for n in range(3):
            service.record_event(IncomingEvent(f"e{n}", "a0", T0 + timedelta(hours=n)), spam)
        service.record_event(IncomingEvent("g1", "a1", T0, group="g1"), spam)
    finally:
        event.remove(postgresql_engine, "before_cursor_execute", capture)

    assert statements, "no reads captured"
    with postgresql_engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))
        raw = connection.connection.driver_connection
        assert raw is not None
        unindexed: dict[str, list[str]] = {}
        for statement, parameters in statements:
            if re.search(r"\bWHERE\b", statement, re.IGNORECASE) is None:
                continue  # a lookup by nothing: not a per-event query
            with raw.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
                plan = cursor.fetchone()[0]
            scans = _whole_table_reads(plan if not isinstance(plan, str) else json.loads(plan))
            if scans:
                unindexed[statement] = scans
    assert not unindexed, unindexed
