"""``/v1/reports``: user reports on content, accounts and groups; reporters' records."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from jingwang.adapters.review import NewReport, ReportOutcome
from jingwang.adapters.storage import Role
from jingwang.api.deps import require_roles
from jingwang.api.errors import ApiError
from jingwang.api.review_schemas import ReportCreate, ReporterPublic, ReportPublic
from jingwang.api.routes.common import AUTH_ERRORS, INVALID_REQUEST, NOT_FOUND
from jingwang.api.routes.review_common import (
    FILERS,
    OUTCOME_READERS,
    ReviewDep,
    case_public,
    report_summary,
)

router = APIRouter(prefix="/v1", tags=["review"], responses=AUTH_ERRORS)


def _public(outcome: ReportOutcome, review: ReviewDep) -> ReportPublic:
    summary = report_summary(outcome.report)
    return ReportPublic(**summary.model_dump(), case=case_public(outcome.case, review.clock()))


@router.post(
    "/reports",
    status_code=201,
    dependencies=[Depends(require_roles(*FILERS))],
    responses={**INVALID_REQUEST, 200: {"model": ReportPublic, "description": "A replay."}},
)
def file_report(body: ReportCreate, review: ReviewDep, response: Response) -> ReportPublic:
    """File a report: 201 when new, 200 with the first outcome when ``report_id`` was seen.

    Reports on the same target for the same reason merge into one open case. Evidence
    the pipeline finds clear-cut is verified and enforced at once; anything else waits
    in the queue named by ``reason``.
    """
    new = NewReport(
        report_id=body.report_id,
        reporter=body.reporter,
        target_type=body.target.type,
        target_id=body.target.id,
        reason=body.reason,
        evidence=body.evidence.model_dump(exclude_defaults=True),
    )
    outcome = review.report(new)
    if not outcome.created:
        response.status_code = 200
    return _public(outcome, review)


@router.get(
    "/reports/{report_id}",
    dependencies=[Depends(require_roles(*OUTCOME_READERS))],
    responses=NOT_FOUND,
)
def get_report(report_id: str, review: ReviewDep) -> ReportPublic:
    """The report and the case it belongs to, as it stands now."""
    outcome = review.report_outcome(report_id)
    if outcome is None:
        raise ApiError(404, "report_not_found", f"no report {report_id}")
    return _public(outcome, review)


@router.get(
    "/reporters/{reporter}",
    dependencies=[Depends(require_roles(Role.ADMIN, Role.MODERATOR))],
)
def get_reporter(reporter: str, review: ReviewDep) -> ReporterPublic:
    """How the reporter's reports ended, and the reliability learnt from that."""
    found = review.reporter(reporter)
    return ReporterPublic(
        reporter=reporter,
        upheld=found.record.upheld,
        rejected=found.record.rejected,
        reliability=found.reliability,
    )
