"""What a transparency report is built from: plain facts, already out of storage.

The records carry only what a report may use. Phone numbers, identity documents,
subjects' documents, action reasons (free text typed by moderators) and the evidence
spans of events (the content itself) are left out on purpose, so that no renderer can
leak them by accident.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ActionFacts:
    """One stored enforcement action: what was done to whom, when, under which rule."""

    id: int
    kind: str
    target_type: str
    target_id: str
    at: datetime
    rule: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class EventLabel:
    label: str
    subcategory: str | None = None
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class EventFacts:
    """A content event: who posted it, where, and the labels of its decision."""

    event_id: str
    account_id: str
    surface: str | None = None
    labels: tuple[EventLabel, ...] = ()


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """``kind`` is ``personal``, ``official`` or ``group``; the nickname is raw here and
    masked by the report."""

    id: str
    kind: str
    nickname: str | None = None


@dataclass(frozen=True, slots=True)
class ComplaintFigures:
    """User complaints in the period; ``note`` explains figures that are not real counts."""

    received: int = 0
    verified: int = 0
    rejected: int = 0
    note: str | None = None


@dataclass(frozen=True, slots=True)
class AppealFigures:
    """Appeals in the period and how many ended each way (``upheld``, ``overturned`` …)."""

    received: int = 0
    outcomes: Mapping[str, int] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ReportRecords:
    """Everything one report reads. ``actions`` may include actions outside the period:
    the report keeps only those inside it."""

    actions: tuple[ActionFacts, ...] = ()
    events: Mapping[str, EventFacts] = field(default_factory=dict)
    accounts: Mapping[str, AccountFacts] = field(default_factory=dict)
    complaints: ComplaintFigures = field(default_factory=ComplaintFigures)
    appeals: AppealFigures = field(default_factory=AppealFigures)
