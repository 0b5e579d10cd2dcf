"""The console over HTTP (no browser): sign-in, the session cookie, CSRF, pages in both
languages, and every template string translated."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jingwang.adapters.storage import hash_key
from jingwang.console.highlight import Segment, segments
from jingwang.console.i18n import NOTICES, ZH
from jingwang.console.session import ConsoleSecretError, SessionSigner, console_secret
from jingwang.settings import Settings

from .conftest import Headers
from .test_review_api import ACCOUNT, report_body

TEMPLATES = Path(__file__).resolve().parents[2] / "src/jingwang/console/templates"


def keys_of(headers: Headers, name: str) -> str:
    return headers[name]["Authorization"].removeprefix("Bearer ")


def sign_in(client: TestClient, headers: Headers, name: str = "reviewer") -> str:
    response = client.post(
        "/console/login", data={"key": keys_of(headers, name)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = client.get("/console/")
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match is not None
    return match.group(1)


@pytest.fixture
def seeded(client: TestClient, http_headers: Headers) -> TestClient:
    client.post("/v1/accounts", json={"id": "a1", **ACCOUNT}, headers=http_headers["admin"])
    body = report_body("r1", text="诚招兼职，日结")
    client.post("/v1/reports", json=body, headers=http_headers["service"])
    return client


def test_root_and_pages_send_strangers_to_sign_in(client: TestClient) -> None:
    assert client.get("/", follow_redirects=False).headers["location"] == "/console/"
    response = client.get("/console/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/console/login"
    assert "登录" in client.get("/console/login").text


def test_only_console_roles_sign_in(client: TestClient, http_headers: Headers) -> None:
    refused = client.post("/console/login", data={"key": keys_of(http_headers, "service")})
    assert refused.status_code == 401
    assert client.post("/console/login", data={"key": "jw_nope"}).status_code == 401


def test_the_session_cookie_holds_the_key_digest_never_the_key(
    client: TestClient, http_headers: Headers
) -> None:
    sign_in(client, http_headers)
    cookie = client.cookies["jw_console"]
    payload = cookie.rsplit(".", 1)[0]
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    secret = keys_of(http_headers, "reviewer")
    assert secret not in cookie and secret not in json.dumps(body)
    assert body["h"] == hash_key(secret)


def test_a_forged_cookie_is_ignored(client: TestClient) -> None:
    client.cookies.set("jw_console", "eyJrIjoiand9hIn0.forged")
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_posts_need_the_csrf_token(seeded: TestClient, http_headers: Headers) -> None:
    csrf = sign_in(seeded, http_headers)
    forged = seeded.post("/console/cases/1/claim", data={"csrf": "wrong"})
    assert forged.status_code == 403
    cross = seeded.post(
        "/console/cases/1/claim", data={"csrf": csrf}, headers={"Origin": "https://evil.example"}
    )
    assert cross.status_code == 403
    ok = seeded.post("/console/cases/1/claim", data={"csrf": csrf}, follow_redirects=False)
    assert ok.status_code == 303


def test_claim_decide_and_see_the_account(seeded: TestClient, http_headers: Headers) -> None:
    csrf = sign_in(seeded, http_headers)
    queue = seeded.get("/console/?queue=fraud")
    assert "诈骗" in queue.text and "/console/cases/1" in queue.text
    claimed = seeded.post("/console/claim-next", data={"csrf": csrf, "queue": "fraud"})
    assert "<mark" in claimed.text and "兼职</mark>" in claimed.text
    decided = seeded.post(
        "/console/cases/1/decision",
        data={"csrf": csrf, "verdict": "violation", "action": "ban", "reason": "兼职诈骗"},
    )
    assert "已记录处理决定" in decided.text
    account = seeded.get("/console/accounts/a1")
    assert "已封禁" in account.text and "兼职诈骗" in account.text


def test_refusals_come_back_as_notices(seeded: TestClient, http_headers: Headers) -> None:
    csrf = sign_in(seeded, http_headers)
    response = seeded.post(
        "/console/cases/1/decision", data={"csrf": csrf, "verdict": "violation", "reason": "x"}
    )
    assert response.url.query == b"notice=not_claimed" or "notice=not_claimed" in str(response.url)
    assert "请先（重新）领取案件再作决定" in response.text


def test_english_interface_and_audit_for_admins(seeded: TestClient, http_headers: Headers) -> None:
    sign_in(seeded, http_headers, "admin")
    seeded.get("/console/lang?to=en&next=/console/audit")
    audit = seeded.get("/console/audit")
    assert audit.status_code == 200 and "Audit log" in audit.text and "chain intact" in audit.text
    assert (
        seeded.get("/console/lang?to=en&next=https://evil.example", follow_redirects=False).headers[
            "location"
        ]
        == "/console/"
    )
    found = seeded.get("/console/search?q=a1")
    assert "/console/accounts/a1" in found.text and "/console/cases/1" in found.text


def test_reviewers_do_not_see_the_audit_log(seeded: TestClient, http_headers: Headers) -> None:
    sign_in(seeded, http_headers)
    assert seeded.get("/console/audit").status_code == 403


def test_reported_text_is_escaped(client: TestClient, http_headers: Headers) -> None:
    client.post("/v1/accounts", json={"id": "a1", **ACCOUNT}, headers=http_headers["admin"])
    body = report_body("r1", text="<script>alert(1)</script>兼职")
    client.post("/v1/reports", json=body, headers=http_headers["service"])
    sign_in(client, http_headers)
    page = client.get("/console/cases/1").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_every_template_string_has_a_chinese_translation() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""\bt\(["']([^"']+)["']\)""", template.read_text()))
    assert used - ZH.keys() == set()
    assert set(NOTICES.values()) - ZH.keys() == set()


def test_evidence_spans_cut_the_text() -> None:
    cut = segments("加我薇信看片", [(2, 4, "porn"), (3, 6, "spam")])
    assert cut == (
        Segment("加我"),
        Segment("薇", ("porn",)),
        Segment("信", ("porn", "spam")),
        Segment("看片", ("spam",)),
    )


def test_sessions_are_signed_and_expire() -> None:
    signer = SessionSigner(b"k" * 32)
    session = signer.new("0" * 64)
    assert signer.load(signer.dump(session)) == session
    assert SessionSigner(b"x" * 32).load(signer.dump(session)) is None
    assert signer.load(signer.dump(replace(session, expires=1))) is None


def test_prod_mode_refuses_a_missing_console_secret() -> None:
    prod = Settings(mode="prod", database_url="postgresql+psycopg://u@h/db")
    with pytest.raises(ConsoleSecretError):
        console_secret(prod, {})
    assert console_secret(prod, {"JINGWANG_CONSOLE_SECRET": "s" * 40}) == b"s" * 40
    dev = Settings(mode="dev")
    assert console_secret(dev, {}) != console_secret(dev, {})


def test_moderators_read_the_transparency_report_in_the_console(
    seeded: TestClient, http_headers: Headers
) -> None:
    sign_in(seeded, http_headers, "moderator")
    page = seeded.get("/console/reports", params={"from": "2025-01-01", "to": "2025-01-31"})
    assert page.status_code == 200
    assert 'action="/console/reports"' in page.text and "<svg" in page.text
    assert "/console/reports" in seeded.get("/console/").text


def test_reviewers_do_not_read_the_transparency_report(
    seeded: TestClient, http_headers: Headers
) -> None:
    sign_in(seeded, http_headers)
    assert seeded.get("/console/reports").status_code == 403
