"""The pure policy engine: each rule of the default policy, with an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jingwang.core.enforcement import (
    Action,
    ContentEvent,
    History,
    RegistrationEvent,
    account_status,
    apply,
    evaluate,
    evaluate_registration,
    group_status,
    may_use,
)
from jingwang.core.policy import Policy, default_policy
from jingwang.core.types import Decision, LabelResult

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return default_policy()


def post(
    account: str,
    label: str,
    *,
    at: datetime = T0,
    subcategory: str | None = None,
    verdict: str = "block",
    evasion: bool = False,
    **where: str,
) -> ContentEvent:
    decision = Decision(
        id=f"{account}@{at.isoformat()}",
        decision=verdict,  # type: ignore[arg-type]
        labels=(LabelResult(label, 0.95, subcategory),),
        evasion=evasion,
    )
    return ContentEvent(
        event_id=decision.id,
        account=account,
        at=at,
        decision=decision,
        **where,  # type: ignore[arg-type]
    )


def kinds(actions: list[Action], target: str | None = None) -> list[str]:
    return [a.kind for a in actions if target is None or a.target_id == target]


def run(policy: Policy, events: list[ContentEvent], history: History | None = None) -> History:
    history = history or History()
    for event in events:
        history = apply(evaluate(event, history, policy, event.at), history)
    return history


def test_pass_and_review_decisions_are_not_enforced(policy: Policy) -> None:
    assert evaluate(post("a", "porn", verdict="pass"), History(), policy, T0) == []
    assert evaluate(post("a", "porn", verdict="review"), History(), policy, T0) == []


def test_every_action_carries_the_rule_and_policy_version(policy: Policy) -> None:
    actions = evaluate(post("a", "spam", surface="chat"), History(), policy, T0)
    assert kinds(actions) == ["delete_content", "warn", "strike"]
    assert {a.policy_version for a in actions} == {policy.version}
    assert actions[2].rule == "labels.spam.strike"
    assert actions[2].until == T0 + timedelta(days=90)


def test_a_strike_stops_counting_when_it_expires(policy: Policy) -> None:
    history = run(policy, [post("a", "rumor")])
    assert account_status(history.account("a"), T0 + timedelta(days=179)).active_weight == 1
    assert account_status(history.account("a"), T0 + timedelta(days=180)).active_weight == 0


def test_expired_strikes_do_not_escalate(policy: Policy) -> None:
    later = T0 + timedelta(days=200)
    history = run(policy, [post("a", "rumor"), post("a", "rumor", at=T0 + timedelta(days=1))])
    actions = evaluate(post("a", "rumor", at=later), history, policy, later)
    assert "restrict" not in kinds(actions)


def test_a_restriction_ends_without_any_job(policy: Policy) -> None:
    events = [post("a", "abuse", at=T0 + timedelta(hours=h)) for h in range(2)]
    history = run(policy, events)
    restricted_at = T0 + timedelta(hours=1)
    assert account_status(history.account("a"), restricted_at).state == "restricted"
    assert not may_use(history.account("a"), "post_moments", restricted_at)
    after = restricted_at + timedelta(days=7)
    assert account_status(history.account("a"), after).state == "active"
    assert may_use(history.account("a"), "post_moments", after)


@pytest.mark.parametrize(
    ("label", "subcategory"),
    [("porn", None), ("porn", "prostitution"), ("fraud", "loan"), ("illicit_ads", "knockout_drug")],
)
def test_ban_at_once_labels(policy: Policy, label: str, subcategory: str | None) -> None:
    actions = evaluate(post("a", label, subcategory=subcategory), History(), policy, T0)
    assert kinds(actions) == ["delete_content", "strike", "ban"]
    assert actions[-1].until is None


def test_a_subcategory_overrides_its_label(policy: Policy) -> None:
    actions = evaluate(post("a", "porn", subcategory="vulgar"), History(), policy, T0)
    assert "ban" not in kinds(actions)
    assert actions[-1].rule == "labels.porn.subcategories.vulgar.strike"


def test_the_most_severe_label_governs(policy: Policy) -> None:
    event = post("a", "spam")
    decision = Decision("m", "block", (LabelResult("spam", 0.9), LabelResult("fraud", 0.8)))
    event = ContentEvent("m", "a", T0, decision)
    assert "ban" in kinds(evaluate(event, History(), policy, T0))


def test_a_banned_account_only_loses_the_content(policy: Policy) -> None:
    history = run(policy, [post("a", "porn")])
    later = T0 + timedelta(days=1)
    assert kinds(evaluate(post("a", "spam", at=later), history, policy, later)) == [
        "delete_content"
    ]


def test_evasion_restricts_even_a_first_offence(policy: Policy) -> None:
    actions = evaluate(post("a", "spam", evasion=True), History(), policy, T0)
    restricted = {a.capability for a in actions if a.kind == "restrict"}
    assert restricted == {"post_moments", "add_friends", "create_group"}
    assert {a.rule for a in actions if a.kind == "restrict"} == {"evasion"}


def test_evasion_and_escalation_keep_the_longest_measure(policy: Policy) -> None:
    history = run(policy, [post("a", "abuse")])
    later = T0 + timedelta(hours=1)
    actions = evaluate(post("a", "abuse", at=later, evasion=True), history, policy, later)
    until = {a.capability: a.until for a in actions if a.kind == "restrict"}
    assert until["publish_articles"] == later + timedelta(days=7)
    assert until["add_friends"] == later + timedelta(days=7)
    assert len(until) == 4


def test_the_forwarder_is_penalised(policy: Policy) -> None:
    event = post("fwd", "illicit_ads", subcategory="tobacco", forwarded_from="origin")
    actions = evaluate(event, History(), policy, T0)
    assert kinds(actions, "fwd") == ["warn", "strike"]
    assert "forwarded from origin" in actions[1].reason


def test_forwarding_can_be_exempted_by_policy(policy: Policy) -> None:
    lenient = policy.model_copy(
        update={"forwarding": policy.forwarding.model_copy(update={"penalise_forwarder": False})}
    )
    event = post("fwd", "spam", forwarded_from="origin")
    assert kinds(evaluate(event, History(), lenient, T0)) == ["delete_content"]


def test_a_group_is_restricted_then_dissolved_and_its_owner_answers(policy: Policy) -> None:
    events = [
        post(f"m{i}", "spam", at=T0 + timedelta(hours=i), group="g1", group_owner="boss")
        for i in range(5)
    ]
    history = History()
    log: list[Action] = []
    for event in events:
        actions = evaluate(event, history, policy, event.at)
        history, log = apply(actions, history), log + actions
    assert kinds(log, "g1").count("restrict") == 2
    assert kinds(log, "g1")[-1] == "dissolve_group"
    assert group_status(history.group("g1"), events[-1].at).state == "dissolved"
    assert kinds(log, "boss") == ["warn", "strike", "warn", "strike", "restrict"]
    assert not may_use(history.account("boss"), "create_group", events[-1].at)


def test_group_violations_outside_the_window_are_forgotten(policy: Policy) -> None:
    events = [post(f"m{i}", "spam", at=T0 + timedelta(days=31 * i), group="g1") for i in range(5)]
    history = run(policy, events)
    assert group_status(history.group("g1"), events[-1].at).state == "active"


def test_a_subject_is_barred_after_k_violating_accounts(policy: Policy) -> None:
    events = [
        post(f"acct{i}", "spam", at=T0 + timedelta(hours=i), subject="corp") for i in range(3)
    ]
    history = run(policy, events[:2])
    assert not history.subject("corp").registration_barred
    actions = evaluate(events[2], history, policy, events[2].at)
    assert kinds(actions, "corp") == [
        "record_subject_violation",
        "bar_subject_registration",
        "bar_subject_verification",
    ]


def test_one_account_violating_twice_counts_once_for_its_subject(policy: Policy) -> None:
    events = [post("acct", "spam", at=T0 + timedelta(hours=i), subject="corp") for i in range(4)]
    assert not run(policy, events).subject("corp").registration_barred


def test_a_barred_subject_cannot_register(policy: Policy) -> None:
    events = [post(f"a{i}", "spam", subject="corp") for i in range(3)]
    history = run(policy, events)
    actions = evaluate_registration(RegistrationEvent("r", "new", "corp", T0), history, policy, T0)
    assert kinds(actions) == ["refuse_registration"]


def test_a_new_account_of_a_recorded_subject_starts_with_its_history(policy: Policy) -> None:
    history = run(policy, [post("old", "abuse", subject="corp")])
    registration = RegistrationEvent("r", "new", "corp", T0 + timedelta(days=1))
    actions = evaluate_registration(registration, history, policy, registration.at)
    assert kinds(actions) == ["inherit_history"]
    history = apply(actions, history)
    assert account_status(history.account("new"), registration.at).active_weight == 2
    # The inherited weight pushes the new account's first violation up the ladder.
    first = post("new", "spam", at=registration.at + timedelta(hours=1), subject="corp")
    assert "restrict" in kinds(evaluate(first, history, policy, first.at), "new")


def test_an_unknown_subject_registers_freely(policy: Policy) -> None:
    registration = RegistrationEvent("r", "new", "nobody", T0)
    assert evaluate_registration(registration, History(), policy, T0) == []


def test_apply_leaves_the_input_history_untouched(policy: Policy) -> None:
    before = History()
    after = apply(evaluate(post("a", "porn", subject="s"), before, policy, T0), before)
    assert before == History()
    assert after.account("a").banned
