"""``build_report`` on hand-made records: definitions, attribution, masking, examples."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jingwang.core.reports import (
    AccountFacts,
    ActionFacts,
    EventFacts,
    EventLabel,
    Period,
    PeriodError,
    ReportRecords,
    TargetCounts,
    build_report,
    mask_account_id,
    mask_nickname,
)

AT = datetime(2025, 5, 10, tzinfo=UTC)
DAY = date(2025, 5, 10)


def action(n: int, kind: str, target: str, rule: str, event: str | None = "e1") -> ActionFacts:
    target_type, _, target_id = target.partition(":")
    return ActionFacts(n, kind, target_type, target_id, AT, rule, event)


def records(*actions: ActionFacts, events: dict[str, EventFacts] | None = None) -> ReportRecords:
    accounts = {
        "wxid_author00001": AccountFacts("wxid_author00001", "personal", "张小凡"),
        "gh_official00002": AccountFacts("gh_official00002", "official", "好物"),
    }
    default = {"e1": EventFacts("e1", "wxid_author00001", "moments", (EventLabel("porn"),))}
    return ReportRecords(actions, default if events is None else events, accounts)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("wxid_8x7k2m9q1a3", "wxid****a3"),
        ("gh_0123456789abcdef", "gh_0****ef"),
        ("abcdefgh", "ab****h"),
        ("abcd", "a****"),
        ("abc", "****"),
        ("", "****"),
    ],
)
def test_account_ids_keep_at_most_four_and_two_characters(raw: str, masked: str) -> None:
    assert mask_account_id(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("张小凡", "张**"), ("李四", "李**"), ("王", "**"), ("  ", None), (None, None)],
)
def test_nicknames_keep_the_first_character(raw: str | None, masked: str | None) -> None:
    assert mask_nickname(raw) == masked


def test_a_period_is_whole_days_in_beijing_time() -> None:
    period = Period(date(2025, 5, 1), date(2025, 5, 31))
    assert period.start == datetime(2025, 4, 30, 16, tzinfo=UTC)
    assert period.end == datetime(2025, 5, 31, 16, tzinfo=UTC)
    with pytest.raises(PeriodError):
        Period(date(2025, 5, 2), date(2025, 5, 1))


def test_content_deletion_counts_its_author_once_per_label() -> None:
    built = build_report(
        records(
            action(1, "delete_content", "content:e1", "labels.porn.action"),
            action(2, "strike", "account:wxid_author00001", "labels.porn.strike"),
            action(3, "ban", "account:wxid_author00001", "labels.porn.ban_at_once"),
        ),
        DAY,
        DAY,
    )
    assert built.by_label == {"porn": TargetCounts(accounts=1)}
    assert built.by_surface == {"moments": TargetCounts(accounts=1)}
    assert built.actions == {"ban": 1, "delete_content": 1, "strike": 1}
    (example,) = built.examples
    assert (example.account, example.nickname, example.measure) == ("wxid****01", "张**", "ban")


def test_the_sub_category_comes_from_the_rule_path_or_else_the_event() -> None:
    events = {
        "e1": EventFacts("e1", "wxid_author00001", "chat", (EventLabel("porn", "porn_link"),)),
        "e2": EventFacts("e2", "gh_official00002", "article", (EventLabel("illicit_ads"),)),
    }
    built = build_report(
        records(
            action(1, "warn", "account:wxid_author00001", "labels.porn.action"),
            action(
                2,
                "warn",
                "account:gh_official00002",
                "labels.illicit_ads.subcategories.ecig.action",
                "e2",
            ),
            events=events,
        ),
        DAY,
        DAY,
    )
    assert built.by_subcategory == {
        "porn": {"porn_link": TargetCounts(accounts=1)},
        "illicit_ads": {"ecig": TargetCounts(official_accounts=1)},
    }


def test_group_measures_share_the_label_of_their_event() -> None:
    built = build_report(
        records(
            action(1, "strike", "group:chatroom_0001", "groups.window_days"),
            action(2, "warn", "account:wxid_owner", "groups.restrict_at"),
        ),
        DAY,
        DAY,
    )
    # No label rule among the event's actions: its primary label decides.
    assert built.by_label == {"porn": TargetCounts(accounts=1, groups=1)}


def test_manual_and_bookkeeping_actions() -> None:
    built = build_report(
        records(
            action(1, "ban", "account:wxid_author00001", "manual", None),
            action(2, "bar_subject_registration", "subject:s1", "manual", None),
            action(3, "unban", "account:wxid_author00001", "manual", None),
            action(4, "record_subject_violation", "subject:s2", "labels.porn.strike"),
        ),
        DAY,
        DAY,
    )
    assert built.by_label == {"manual": TargetCounts(accounts=1, subjects=1)}
    assert built.by_surface == {"unspecified": TargetCounts(accounts=1, subjects=1)}
    assert sum(built.actions.values()) == 4
    assert [e.kind for e in built.examples] == ["personal"]  # subjects are never examples


def test_actions_outside_the_period_are_ignored() -> None:
    late = ActionFacts(
        1, "ban", "account", "wxid_author00001", datetime(2025, 5, 10, 16, tzinfo=UTC), "manual"
    )
    built = build_report(records(late), DAY, DAY)
    assert built.actions == {} and built.by_label == {} and built.examples == ()


def test_examples_rotate_through_labels_and_stop_at_the_limit() -> None:
    events = {
        f"e{n}": EventFacts(f"e{n}", f"wxid_user{n:08d}", "chat", (EventLabel(label),))
        for n, label in enumerate(["porn", "porn", "porn", "fraud", "spam"])
    }
    actions = [
        action(
            n, "warn", f"account:wxid_user{n:08d}", f"labels.{e.labels[0].label}.action", f"e{n}"
        )
        for n, e in enumerate(events.values())
    ]
    built = build_report(records(*actions, events=events), DAY, DAY, max_examples=3)
    assert [e.label for e in built.examples] == ["porn", "fraud", "spam"]
