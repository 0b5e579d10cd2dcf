"""The synchronous client against a live server on loopback: every resource, real HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from tests.client.conftest import LiveApi

from jingwang.adapters.storage import Role
from jingwang.client import (
    AuthenticationError,
    Client,
    ConflictError,
    InvalidRequestError,
    ItemErrorPublic,
    NotFoundError,
    PermissionDeniedError,
    ScanItem,
    ScanResultPublic,
)
from support import load_module

AT = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def account_body(account_id: str, subject: str) -> dict[str, Any]:
    return {
        "id": account_id,
        "kind": "personal",
        "subject": subject,
        "identity_doc": f"DOC-{subject}",
        "phone": "13812345678",
        "device": unique("dev"),
        "ip": "203.0.113.7",
        "registered_at": AT,
        "nickname": "小王",
    }


@pytest.fixture
def admin(live_api: LiveApi) -> Any:
    with Client(live_api.url, live_api.keys[Role.ADMIN]) as client:
        yield client


@pytest.fixture
def service(live_api: LiveApi) -> Any:
    with Client(live_api.url, live_api.keys[Role.SERVICE]) as client:
        yield client


def test_health_and_scan(service: Client) -> None:
    assert service.health().status == "ok"
    results = service.scan(
        [ScanItem(id="m1", text="看广告领红包", surface="chat"), {"id": "m2"}], timeout=5
    )
    first, second = results
    assert isinstance(first, ScanResultPublic) and first.ok
    assert first.labels[0].label == "spam"
    assert first.labels[0].evidence[0].text == "广告"
    assert isinstance(second, ItemErrorPublic) and not second.ok
    assert second.error.code == "empty_item"


def test_errors_carry_the_server_code(live_api: LiveApi) -> None:
    with (
        Client(live_api.url, "jw_not-a-key") as stranger,
        pytest.raises(AuthenticationError) as caught,
    ):
        stranger.scan([{"id": "m1", "text": "hi"}])
    assert (caught.value.status_code, caught.value.code) == (401, "invalid_key")
    with Client(live_api.url, live_api.keys[Role.REVIEWER]) as reviewer:
        with pytest.raises(PermissionDeniedError) as denied:
            reviewer.keys.list()
        assert denied.value.code == "forbidden"
        with pytest.raises(NotFoundError) as missing:
            reviewer.accounts.get("nobody-here")
        assert missing.value.code == "account_not_found"


def test_keys_are_issued_listed_and_revoked(admin: Client, live_api: LiveApi) -> None:
    created = admin.keys.create(unique("ingest"), "service")
    assert created.key.startswith("jw_") and created.role == "service"
    assert created.id in {key.id for key in admin.keys.list()}
    with Client(live_api.url, created.key) as fresh:
        assert fresh.scan([{"id": "x", "text": "你好"}])[0].ok
        assert admin.keys.revoke(created.id).revoked_at is not None
        with pytest.raises(AuthenticationError):
            fresh.scan([{"id": "x", "text": "你好"}])


def test_enforcement_flow(admin: Client, service: Client) -> None:
    account_id, subject = unique("acct"), unique("subj")
    account = service.accounts.register(account_body(account_id, subject))
    assert (account.id, account.status, account.phone) == (account_id, "active", "138****5678")
    with pytest.raises(ConflictError) as taken:
        service.accounts.register(account_body(account_id, subject))
    assert taken.value.code == "account_exists"
    with pytest.raises(InvalidRequestError) as invalid:
        service.accounts.register(account_body("", subject))
    assert invalid.value.code == "invalid_request"

    group_id = unique("grp")
    assert service.groups.create(group_id, owner=account_id).owner == account_id
    assert service.groups.get(group_id).status == "active"

    event = {"account": account_id, "group": group_id, "text": "广告：加我", "at": AT}
    outcome = service.events.create(event)
    assert outcome.event_id.startswith("evt-")
    assert outcome.labels[0].label == "spam" and outcome.actions
    replay = service.events.create({**event, "event_id": outcome.event_id, "text": "平安"})
    assert replay == outcome

    assert service.accounts.get(account_id).strikes >= 0
    subject_view = admin.subjects.get(subject)
    assert account_id in {a.id for a in subject_view.accounts}

    actions = admin.actions.create(f"account:{account_id}", "warn", "client test")
    assert actions[0].kind == "warn" and actions[0].actor.startswith("admin:")

    entries = list(admin.audit.iter(page_size=2))
    assert len(entries) >= 3
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    assert admin.audit.list(limit=1).next_after == entries[0].seq
    assert admin.audit.verify().ok

    report = admin.transparency.get(date(2025, 5, 1), date(2025, 5, 7))
    assert isinstance(report, dict)
    assert admin.transparency.render(date(2025, 5, 1), date(2025, 5, 7), "md").startswith("#")


def test_reports_reviews_and_appeals(admin: Client, service: Client, live_api: LiveApi) -> None:
    account_id = unique("acct")
    service.accounts.register(account_body(account_id, unique("subj")))
    reason = unique("fraud").replace("-", "_")
    body = {
        "reporter": "u-42",
        "target": {"type": "account", "id": account_id},
        "reason": reason,
        "evidence": {"text": "高薪刷单，日结", "message_ids": ["m9"]},
    }
    filed = service.reports.create(body)
    assert filed.report_id.startswith("rep-") and filed.case.status == "open"
    assert service.reports.create({**body, "report_id": filed.report_id}) == filed
    assert service.reports.get(filed.report_id).case.id == filed.case.id
    assert admin.reporters.get("u-42").reporter == "u-42"

    queue = filed.case.queue
    assert queue in {q.queue for q in admin.reviews.queues()}
    assert filed.case.id in {c.id for c in admin.reviews.list(queue=queue)}
    claimed = admin.reviews.claim_next(queue)
    assert claimed is not None and claimed.id == filed.case.id
    with Client(live_api.url, live_api.keys[Role.MODERATOR]) as moderator:
        assert moderator.reviews.claim_next(queue) is None
    assert admin.reviews.release(claimed.id).claimed_by is None
    assert admin.reviews.claim(claimed.id).claimed_by is not None
    detail = admin.reviews.get(claimed.id)
    assert detail.reports[0].report_id == filed.report_id
    decided = admin.reviews.decide(claimed.id, "violation", "刷单诈骗", action="warn")
    assert decided.outcome is not None

    case = service.appeals.create(account_id, "我没有刷单", case_id=claimed.id)
    assert case.kind == "appeal" and case.appeal_id is not None
    assert service.appeals.get(case.appeal_id).id == case.id


def test_gangs_and_campaigns(admin: Client, service: Client) -> None:
    account_id = unique("acct")
    service.accounts.register(account_body(account_id, unique("subj")))
    page = admin.gangs.list(limit=5)
    assert page.total >= len(page.gangs)
    assert len(list(admin.gangs.iter(page_size=2))) == page.total
    related = admin.accounts.related(account_id)
    assert related.account == account_id

    text = "加微信abc123领福利，名额有限速来"
    event = service.events.create({"account": account_id, "text": text, "at": AT})
    near = admin.campaigns.near(text)
    assert event.event_id in {match.message_id for match in near.matches}
    confirmed = admin.campaigns.confirm(event.event_id)
    assert confirmed.total == len(confirmed.matches)
    with pytest.raises(NotFoundError) as missing:
        admin.campaigns.confirm(unique("nope"))
    assert missing.value.code == "message_not_found"


def test_the_examples_run_against_the_live_server(
    live_api: LiveApi, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path  # noqa: PLC0415

    examples = Path(__file__).resolve().parents[2] / "examples"

    def load(name: str) -> Any:
        return load_module(f"example_{name}", examples / f"{name}.py")

    service, moderator = live_api.keys[Role.SERVICE], live_api.keys[Role.MODERATOR]
    url = ["--url", live_api.url]
    assert load("scan_inline").main([*url, "--key", service, "广告在此", "你好"]) == 0
    routed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert routed[1] == "deliver" and routed[0] in {"hold", "block"}
    assert load("post_events").main([*url, "--key", service, "--account", unique("ex")]) == 0
    assert "account" in capsys.readouterr().out
    review = ["--service-key", service, "--reviewer-key", moderator, "--account", unique("ex")]
    assert load("review_decisions").main([*url, *review]) == 0
    assert "the reporter is told" in capsys.readouterr().out
