"""The mission's enforcement ladder (§1–§3), told as stories over the default policy.

Each story replays events through the pure engine and ``apply``, exactly as
``jingwang policy simulate`` does, and checks what the platform did and when.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jingwang.core.enforcement import (
    Action,
    ContentEvent,
    Event,
    History,
    RegistrationEvent,
    account_status,
    group_status,
    may_use,
    replay,
)
from jingwang.core.policy import Policy, default_policy
from jingwang.core.types import Decision, LabelResult

DAY_ONE = datetime(2025, 4, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return default_policy()


def caught(
    event_id: str,
    account: str,
    label: str,
    *,
    day: float,
    subcategory: str | None = None,
    evasion: bool = False,
    **context: str,
) -> ContentEvent:
    """Content from ``account`` that the scanner blocked with ``label`` on ``day``."""
    at = DAY_ONE + timedelta(days=day)
    decision = Decision(event_id, "block", (LabelResult(label, 0.97, subcategory),), evasion)
    return ContentEvent(
        event_id=event_id,
        account=account,
        at=at,
        decision=decision,
        **context,  # type: ignore[arg-type]
    )


def done_to(actions: tuple[Action, ...], target: str, event_id: str | None = None) -> list[str]:
    return [
        action.kind
        for action in actions
        if action.target_id == target and event_id in (None, action.event_id)
    ]


def status_on(history: History, account: str, day: float) -> str:
    return account_status(history.account(account), DAY_ONE + timedelta(days=day)).state


def test_public_account_of_clickbait_and_rumours_is_warned_restricted_then_banned(
    policy: Policy,
) -> None:
    articles: list[Event] = [
        caught(
            f"article-{n}",
            "oa_daily",
            "clickbait" if n % 2 else "rumor",
            day=8 * n,
            account_kind="official",
            surface="article",
        )
        for n in range(10)
    ]
    result = replay(articles, policy)

    # Every article is deleted; the first two cost only a warning and a strike.
    assert done_to(result.actions, "article-0") == ["delete_content"]
    assert done_to(result.actions, "oa_daily", "article-1") == ["warn", "strike"]
    # The third strike reaches the first step of the ladder: no articles for a week.
    third = done_to(result.actions, "oa_daily", "article-2")
    assert third == ["warn", "strike", "restrict", "restrict"]
    assert status_on(replay(articles[:3], policy).history, "oa_daily", 17) == "restricted"
    # The sixth: a month without articles, moments, groups or new friends.
    assert done_to(result.actions, "oa_daily", "article-5").count("restrict") == 4
    # The tenth violation within the strikes' lifetime ends in a permanent ban.
    assert done_to(result.actions, "oa_daily", "article-9") == ["strike", "ban"]
    assert status_on(result.history, "oa_daily", 10_000) == "banned"


def test_porn_poster_in_moments_is_banned_at_once(policy: Policy) -> None:
    post = caught("moment-1", "seller", "porn", subcategory="porn_link", day=0, surface="moments")
    result = replay([post], policy)
    assert done_to(result.actions, "moment-1") == ["delete_content"]
    assert done_to(result.actions, "seller") == ["strike", "ban"]
    assert status_on(result.history, "seller", 0) == "banned"


def test_forwarding_is_not_an_excuse(policy: Policy) -> None:
    original = caught("ad-1", "vendor", "illicit_ads", subcategory="ecig", day=0, surface="moments")
    forwarded = caught(
        "ad-2",
        "friend",
        "illicit_ads",
        subcategory="ecig",
        day=1,
        surface="moments",
        forwarded_from="vendor",
    )
    result = replay([original, forwarded], policy)
    assert done_to(result.actions, "vendor") == ["warn", "strike"]
    assert done_to(result.actions, "friend") == ["warn", "strike"]
    assert done_to(result.actions, "ad-2") == ["delete_content"]
    assert result.history.account("friend").strikes[0].weight == 2


def test_a_subject_is_barred_after_three_violating_accounts_and_cannot_register_more(
    policy: Policy,
) -> None:
    gang: list[Event] = [
        caught(
            f"spam-{n}",
            f"shell-{n}",
            "gambling",
            day=n,
            subject="某某网络科技有限公司",
            surface="group",
        )
        for n in range(3)
    ]
    registration = RegistrationEvent(
        "reg-1", "shell-4", "某某网络科技有限公司", DAY_ONE + timedelta(3)
    )
    result = replay([*gang, registration], policy)

    assert done_to(result.actions, "某某网络科技有限公司", "spam-1") == ["record_subject_violation"]
    assert done_to(result.actions, "某某网络科技有限公司", "spam-2") == [
        "record_subject_violation",
        "bar_subject_registration",
        "bar_subject_verification",
    ]
    assert done_to(result.actions, "shell-4") == ["refuse_registration"]


def test_a_new_account_of_a_recorded_subject_inherits_its_record(policy: Policy) -> None:
    old = caught("m-1", "zhang-old", "abuse", day=0, subject="张三", surface="chat")
    registration = RegistrationEvent("reg", "zhang-new", "张三", DAY_ONE + timedelta(days=2))
    first_post = caught("m-3", "zhang-new", "spam", day=3, subject="张三", surface="chat")
    result = replay([old, registration, first_post], policy)
    assert done_to(result.actions, "zhang-new", "reg") == ["inherit_history"]
    # A fresh account would only be warned; this one is restricted on its first post.
    assert "restrict" in done_to(result.actions, "zhang-new", "m-3")


def test_content_caught_through_evasion_restricts_on_a_first_offence(policy: Policy) -> None:
    disguised = caught("m-1", "newbie", "spam", day=0, evasion=True, surface="moments")
    result = replay([disguised], policy)
    assert done_to(result.actions, "newbie") == [
        "warn",
        "strike",
        "restrict",
        "restrict",
        "restrict",
    ]
    assert not may_use(result.history.account("newbie"), "add_friends", disguised.at)


def test_a_restriction_expires_by_itself(policy: Policy) -> None:
    insults = [caught(f"m-{n}", "troll", "abuse", day=n, surface="group") for n in range(2)]
    history = replay(insults, policy).history
    assert status_on(history, "troll", 1) == "restricted"
    assert status_on(history, "troll", 7.9) == "restricted"
    assert status_on(history, "troll", 8) == "active"


def test_a_group_used_again_and_again_is_dissolved_and_its_owner_answers(
    policy: Policy,
) -> None:
    posts = [
        caught(
            f"g-{n}",
            f"member-{n}",
            "gambling",
            day=n,
            group="红包群",
            group_owner="群主",
            surface="group",
        )
        for n in range(5)
    ]
    result = replay(posts, policy)
    assert done_to(result.actions, "红包群", "g-2") == ["strike", "restrict", "restrict"]
    assert done_to(result.actions, "红包群", "g-4") == ["strike", "dissolve_group"]
    assert group_status(result.history.group("红包群"), posts[-1].at).state == "dissolved"
    assert not may_use(result.history.account("群主"), "create_group", posts[-1].at)
