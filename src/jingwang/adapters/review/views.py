"""What the review service takes in and hands out: plain, frozen data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from jingwang.adapters.enforcement import AccountView, ManualKind
from jingwang.adapters.storage import ActionRecord, EventRecord
from jingwang.adapters.storage.review import (
    CaseRecord,
    DecisionRecord,
    ReporterRecord,
    ReportRecord,
    TargetType,
)

Verdict = Literal["violation", "no_violation", "upheld", "overturned"]
REPORT_VERDICTS: tuple[Verdict, ...] = ("violation", "no_violation")
APPEAL_VERDICTS: tuple[Verdict, ...] = ("upheld", "overturned")


@dataclass(frozen=True, slots=True)
class NewReport:
    report_id: str
    reporter: str
    target_type: TargetType
    target_id: str
    reason: str
    evidence: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """``created`` is False when the report id was seen before (the first outcome)."""

    report: ReportRecord
    case: CaseRecord
    created: bool


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """A reviewer's decision; ``action`` is the enforcement it asks for, if any."""

    verdict: Verdict
    reason: str
    action: ManualKind | None = None
    capability: str | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewAppeal:
    """An account holder's appeal, filed by the app (or by support on their behalf)."""

    appeal_id: str
    account: str
    statement: str
    case_id: int | None = None


@dataclass(frozen=True, slots=True)
class CaseDetail:
    case: CaseRecord
    reports: tuple[ReportRecord, ...]
    decisions: tuple[DecisionRecord, ...]
    appealed: CaseRecord | None = None


@dataclass(frozen=True, slots=True)
class ReporterReliability:
    record: ReporterRecord
    reliability: float


@dataclass(frozen=True, slots=True)
class AccountHistory:
    """What a reviewer sees about an account: its status, what it did and what was done
    to it, its cases, and the other accounts of its subject."""

    account: AccountView
    events: tuple[EventRecord, ...]
    actions: tuple[ActionRecord, ...]
    cases: tuple[CaseRecord, ...]
    related: tuple[AccountView, ...]
