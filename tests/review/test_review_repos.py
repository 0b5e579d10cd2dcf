"""The review repositories: one suite over the in-memory, SQLite and PostgreSQL stores."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from jingwang.adapters.storage.review import (
    CaseDraft,
    DecisionDraft,
    ReportRecord,
    ReviewStore,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def draft(
    target: str = "m1", priority: int = 50, queue: str = "fraud", **extra: object
) -> CaseDraft:
    values: dict[str, object] = {
        "kind": "report",
        "queue": queue,
        "category": queue,
        "target_type": "content",
        "target_id": target,
        "reason": queue,
        "priority": priority,
        "created_at": T0,
        "due_at": T0 + timedelta(hours=4),
        "account_id": "a1",
        "reporters": ("u1",),
        "verification": {"decision": "review", "labels": []},
    }
    values.update(extra)
    return CaseDraft(**values)  # type: ignore[arg-type]


def test_cases_round_trip_with_every_field(review_store: ReviewStore) -> None:
    with review_store.transaction() as unit:
        case = unit.cases.add(draft(excluded=("r1",), statement="不服", appeal_id="ap1"))
    with review_store.transaction() as unit:
        stored = unit.cases.get(case.id)
        assert stored == case
        assert unit.cases.by_appeal_id("ap1") == case
        assert unit.cases.get(case.id + 100) is None


def test_reports_belong_to_cases_and_are_found_by_id(review_store: ReviewStore) -> None:
    with review_store.transaction() as unit:
        case = unit.cases.add(draft())
        for n, reporter in enumerate(("u1", "u2")):
            unit.reports.add(
                ReportRecord(
                    f"r{n}",
                    reporter,
                    "content",
                    "m1",
                    "fraud",
                    {"text": "刷单"},
                    T0 + timedelta(minutes=n),
                    case.id,
                )
            )
    with review_store.transaction() as unit:
        assert [r.reporter for r in unit.reports.for_case(case.id)] == ["u1", "u2"]
        found = unit.reports.get("r1")
        assert found is not None and found.evidence == {"text": "刷单"}
        assert unit.reports.get("nope") is None


def test_queue_orders_by_priority_then_due_time(review_store: ReviewStore) -> None:
    with review_store.transaction() as unit:
        low = unit.cases.add(draft("m1", priority=20))
        late = unit.cases.add(draft("m2", priority=80, due_at=T0 + timedelta(hours=2)))
        early = unit.cases.add(draft("m3", priority=80, due_at=T0 + timedelta(hours=1)))
        other = unit.cases.add(draft("m4", priority=99, queue="porn"))
        unit.cases.save(replace(unit.cases.add(draft("m5")), status="resolved"))
    with review_store.transaction() as unit:
        assert [c.id for c in unit.cases.queue("fraud")] == [early.id, late.id, low.id]
        assert [c.id for c in unit.cases.queue(None, limit=2)] == [other.id, early.id]
        assert unit.cases.queue_sizes() == {"fraud": 3, "porn": 1}


def test_open_case_is_found_for_merging(review_store: ReviewStore) -> None:
    with review_store.transaction() as unit:
        resolved = unit.cases.add(draft(status="resolved"))
        open_case = unit.cases.add(draft())
    with review_store.transaction() as unit:
        assert unit.cases.open_for("report", "content", "m1", "fraud") == open_case
        assert unit.cases.open_for("report", "content", "m1", "porn") is None
        assert unit.cases.open_for("appeal", "content", "m1", "fraud") is None
        assert resolved.id != open_case.id


def test_claims_hold_until_they_expire(review_store: ReviewStore) -> None:
    with review_store.transaction() as unit:
        case = unit.cases.add(draft(excluded=("r3",)))
    until = T0 + timedelta(minutes=15)
    with review_store.transaction() as unit:
        claimed = unit.cases.try_claim(case.id, "r1", T0, until)
        assert claimed is not None and claimed.claimed_by == "r1"
        assert claimed.claim_expires_at == until
    with review_store.transaction() as unit:
        assert unit.cases.try_claim(case.id, "r2", T0 + timedelta(minutes=5), until) is None
        # The holder may renew; an excluded reviewer may never claim.
        assert unit.cases.try_claim(case.id, "r1", T0 + timedelta(minutes=5), until) is not None
        assert unit.cases.try_claim(case.id, "r3", until + timedelta(hours=1), until) is None
        later = until + timedelta(seconds=1)
        taken = unit.cases.try_claim(case.id, "r2", later, later + timedelta(minutes=15))
        assert taken is not None and taken.claimed_by == "r2"
        assert taken.held_by("r2", later) and not taken.held_by("r1", later)


def test_resolved_cases_cannot_be_claimed(review_store: ReviewStore) -> None:
    with review_store.transaction() as unit:
        case = unit.cases.add(draft(status="resolved"))
        assert unit.cases.try_claim(case.id, "r1", T0, T0 + timedelta(minutes=1)) is None


def test_decisions_keep_their_order(review_store: ReviewStore) -> None:
    with review_store.transaction() as unit:
        case = unit.cases.add(draft())
        first = unit.decisions.add(
            DecisionDraft(case.id, "first", "r1", "violation", "刷单广告", T0, "ban", (3, 4))
        )
        second = unit.decisions.add(
            DecisionDraft(case.id, "second", "r2", "violation", "agree", T0 + timedelta(hours=1))
        )
    with review_store.transaction() as unit:
        assert unit.decisions.for_case(case.id) == [first, second]
        assert unit.decisions.for_case(case.id + 1) == []


def test_reporter_outcomes_accumulate(review_store: ReviewStore) -> None:
    with review_store.transaction() as unit:
        assert unit.reporters.get("u1").upheld == 0
        unit.reporters.count("u1", upheld=1)
        unit.reporters.count("u1", upheld=1, rejected=2)
    with review_store.transaction() as unit:
        record = unit.reporters.count("u1", upheld=-1)
        assert (record.upheld, record.rejected) == (1, 2)
        assert unit.reporters.get("u1") == record


def test_search_matches_targets_accounts_and_categories(review_store: ReviewStore) -> None:
    with review_store.transaction() as unit:
        one = unit.cases.add(draft("msg_100%"))
        two = unit.cases.add(draft("m2", account_id="acct-9", queue="porn"))
    with review_store.transaction() as unit:
        assert unit.cases.search("100%") == [one]
        assert unit.cases.search("ACCT") == [two]
        assert unit.cases.search("porn") == [two]
        assert unit.cases.search("_") == [one]
        assert unit.cases.for_account("acct-9") == [two]


def test_a_failed_transaction_leaves_nothing(review_store: ReviewStore) -> None:
    with pytest.raises(RuntimeError), review_store.transaction() as unit:
        unit.cases.add(draft())
        unit.reporters.count("u1", upheld=1)
        raise RuntimeError("boom")
    with review_store.transaction() as unit:
        assert unit.cases.queue(None) == []
        assert unit.reporters.get("u1").upheld == 0


def test_racing_reviewers_cannot_both_claim(review_store: ReviewStore) -> None:
    with review_store.transaction() as unit:
        case = unit.cases.add(draft())
    barrier = threading.Barrier(4)
    winners: list[str] = []

    def race(reviewer: str) -> None:
        barrier.wait()
        with review_store.transaction() as unit:
            if unit.cases.try_claim(case.id, reviewer, T0, T0 + timedelta(minutes=15)):
                winners.append(reviewer)

    threads = [threading.Thread(target=race, args=(f"r{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1
    with review_store.transaction() as unit:
        stored = unit.cases.get(case.id)
        assert stored is not None and stored.claimed_by == winners[0]
