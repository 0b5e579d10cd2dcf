"""In-memory review repositories: the reference behaviour of the shared test suite."""

from __future__ import annotations

import builtins
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import datetime

from jingwang.adapters.storage.review import (
    CaseDraft,
    CaseKind,
    CaseRecord,
    CaseRepo,
    DecisionDraft,
    DecisionRecord,
    DecisionRepo,
    ReporterRecord,
    ReporterRepo,
    ReportRecord,
    ReportRepo,
    ReviewStore,
    ReviewUnit,
)


@dataclass
class _Tables:
    """Everything stored; records are immutable, so a shallow copy is a full snapshot."""

    reports: dict[str, ReportRecord] = field(default_factory=dict)
    cases: dict[int, CaseRecord] = field(default_factory=dict)
    decisions: list[DecisionRecord] = field(default_factory=list)
    reporters: dict[str, ReporterRecord] = field(default_factory=dict)

    def snapshot(self) -> _Tables:
        return _Tables(
            dict(self.reports), dict(self.cases), list(self.decisions), dict(self.reporters)
        )

    def restore(self, snapshot: _Tables) -> None:
        for name, value in vars(snapshot).items():
            setattr(self, name, value)


def _queue_order(case: CaseRecord) -> tuple[int, datetime, int]:
    return (-case.priority, case.due_at, case.id)


class _Reports(ReportRepo):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def add(self, report: ReportRecord) -> None:
        self._t.reports[report.report_id] = report

    def get(self, report_id: str) -> ReportRecord | None:
        return self._t.reports.get(report_id)

    def for_case(self, case_id: int) -> builtins.list[ReportRecord]:
        found = [r for r in self._t.reports.values() if r.case_id == case_id]
        return sorted(found, key=lambda report: (report.received_at, report.report_id))


class _Cases(CaseRepo):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def add(self, draft: CaseDraft) -> CaseRecord:
        values = {f.name: getattr(draft, f.name) for f in fields(draft)}
        case = CaseRecord(**values, id=len(self._t.cases) + 1)
        self._t.cases[case.id] = case
        return case

    def get(self, case_id: int) -> CaseRecord | None:
        return self._t.cases.get(case_id)

    def save(self, case: CaseRecord) -> None:
        self._t.cases[case.id] = case

    def open_for(
        self, kind: CaseKind, target_type: str, target_id: str, reason: str
    ) -> CaseRecord | None:
        found = (
            c
            for c in self._t.cases.values()
            if c.status == "open"
            and (c.kind, c.target_type, c.target_id, c.reason)
            == (kind, target_type, target_id, reason)
        )
        return next(found, None)

    def by_appeal_id(self, appeal_id: str) -> CaseRecord | None:
        return next((c for c in self._t.cases.values() if c.appeal_id == appeal_id), None)

    def queue(self, queue: str | None, limit: int = 50) -> builtins.list[CaseRecord]:
        found = [
            c
            for c in self._t.cases.values()
            if c.status == "open" and (queue is None or c.queue == queue)
        ]
        return sorted(found, key=_queue_order)[:limit]

    def queue_sizes(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for case in self._t.cases.values():
            if case.status == "open":
                sizes[case.queue] = sizes.get(case.queue, 0) + 1
        return sizes

    def try_claim(
        self, case_id: int, reviewer: str, now: datetime, until: datetime
    ) -> CaseRecord | None:
        case = self._t.cases.get(case_id)
        if case is None or not case.claimable_by(reviewer, now):
            return None
        claimed = replace(case, claimed_by=reviewer, claim_expires_at=until)
        self._t.cases[case_id] = claimed
        return claimed

    def for_account(self, account_id: str, limit: int = 50) -> builtins.list[CaseRecord]:
        found = [c for c in self._t.cases.values() if c.account_id == account_id]
        return sorted(found, key=lambda case: case.id, reverse=True)[:limit]

    def search(self, text: str, limit: int = 50) -> builtins.list[CaseRecord]:
        needle = text.casefold()
        found = [
            c
            for c in self._t.cases.values()
            if any(
                needle in (value or "").casefold()
                for value in (c.target_id, c.account_id, c.reason, c.category)
            )
        ]
        return sorted(found, key=lambda case: case.id, reverse=True)[:limit]


class _Decisions(DecisionRepo):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def add(self, draft: DecisionDraft) -> DecisionRecord:
        values = {f.name: getattr(draft, f.name) for f in fields(draft)}
        record = DecisionRecord(**values, id=len(self._t.decisions) + 1)
        self._t.decisions.append(record)
        return record

    def for_case(self, case_id: int) -> builtins.list[DecisionRecord]:
        return [d for d in self._t.decisions if d.case_id == case_id]


class _Reporters(ReporterRepo):
    def __init__(self, tables: _Tables) -> None:
        self._t = tables

    def get(self, reporter: str) -> ReporterRecord:
        return self._t.reporters.get(reporter, ReporterRecord(reporter))

    def count(self, reporter: str, *, upheld: int = 0, rejected: int = 0) -> ReporterRecord:
        known = self.get(reporter)
        record = replace(known, upheld=known.upheld + upheld, rejected=known.rejected + rejected)
        self._t.reporters[reporter] = record
        return record


class _Unit(ReviewUnit):
    def __init__(self, tables: _Tables) -> None:
        self.reports = _Reports(tables)
        self.cases = _Cases(tables)
        self.decisions = _Decisions(tables)
        self.reporters = _Reporters(tables)


class InMemoryReviewStore(ReviewStore):
    """One transaction at a time, rolled back when it raises."""

    def __init__(self) -> None:
        self._tables = _Tables()
        # The API serves requests from a thread pool.
        self._lock = threading.RLock()

    @contextmanager
    def transaction(self) -> Iterator[ReviewUnit]:
        with self._lock:
            before = self._tables.snapshot()
            try:
                yield _Unit(self._tables)
            except BaseException:
                self._tables.restore(before)
                raise
