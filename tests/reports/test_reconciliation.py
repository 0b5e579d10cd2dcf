"""Every figure of the report equals the same figure counted straight from the audit log.

The expected counts are derived here without the report code: from the audit entries
(what was done, to which target, when, with which event's labels) and from what the
scenario itself posted (who wrote each event, on which surface, with which label).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from fastapi.testclient import TestClient

from jingwang.adapters.reports import transparency_report
from jingwang.adapters.storage import AuditEntry, Role, Storage, issue_key
from jingwang.api import create_app
from jingwang.core.pipeline import Scanner
from jingwang.core.reports import TargetCounts, TransparencyReport
from jingwang.reports_render import report_dict
from jingwang.settings import Settings

from .conftest import FIRST_DAY, LAST_DAY, PERIOD_END, PERIOD_START, History

# The documented definition of "handled" (docs/reports.md), written out independently.
HANDLED = {
    "delete_content",
    "warn",
    "strike",
    "restrict",
    "ban",
    "dissolve_group",
    "bar_subject_registration",
    "bar_subject_verification",
    "require_reverification",
}
BUCKET = {"personal": "accounts", "official": "official_accounts", "group": "groups"}


def _in_period(entry: AuditEntry) -> bool:
    return "action_id" in entry.evidence and PERIOD_START <= entry.at < PERIOD_END


def _handled(history: History) -> list[tuple[str, str, str | None, str, str]]:
    """(bucket, target id, subcategory, label, surface) per handled audit entry."""
    rows = []
    for entry in history.audit():
        if not _in_period(entry) or entry.what not in HANDLED:
            continue
        event_id = entry.evidence.get("event_id")
        if event_id is None:
            label, subcategory, surface = "manual", None, "unspecified"
        else:
            (label,) = entry.evidence["labels"]  # every scenario event has one label
            _, posted_label, subcategory, posted_surface = history.posts[event_id]
            assert posted_label == label
            surface = posted_surface or "unspecified"
        target_type, _, target_id = entry.target.partition(":")
        if target_type == "content":
            target_type, target_id = "account", history.posts[target_id][0]
        if target_type == "account":
            bucket = BUCKET[history.account_kinds.get(target_id, "personal")]
        else:
            bucket = {"group": "groups", "subject": "subjects"}[target_type]
        if bucket == "groups":
            target_id = f"group:{target_id}"
        rows.append((bucket, target_id, subcategory, label, surface))
    return rows


def _counts(rows: list[tuple[str, str]]) -> TargetCounts:
    return TargetCounts(**Counter(bucket for bucket, _ in set(rows)))


def _grouped(
    rows: list[tuple[str, str, str | None, str, str]], key: int
) -> dict[str, TargetCounts]:
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        if row[key] is not None:
            groups[str(row[key])].append((row[0], row[1]))
    return {name: _counts(members) for name, members in groups.items()}


def assert_reconciles(report: TransparencyReport, history: History) -> None:
    audit = [entry for entry in history.audit() if _in_period(entry)]
    assert dict(report.actions) == dict(Counter(entry.what for entry in audit))
    rows = _handled(history)
    assert report.totals == _counts([(bucket, target) for bucket, target, *_ in rows])
    assert dict(report.by_label) == _grouped(rows, 3)
    assert dict(report.by_surface) == _grouped(rows, 4)
    by_subcategory = {
        label: _grouped([row for row in rows if row[3] == label], 2)
        for label in {row[3] for row in rows if row[2] is not None}
    }
    assert {label: dict(subs) for label, subs in report.by_subcategory.items()} == by_subcategory


def test_the_report_reconciles_with_the_audit_log(storage: Storage, month: History) -> None:
    report = transparency_report(storage, FIRST_DAY, LAST_DAY)
    assert_reconciles(report, month)
    # The scenario reaches every kind of target, so no count is trivially zero.
    assert report.totals.accounts and report.totals.official_accounts
    assert report.totals.groups and report.totals.subjects
    assert {"porn", "spam", "illicit_ads", "fraud", "rumor", "manual"} <= set(report.by_label)


def test_edges_of_the_period_are_kept_out(memory_month: History) -> None:
    report = transparency_report(memory_month.service.storage, FIRST_DAY, LAST_DAY)
    assert "abuse" not in report.by_label  # posted at Beijing midnight of 1 June
    assert report.by_label["spam"].accounts == 1  # e-before is the edge account's only spam
    assert report.by_label["porn"].accounts == 2  # e-porn at Beijing midnight of 1 May counts


def test_an_account_counts_once_per_label_however_many_measures(memory_month: History) -> None:
    report = transparency_report(memory_month.service.storage, FIRST_DAY, LAST_DAY)
    spam_actions = sum(
        1 for e in memory_month.audit() if e.evidence.get("event_id", "").startswith("e-spam")
    )
    assert spam_actions > 3
    # wxid_spam… (three events) and the group-kind account, once each.
    assert report.by_label["spam"] == TargetCounts(accounts=1, groups=1)
    # The spammer's manual warning is counted again, under "manual".
    assert report.by_label["manual"].accounts == 3


@pytest.mark.parametrize("days", [(FIRST_DAY, FIRST_DAY), (LAST_DAY, LAST_DAY)])
def test_a_single_day_period_reconciles_too(memory_month: History, days: tuple) -> None:
    report = transparency_report(memory_month.service.storage, *days)
    assert sum(report.actions.values()) == sum(
        1
        for e in memory_month.audit()
        if "action_id" in e.evidence and report.period.start <= e.at < report.period.end
    )


def test_the_api_serves_the_same_reconciled_report(memory_month: History, tmp_path) -> None:
    storage = memory_month.service.storage
    key = issue_key(storage.api_keys, "mod", Role.MODERATOR).secret
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}", mode="dev")
    app = create_app(settings, Scanner([]), storage, clock=memory_month.clock)
    with TestClient(app) as client:
        response = client.get(
            "/v1/transparency",
            params={"from": "2025-05-01", "to": "2025-05-31", "format": "json"},
            headers={"Authorization": f"Bearer {key}"},
        )
    assert response.status_code == 200, response.text
    report = transparency_report(storage, FIRST_DAY, LAST_DAY)
    assert response.json() == report_dict(report)
    assert_reconciles(report, memory_month)
