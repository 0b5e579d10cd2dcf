"""Transparency reports: what was done in a period, counted and masked for publication.

Pure aggregation over plain records; loading them is ``jingwang.adapters.reports``,
rendering them ``jingwang.reports_render``.
"""

from jingwang.core.reports.build import (
    HANDLED_KINDS,
    MANUAL_LABEL,
    UNLABELLED,
    UNSPECIFIED_SURFACE,
    Attribution,
    attribute,
    build_report,
)
from jingwang.core.reports.masking import mask_account_id, mask_nickname
from jingwang.core.reports.model import Example, TargetCounts, TransparencyReport
from jingwang.core.reports.period import REPORT_TZ, Period, PeriodError
from jingwang.core.reports.records import (
    AccountFacts,
    ActionFacts,
    AppealFigures,
    ComplaintFigures,
    EventFacts,
    EventLabel,
    ReportRecords,
)

__all__ = [
    "HANDLED_KINDS",
    "MANUAL_LABEL",
    "REPORT_TZ",
    "UNLABELLED",
    "UNSPECIFIED_SURFACE",
    "AccountFacts",
    "ActionFacts",
    "AppealFigures",
    "Attribution",
    "ComplaintFigures",
    "EventFacts",
    "EventLabel",
    "Example",
    "Period",
    "PeriodError",
    "ReportRecords",
    "TargetCounts",
    "TransparencyReport",
    "attribute",
    "build_report",
    "mask_account_id",
    "mask_nickname",
]
