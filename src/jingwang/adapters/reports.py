"""Loading one period's enforcement records for a transparency report.

The audit log is the record of what was done, so the period's actions are found through
it: every action is audited in the transaction that stores it, with its ``action_id``.
The action rows themselves, their events and accounts then come from the enforcement
repositories. The log is walked in batches from the start, as it has no index by time;
that is a linear scan per report, fine for periodic publication.

Complaint and appeal figures come from the review workflow through ``ReviewFigures``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Final, Protocol

from jingwang.adapters.storage import ActionRecord, EnforcementUnit, EventRecord, Storage
from jingwang.core.reports import (
    AccountFacts,
    ActionFacts,
    AppealFigures,
    ComplaintFigures,
    EventFacts,
    EventLabel,
    Period,
    ReportRecords,
    TransparencyReport,
    build_report,
)

AUDIT_BATCH: Final = 1000
# Rows per ``for_targets`` query: stays well below SQLite's bound-parameter limit.
TARGET_BATCH: Final = 400


class ReviewFigures(Protocol):
    """Complaint and appeal figures for a period (``start`` included, ``end`` excluded)."""

    def complaint_counts(self, start: datetime, end: datetime) -> ComplaintFigures: ...

    def appeal_outcomes(self, start: datetime, end: datetime) -> AppealFigures: ...


class UnavailableReviewFigures:
    """Stands in while no review workflow is installed: zeros, and a note saying so, so
    that a reader never mistakes a missing figure for a quiet period."""

    def complaint_counts(self, start: datetime, end: datetime) -> ComplaintFigures:
        return ComplaintFigures(note="complaint figures unavailable")

    def appeal_outcomes(self, start: datetime, end: datetime) -> AppealFigures:
        return AppealFigures(note="appeal figures unavailable")


def review_figures_for(storage: Storage) -> ReviewFigures:
    """The review figures of ``storage``'s database: the one place to plug them in."""
    return UnavailableReviewFigures()


def _audited_actions(
    unit: EnforcementUnit, period: Period
) -> tuple[set[int], set[tuple[str, str]]]:
    """Ids and targets of the actions the audit log records inside the period."""
    ids: set[int] = set()
    targets: set[tuple[str, str]] = set()
    after = 0
    while entries := unit.audit.page(after, AUDIT_BATCH):
        for entry in entries:
            action_id = entry.evidence.get("action_id")
            if isinstance(action_id, int) and period.contains(entry.at):
                ids.add(action_id)
                target_type, _, target_id = entry.target.partition(":")
                targets.add((target_type, target_id))
        after = entries[-1].seq
    return ids, targets


def _actions(
    unit: EnforcementUnit, ids: set[int], targets: set[tuple[str, str]]
) -> list[ActionRecord]:
    ordered = sorted(targets)
    found: list[ActionRecord] = []
    for offset in range(0, len(ordered), TARGET_BATCH):
        batch = ordered[offset : offset + TARGET_BATCH]
        found += [a for a in unit.actions.for_targets(batch) if a.id in ids]
    return sorted(found, key=lambda action: action.id)


def _event_facts(record: EventRecord) -> EventFacts:
    # Only label names, sub-categories and scores: evidence spans quote the content.
    labels = tuple(
        EventLabel(str(x["label"]), x.get("subcategory"), float(x.get("score", 0.0)))
        for x in record.labels
    )
    return EventFacts(record.event_id, record.account_id, record.surface, labels)


def _events(unit: EnforcementUnit, event_ids: Iterable[str]) -> dict[str, EventFacts]:
    found = (unit.events.get(event_id) for event_id in sorted(set(event_ids)))
    return {record.event_id: _event_facts(record) for record in found if record is not None}


def _accounts(unit: EnforcementUnit, account_ids: Iterable[str]) -> dict[str, AccountFacts]:
    found = (unit.accounts.get(account_id) for account_id in sorted(set(account_ids)))
    return {
        record.id: AccountFacts(record.id, record.kind, record.nickname)
        for record in found
        if record is not None
    }


def load_records(storage: Storage, period: Period, figures: ReviewFigures) -> ReportRecords:
    """The period's actions with the events and accounts they concern, read in one
    transaction so that the counts describe one moment of the database."""
    with storage.enforcement() as unit:
        ids, targets = _audited_actions(unit, period)
        actions = _actions(unit, ids, targets)
        event_ids = [a.event_id for a in actions if a.event_id is not None]
        event_ids += [a.target_id for a in actions if a.target_type == "content"]
        events = _events(unit, event_ids)
        account_ids = [a.target_id for a in actions if a.target_type == "account"]
        account_ids += [event.account_id for event in events.values()]
        accounts = _accounts(unit, account_ids)
    return ReportRecords(
        actions=tuple(
            ActionFacts(a.id, a.kind, a.target_type, a.target_id, a.at, a.rule, a.event_id)
            for a in actions
        ),
        events=events,
        accounts=accounts,
        complaints=figures.complaint_counts(period.start, period.end),
        appeals=figures.appeal_outcomes(period.start, period.end),
    )


def transparency_report(
    storage: Storage, start: date, end: date, figures: ReviewFigures | None = None
) -> TransparencyReport:
    """The report for the days ``start`` to ``end`` (both included, Beijing time)."""
    period = Period(start, end)
    records = load_records(storage, period, figures or review_figures_for(storage))
    return build_report(records, start, end)
