"""Review records — user reports, review cases, decisions, reporter track records — and
the repository interfaces over them.

A *case* is what a reviewer works on: the reports on one target for one reason, merged
while the case is open, or an account holder's appeal. A case waits in one *queue* at a
time (the report's category, ``second_review``, ``escalation`` or ``appeal``); whoever
claims it holds it until the claim expires.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

MAX_REASON_CHARS: Final = 64
CaseKind = Literal["report", "appeal"]
CaseStatus = Literal["open", "resolved"]
TargetType = Literal["content", "account", "group"]


@dataclass(frozen=True, slots=True)
class ReportRecord:
    """One user report as received; ``evidence`` holds ``text``, ``images``, ``message_ids``."""

    report_id: str
    reporter: str
    target_type: TargetType
    target_id: str
    reason: str
    evidence: Mapping[str, Any]
    received_at: datetime
    case_id: int


@dataclass(frozen=True, slots=True)
class CaseDraft:
    """A case before the store numbers it.

    ``verification`` is the pipeline's view of the evidence (decision, labels with
    spans, the texts it read); ``account_id`` is the account a decision acts on, when
    the target leads to one. ``excluded`` reviewers may not claim the case: the first
    reviewer of a sampled second review, the deciders of an appealed case.
    """

    kind: CaseKind
    queue: str
    category: str
    target_type: TargetType
    target_id: str
    reason: str
    priority: int
    created_at: datetime
    due_at: datetime
    account_id: str | None = None
    status: CaseStatus = "open"
    severity: float = 0.0
    credibility: float = 0.0
    reporter_count: int = 0
    reporters: tuple[str, ...] = ()
    verification: Mapping[str, Any] = field(default_factory=dict)
    verified_by: str | None = None
    outcome: str | None = None
    claimed_by: str | None = None
    claim_expires_at: datetime | None = None
    excluded: tuple[str, ...] = ()
    appeal_of: int | None = None
    appeal_id: str | None = None
    statement: str | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CaseRecord(CaseDraft):
    id: int = field(kw_only=True)

    def claimable_by(self, reviewer: str, now: datetime) -> bool:
        free = self.claimed_by is None or self.claimed_by == reviewer
        expired = self.claim_expires_at is not None and self.claim_expires_at <= now
        return self.status == "open" and reviewer not in self.excluded and (free or expired)

    def held_by(self, reviewer: str, now: datetime) -> bool:
        return (
            self.status == "open"
            and self.claimed_by == reviewer
            and self.claim_expires_at is not None
            and self.claim_expires_at > now
        )


@dataclass(frozen=True, slots=True)
class DecisionDraft:
    """A reviewer's (or the pipeline's) decision on a case at one stage.

    ``verdict`` is ``violation`` / ``no_violation`` for reports and ``upheld`` /
    ``overturned`` for appeals; ``action_ids`` are the enforcement actions it caused.
    """

    case_id: int
    stage: str
    reviewer: str
    verdict: str
    reason: str
    at: datetime
    action: str | None = None
    action_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class DecisionRecord(DecisionDraft):
    id: int = field(kw_only=True)


@dataclass(frozen=True, slots=True)
class ReporterRecord:
    """How a reporter's past reports ended: upheld by verification or rejected."""

    reporter: str
    upheld: int = 0
    rejected: int = 0


class ReportRepo(ABC):
    @abstractmethod
    def add(self, report: ReportRecord) -> None: ...

    @abstractmethod
    def get(self, report_id: str) -> ReportRecord | None: ...

    @abstractmethod
    def for_case(self, case_id: int) -> builtins.list[ReportRecord]:
        """The case's reports, oldest first."""


class CaseRepo(ABC):
    @abstractmethod
    def add(self, draft: CaseDraft) -> CaseRecord: ...

    @abstractmethod
    def get(self, case_id: int) -> CaseRecord | None: ...

    @abstractmethod
    def save(self, case: CaseRecord) -> None:
        """Overwrite the stored case with ``case`` (same id)."""

    @abstractmethod
    def open_for(
        self, kind: CaseKind, target_type: str, target_id: str, reason: str
    ) -> CaseRecord | None:
        """The open case that a new report on the target for the reason merges into."""

    @abstractmethod
    def by_appeal_id(self, appeal_id: str) -> CaseRecord | None: ...

    @abstractmethod
    def queue(self, queue: str | None, limit: int = 50) -> builtins.list[CaseRecord]:
        """Open cases (in ``queue``, or all), highest priority first, then earliest due."""

    @abstractmethod
    def queue_sizes(self) -> dict[str, int]:
        """Open cases per queue."""

    @abstractmethod
    def try_claim(
        self, case_id: int, reviewer: str, now: datetime, until: datetime
    ) -> CaseRecord | None:
        """Give the claim to ``reviewer`` in one atomic step when the case is claimable
        (see :meth:`CaseRecord.claimable_by`); None when someone else holds it."""

    @abstractmethod
    def for_account(self, account_id: str, limit: int = 50) -> builtins.list[CaseRecord]:
        """Cases acting on the account, newest first."""

    @abstractmethod
    def search(self, text: str, limit: int = 50) -> builtins.list[CaseRecord]:
        """Cases whose target, account, reason or category contains ``text``, newest first."""


class DecisionRepo(ABC):
    @abstractmethod
    def add(self, draft: DecisionDraft) -> DecisionRecord: ...

    @abstractmethod
    def for_case(self, case_id: int) -> builtins.list[DecisionRecord]:
        """The case's decisions in the order they were taken."""


class ReporterRepo(ABC):
    @abstractmethod
    def get(self, reporter: str) -> ReporterRecord:
        """The reporter's record; an unknown reporter has an empty one."""

    @abstractmethod
    def count(self, reporter: str, *, upheld: int = 0, rejected: int = 0) -> ReporterRecord:
        """Add outcomes (negative numbers take back earlier ones) and return the record."""


class ReviewUnit(ABC):
    """The review repositories within one transaction."""

    reports: ReportRepo
    cases: CaseRepo
    decisions: DecisionRepo
    reporters: ReporterRepo


class ReviewStore(ABC):
    @abstractmethod
    def transaction(self) -> AbstractContextManager[ReviewUnit]:
        """``with store.transaction() as unit: …`` commits at the end, rolls back on error."""
