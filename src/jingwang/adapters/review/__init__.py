"""User reports, review queues, decisions and appeals over the enforcement service."""

from jingwang.adapters.review.config import ReviewConfig, ReviewConfigError
from jingwang.adapters.review.reliability import credibility, reliability
from jingwang.adapters.review.service import (
    APPEAL_QUEUE,
    ESCALATION_QUEUE,
    PIPELINE_REVIEWER,
    SECOND_REVIEW_QUEUE,
    ReviewService,
)
from jingwang.adapters.review.store import review_store_for
from jingwang.adapters.review.views import (
    APPEAL_VERDICTS,
    REPORT_VERDICTS,
    AccountHistory,
    CaseDetail,
    NewAppeal,
    NewReport,
    ReporterReliability,
    ReportOutcome,
    ReviewDecision,
    Verdict,
)

__all__ = [
    "APPEAL_QUEUE",
    "APPEAL_VERDICTS",
    "ESCALATION_QUEUE",
    "PIPELINE_REVIEWER",
    "REPORT_VERDICTS",
    "SECOND_REVIEW_QUEUE",
    "AccountHistory",
    "CaseDetail",
    "NewAppeal",
    "NewReport",
    "ReportOutcome",
    "ReporterReliability",
    "ReviewConfig",
    "ReviewConfigError",
    "ReviewDecision",
    "ReviewService",
    "Verdict",
    "credibility",
    "reliability",
    "review_store_for",
]
