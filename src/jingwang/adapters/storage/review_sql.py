"""SQLAlchemy review repositories: each unit is one database transaction."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from jingwang.adapters.storage.models import (
    ReporterRow,
    ReviewCaseRow,
    ReviewDecisionRow,
    ReviewReportRow,
)
from jingwang.adapters.storage.review import (
    CaseDraft,
    CaseKind,
    CaseRecord,
    CaseRepo,
    CaseStatus,
    DecisionDraft,
    DecisionRecord,
    DecisionRepo,
    ReporterRecord,
    ReporterRepo,
    ReportRecord,
    ReportRepo,
    ReviewStore,
    ReviewUnit,
    TargetType,
)
from jingwang.adapters.storage.times import as_utc, as_utc_or_none


class _Reports(ReportRepo):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, report: ReportRecord) -> None:
        values = {f.name: getattr(report, f.name) for f in fields(report)}
        values["evidence"] = dict(report.evidence)
        values["received_at"] = as_utc(report.received_at)
        self._s.add(ReviewReportRow(**values))
        self._s.flush()

    def get(self, report_id: str) -> ReportRecord | None:
        row = self._s.get(ReviewReportRow, report_id)
        return None if row is None else _report(row)

    def for_case(self, case_id: int) -> builtins.list[ReportRecord]:
        query = (
            select(ReviewReportRow)
            .where(ReviewReportRow.case_id == case_id)
            .order_by(ReviewReportRow.received_at, ReviewReportRow.report_id)
        )
        return [_report(row) for row in self._s.scalars(query)]


def _report(row: ReviewReportRow) -> ReportRecord:
    return ReportRecord(
        report_id=row.report_id,
        reporter=row.reporter,
        target_type=cast(TargetType, row.target_type),
        target_id=row.target_id,
        reason=row.reason,
        evidence=row.evidence,
        received_at=as_utc(row.received_at),
        case_id=row.case_id,
    )


def _case_columns(case: CaseDraft) -> dict[str, Any]:
    values = {f.name: getattr(case, f.name) for f in fields(case)}
    values.update(
        reporters=list(case.reporters),
        excluded=list(case.excluded),
        verification=dict(case.verification),
    )
    for name in ("created_at", "due_at", "claim_expires_at", "resolved_at"):
        values[name] = as_utc_or_none(values[name])
    return values


def _case(row: ReviewCaseRow) -> CaseRecord:
    return CaseRecord(
        id=row.id,
        kind=cast(CaseKind, row.kind),
        queue=row.queue,
        category=row.category,
        target_type=cast(TargetType, row.target_type),
        target_id=row.target_id,
        reason=row.reason,
        priority=row.priority,
        created_at=as_utc(row.created_at),
        due_at=as_utc(row.due_at),
        account_id=row.account_id,
        status=cast(CaseStatus, row.status),
        severity=row.severity,
        credibility=row.credibility,
        reporter_count=row.reporter_count,
        reporters=tuple(row.reporters),
        verification=row.verification,
        verified_by=row.verified_by,
        outcome=row.outcome,
        claimed_by=row.claimed_by,
        claim_expires_at=as_utc_or_none(row.claim_expires_at),
        excluded=tuple(row.excluded),
        appeal_of=row.appeal_of,
        appeal_id=row.appeal_id,
        statement=row.statement,
        resolved_at=as_utc_or_none(row.resolved_at),
    )


class _Cases(CaseRepo):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, draft: CaseDraft) -> CaseRecord:
        row = ReviewCaseRow(**_case_columns(draft))
        self._s.add(row)
        self._s.flush()
        return _case(row)

    def get(self, case_id: int) -> CaseRecord | None:
        row = self._s.get(ReviewCaseRow, case_id, populate_existing=True)
        return None if row is None else _case(row)

    def save(self, case: CaseRecord) -> None:
        values = _case_columns(case)
        values["id"] = case.id
        self._s.merge(ReviewCaseRow(**values))
        self._s.flush()

    def open_for(
        self, kind: CaseKind, target_type: str, target_id: str, reason: str
    ) -> CaseRecord | None:
        query = select(ReviewCaseRow).where(
            ReviewCaseRow.status == "open",
            ReviewCaseRow.kind == kind,
            ReviewCaseRow.target_type == target_type,
            ReviewCaseRow.target_id == target_id,
            ReviewCaseRow.reason == reason,
        )
        row = self._s.scalars(query.order_by(ReviewCaseRow.id)).first()
        return None if row is None else _case(row)

    def by_appeal_id(self, appeal_id: str) -> CaseRecord | None:
        query = select(ReviewCaseRow).where(ReviewCaseRow.appeal_id == appeal_id)
        row = self._s.scalars(query).first()
        return None if row is None else _case(row)

    def queue(self, queue: str | None, limit: int = 50) -> builtins.list[CaseRecord]:
        query = select(ReviewCaseRow).where(ReviewCaseRow.status == "open")
        if queue is not None:
            query = query.where(ReviewCaseRow.queue == queue)
        query = query.order_by(
            ReviewCaseRow.priority.desc(), ReviewCaseRow.due_at, ReviewCaseRow.id
        ).limit(limit)
        return [_case(row) for row in self._s.scalars(query)]

    def queue_sizes(self) -> dict[str, int]:
        query = select(ReviewCaseRow.queue).where(ReviewCaseRow.status == "open")
        sizes: dict[str, int] = {}
        for queue in self._s.scalars(query):
            sizes[queue] = sizes.get(queue, 0) + 1
        return sizes

    def try_claim(
        self, case_id: int, reviewer: str, now: datetime, until: datetime
    ) -> CaseRecord | None:
        case = self.get(case_id)
        if case is None or reviewer in case.excluded:
            return None
        # One conditional UPDATE, so that two reviewers racing for a case cannot both
        # see it free and both take it.
        claimed = self._s.execute(
            update(ReviewCaseRow)
            .where(
                ReviewCaseRow.id == case_id,
                ReviewCaseRow.status == "open",
                or_(
                    ReviewCaseRow.claimed_by.is_(None),
                    ReviewCaseRow.claimed_by == reviewer,
                    ReviewCaseRow.claim_expires_at <= as_utc(now),
                ),
            )
            .values(claimed_by=reviewer, claim_expires_at=as_utc(until))
            .execution_options(synchronize_session=False)
        )
        if cast(Any, claimed).rowcount != 1:
            return None
        return self.get(case_id)

    def for_account(self, account_id: str, limit: int = 50) -> builtins.list[CaseRecord]:
        query = (
            select(ReviewCaseRow)
            .where(ReviewCaseRow.account_id == account_id)
            .order_by(ReviewCaseRow.id.desc())
            .limit(limit)
        )
        return [_case(row) for row in self._s.scalars(query)]

    def search(self, text: str, limit: int = 50) -> builtins.list[CaseRecord]:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        columns = (
            ReviewCaseRow.target_id,
            ReviewCaseRow.account_id,
            ReviewCaseRow.reason,
            ReviewCaseRow.category,
        )
        query = (
            select(ReviewCaseRow)
            .where(or_(*(column.ilike(pattern, escape="\\") for column in columns)))
            .order_by(ReviewCaseRow.id.desc())
            .limit(limit)
        )
        return [_case(row) for row in self._s.scalars(query)]


class _Decisions(DecisionRepo):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, draft: DecisionDraft) -> DecisionRecord:
        values = {f.name: getattr(draft, f.name) for f in fields(draft)}
        values.update(action_ids=list(draft.action_ids), at=as_utc(draft.at))
        row = ReviewDecisionRow(**values)
        self._s.add(row)
        self._s.flush()
        return DecisionRecord(**{f.name: getattr(draft, f.name) for f in fields(draft)}, id=row.id)

    def for_case(self, case_id: int) -> builtins.list[DecisionRecord]:
        query = (
            select(ReviewDecisionRow)
            .where(ReviewDecisionRow.case_id == case_id)
            .order_by(ReviewDecisionRow.id)
        )
        return [
            DecisionRecord(
                case_id=row.case_id,
                stage=row.stage,
                reviewer=row.reviewer,
                verdict=row.verdict,
                reason=row.reason,
                at=as_utc(row.at),
                action=row.action,
                action_ids=tuple(row.action_ids),
                id=row.id,
            )
            for row in self._s.scalars(query)
        ]


class _Reporters(ReporterRepo):
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, reporter: str) -> ReporterRecord:
        row = self._s.get(ReporterRow, reporter)
        return (
            ReporterRecord(reporter)
            if row is None
            else ReporterRecord(row.reporter, row.upheld, row.rejected)
        )

    def count(self, reporter: str, *, upheld: int = 0, rejected: int = 0) -> ReporterRecord:
        row = self._s.get(ReporterRow, reporter, with_for_update=True)
        if row is None:
            row = ReporterRow(reporter=reporter, upheld=0, rejected=0)
            self._s.add(row)
        row.upheld += upheld
        row.rejected += rejected
        self._s.flush()
        return ReporterRecord(row.reporter, row.upheld, row.rejected)


class _Unit(ReviewUnit):
    def __init__(self, session: Session) -> None:
        self.reports = _Reports(session)
        self.cases = _Cases(session)
        self.decisions = _Decisions(session)
        self.reporters = _Reporters(session)


class SqlReviewStore(ReviewStore):
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    @contextmanager
    def transaction(self) -> Iterator[ReviewUnit]:
        with self._sessions.begin() as session:
            yield _Unit(session)
