"""The review service over in-memory and SQLite storage: intake, merging, verification,
claims, decisions, second reviews, appeals and reporter reliability."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jingwang.adapters.enforcement import (
    ConflictError,
    EnforcementService,
    IncomingEvent,
    InvalidActionError,
    NotFoundError,
)
from jingwang.adapters.review import (
    NewAppeal,
    NewReport,
    ReviewDecision,
    ReviewService,
    credibility,
    reliability,
)
from jingwang.adapters.storage import Storage
from jingwang.adapters.storage.review import ReporterRecord
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Decision

from .conftest import Clock, make_service, new_account


def report(
    report_id: str, reporter: str = "u1", text: str = "这里兼职", target: str = "a1", **kw: object
) -> NewReport:
    values: dict[str, object] = {
        "report_id": report_id,
        "reporter": reporter,
        "target_type": "account",
        "target_id": target,
        "reason": "fraud",
        "evidence": {"text": text},
    }
    values.update(kw)
    return NewReport(**values)  # type: ignore[arg-type]


def test_reliability_is_the_beta_posterior_mean() -> None:
    assert reliability(ReporterRecord("new")) == 0.5
    assert reliability(ReporterRecord("good", upheld=8)) == pytest.approx(10 / 12)
    assert reliability(ReporterRecord("bad", rejected=20)) == pytest.approx(2 / 24)


def test_mass_false_reporters_count_for_less_than_one_stranger() -> None:
    stranger = credibility([ReporterRecord("new")])
    liars = credibility([ReporterRecord(f"bot{n}", rejected=30) for n in range(20)])
    trusted = credibility([ReporterRecord("good", upheld=9, rejected=1)])
    assert liars < stranger < trusted


def test_a_replayed_report_returns_the_first_outcome(review: ReviewService) -> None:
    first = review.report(report("r1"))
    again = review.report(report("r1", text="different"))
    assert first.created and not again.created
    assert again.case.id == first.case.id
    assert again.report.evidence == {"text": "这里兼职"}


def test_reports_on_one_target_and_reason_merge(review: ReviewService) -> None:
    one = review.report(report("r1", reporter="u1"))
    two = review.report(report("r2", reporter="u2"))
    same_reporter = review.report(report("r3", reporter="u2"))
    other_reason = review.report(report("r4", reason="porn"))
    assert one.case.id == two.case.id == same_reporter.case.id != other_reason.case.id
    assert same_reporter.case.reporter_count == 2
    assert two.case.priority > one.case.priority
    detail = review.detail(one.case.id)
    assert [r.report_id for r in detail.reports] == ["r1", "r2", "r3"]


def test_uncertain_evidence_waits_for_a_person(review: ReviewService) -> None:
    outcome = review.report(report("r1"))
    assert outcome.case.status == "open" and outcome.case.queue == "fraud"
    assert outcome.case.verification["decision"] == "review"
    assert review.enforcement.account("a1").status.state == "active"  # type: ignore[union-attr]


def test_clear_cut_evidence_is_verified_and_enforced_by_the_pipeline(
    review: ReviewService,
) -> None:
    outcome = review.report(report("r1", text="高薪刷单日结"))
    case = outcome.case
    assert (case.status, case.verified_by, case.outcome) == ("resolved", "pipeline", "violation")
    detail = review.detail(case.id)
    assert detail.decisions[0].action_ids
    # The same evidence reported again is the same violation: no second strike.
    again = review.report(report("r2", reporter="u2", text="高薪刷单日结"))
    assert review.detail(again.case.id).decisions[0].action_ids == detail.decisions[0].action_ids
    assert review.reporter("u1").record.upheld == 1


def test_clear_cut_evidence_without_a_known_account_waits_for_a_person(
    review: ReviewService,
) -> None:
    outcome = review.report(report("r1", text="刷单", target="stranger"))
    assert outcome.case.status == "open" and outcome.case.account_id is None


def test_content_reports_reach_the_posting_account(
    review: ReviewService, enforcement: EnforcementService, clock: Clock
) -> None:
    incoming = IncomingEvent("m1", "a1", clock(), group="g1")
    enforcement.record_event(incoming, Decision("m1", "pass"))
    in_group = review.report(report("r1", target_type="content", target="m1"))
    assert in_group.case.account_id == "a1"
    direct = review.report(report("r2", target_type="account"))
    assert in_group.case.priority > direct.case.priority


def test_claims_lock_out_others_until_they_expire(review: ReviewService, clock: Clock) -> None:
    case = review.report(report("r1")).case
    review.claim(case.id, "r1")
    with pytest.raises(ConflictError):
        review.claim(case.id, "r2")
    assert review.claim_next("fraud", "r2") is None
    clock.advance(timedelta(minutes=16))
    taken = review.claim_next("fraud", "r2")
    assert taken is not None and taken.claimed_by == "r2"
    with pytest.raises(ConflictError, match="claim case"):
        review.decide(case.id, "r1", ReviewDecision("violation", "late"))


def test_a_decision_needs_the_claim_and_a_reason(review: ReviewService) -> None:
    case = review.report(report("r1")).case
    with pytest.raises(ConflictError):
        review.decide(case.id, "r1", ReviewDecision("violation", "x"))
    review.claim(case.id, "r1")
    with pytest.raises(InvalidActionError):
        review.decide(case.id, "r1", ReviewDecision("violation", "  "))
    with pytest.raises(InvalidActionError):
        review.decide(case.id, "r1", ReviewDecision("upheld", "appeal verdict on a report"))
    released = review.release(case.id, "r1")
    assert released.claimed_by is None


def test_a_violation_decision_enforces_with_the_reviewer_as_actor(
    review: ReviewService,
) -> None:
    case = review.report(report("r1")).case
    review.claim(case.id, "reviewer:amy")
    decided = review.decide(case.id, "reviewer:amy", ReviewDecision("violation", "兼职诈骗", "ban"))
    assert decided.status == "resolved" and decided.verified_by == "reviewer:amy"
    history = review.account_history("a1")
    assert history is not None and history.account.status.state == "banned"
    assert history.actions[-1].actor == "reviewer:amy"
    assert [c.id for c in history.cases] == [case.id]
    assert review.reporter("u1").record.upheld == 1


def test_a_rejected_report_counts_against_its_reporters(review: ReviewService) -> None:
    case = review.report(report("r1")).case
    review.claim(case.id, "r1")
    review.decide(case.id, "r1", ReviewDecision("no_violation", "正常招聘"))
    assert review.reporter("u1").record.rejected == 1
    assert review.account_history("a1").account.status.state == "active"  # type: ignore[union-attr]


def test_sampled_second_review_goes_to_another_reviewer_and_escalates_disagreement(
    storage: Storage, scanner: Scanner, enforcement: EnforcementService, clock: Clock
) -> None:
    enforcement.register(new_account("a1"), "admin:test")
    review = make_service(storage, scanner, enforcement, clock, second_review_rate=1.0)
    case = review.report(report("r1")).case
    review.claim(case.id, "r1")
    sampled = review.decide(case.id, "r1", ReviewDecision("violation", "诈骗", "warn"))
    assert (sampled.status, sampled.queue) == ("open", "second_review")
    with pytest.raises(ConflictError, match="took no part"):
        review.claim(case.id, "r1")
    review.claim(case.id, "r2")
    with pytest.raises(InvalidActionError):
        review.decide(case.id, "r2", ReviewDecision("no_violation", "x", "ban"))
    escalated = review.decide(case.id, "r2", ReviewDecision("no_violation", "招聘广告而已"))
    assert escalated.queue == "escalation" and escalated.excluded == ("r1", "r2")
    review.claim(case.id, "r3")
    final = review.decide(case.id, "r3", ReviewDecision("no_violation", "同意第二审"))
    assert (final.status, final.outcome) == ("resolved", "no_violation")
    # The first decision credited the reporter; the escalation took it back.
    record = review.reporter("u1").record
    assert (record.upheld, record.rejected) == (0, 1)


def test_second_review_sampling_is_seeded(
    storage: Storage, scanner: Scanner, enforcement: EnforcementService, clock: Clock
) -> None:
    def draws(tag: str) -> list[str]:
        service = make_service(storage, scanner, enforcement, clock, second_review_rate=0.5)
        queues = []
        for n in range(8):
            case = service.report(report(f"{tag}{n}", target=f"{tag}{n}")).case
            service.claim(case.id, "r1")
            queues.append(service.decide(case.id, "r1", ReviewDecision("no_violation", "ok")).queue)
        return queues

    first, second = draws("x"), draws("y")
    assert first == second and "second_review" in first and "fraud" in first


def test_an_appeal_goes_to_a_different_reviewer_and_can_lift_the_ban(
    review: ReviewService,
) -> None:
    case = review.report(report("r1")).case
    review.claim(case.id, "r1")
    review.decide(case.id, "r1", ReviewDecision("violation", "诈骗", "ban"))
    appeal, created = review.appeal(NewAppeal("ap1", "a1", "我是正规招聘"), "service:app")
    assert created and appeal.queue == "appeal" and appeal.excluded == ("r1",)
    assert review.appeal(NewAppeal("ap1", "a1", "again"), "service:app") == (appeal, False)
    with pytest.raises(ConflictError):
        review.claim(appeal.id, "r1")
    review.claim(appeal.id, "r2")
    decided = review.decide(appeal.id, "r2", ReviewDecision("overturned", "确为正规招聘"))
    assert decided.outcome == "overturned"
    assert review.account_history("a1").account.status.state == "active"  # type: ignore[union-attr]
    assert review.detail(case.id).case.outcome == "overturned"
    assert review.reporter("u1").record.rejected == 1
    with pytest.raises(NotFoundError):
        review.appeal(NewAppeal("ap2", "a1", "again"), "service:app")


def test_only_the_account_holder_appeals_a_violation(review: ReviewService) -> None:
    with pytest.raises(NotFoundError, match="no decided violation"):
        review.appeal(NewAppeal("ap1", "a1", "?"), "service:app")
    case = review.report(report("r1")).case
    review.claim(case.id, "r1")
    review.decide(case.id, "r1", ReviewDecision("violation", "诈骗", "warn"))
    with pytest.raises(InvalidActionError):
        review.appeal(NewAppeal("ap1", "other", "?", case_id=case.id), "service:app")


def test_decisions_and_appeals_are_audited(review: ReviewService) -> None:
    case = review.report(report("r1")).case
    review.claim(case.id, "r1")
    review.decide(case.id, "r1", ReviewDecision("violation", "诈骗", "warn"))
    review.appeal(NewAppeal("ap1", "a1", "冤枉"), "service:app")
    entries = review.enforcement.audit_page(0, 100)
    whats = [(e.what, e.actor) for e in entries]
    assert ("warn", "r1") in whats and ("review_decision", "r1") in whats
    assert ("file_appeal", "service:app") in whats
    assert review.enforcement.verify_audit().ok


def test_search_finds_cases(review: ReviewService) -> None:
    case = review.report(report("r1")).case
    assert [c.id for c in review.search("a1")] == [case.id]
