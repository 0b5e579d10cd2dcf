"""What the report, review and appeal routers share: the service, roles, record → schema."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final

from fastapi import Depends, Request

from jingwang.adapters.review import CaseDetail, ReviewService
from jingwang.adapters.storage import Role
from jingwang.adapters.storage.review import CaseRecord, DecisionRecord, ReportRecord
from jingwang.api.review_schemas import (
    CaseDetailPublic,
    CasePublic,
    DecisionPublic,
    ReportEvidence,
    ReportSummary,
    ReportTarget,
)

# The app's backend files reports and appeals for its users; people work the queues.
FILERS: Final = (Role.ADMIN, Role.SERVICE)
REVIEWERS: Final = (Role.ADMIN, Role.MODERATOR, Role.REVIEWER)
# The backend reads outcomes back, to tell reporters and appellants what happened.
OUTCOME_READERS: Final = (*REVIEWERS, Role.SERVICE)


def get_review(request: Request) -> ReviewService:
    review: ReviewService = request.state.review
    return review


ReviewDep = Annotated[ReviewService, Depends(get_review)]


def case_public(case: CaseRecord, now: datetime) -> CasePublic:
    return CasePublic(
        id=case.id,
        kind=case.kind,
        queue=case.queue,
        category=case.category,
        status=case.status,
        target=ReportTarget(type=case.target_type, id=case.target_id),
        account=case.account_id,
        reason=case.reason,
        priority=case.priority,
        severity=case.severity,
        credibility=case.credibility,
        reporter_count=case.reporter_count,
        created_at=case.created_at,
        due_at=case.due_at,
        overdue=case.status == "open" and case.due_at < now,
        claimed_by=case.claimed_by,
        claim_expires_at=case.claim_expires_at,
        verified_by=case.verified_by,
        outcome=case.outcome,
        appeal_of=case.appeal_of,
        appeal_id=case.appeal_id,
        statement=case.statement,
        verification=dict(case.verification),
    )


def report_summary(report: ReportRecord) -> ReportSummary:
    return ReportSummary(
        report_id=report.report_id,
        reporter=report.reporter,
        target=ReportTarget(type=report.target_type, id=report.target_id),
        reason=report.reason,
        received_at=report.received_at,
        evidence=ReportEvidence.model_validate(dict(report.evidence)),
    )


def decision_public(decision: DecisionRecord) -> DecisionPublic:
    return DecisionPublic(
        id=decision.id,
        stage=decision.stage,
        reviewer=decision.reviewer,
        verdict=decision.verdict,
        reason=decision.reason,
        at=decision.at,
        action=decision.action,
        action_ids=list(decision.action_ids),
    )


def detail_public(detail: CaseDetail, now: datetime) -> CaseDetailPublic:
    return CaseDetailPublic(
        case=case_public(detail.case, now),
        reports=[report_summary(report) for report in detail.reports],
        decisions=[decision_public(decision) for decision in detail.decisions],
    )
