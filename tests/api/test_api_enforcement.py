"""The enforcement endpoints over HTTP: contracts, errors and who may call what.

The app comes from ``conftest.py``: in-memory storage and a detector that flags 广告
as spam, which the default policy enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from jingwang.adapters.storage import Role

Headers = dict[Role, dict[str, str]]
AT = "2025-05-01T08:00:00+08:00"


def account_body(account_id: str, subject: str = "s1", **extra: Any) -> dict[str, Any]:
    body = {
        "id": account_id,
        "kind": "personal",
        "subject": subject,
        "identity_doc": "110101199003071234" if subject == "s1" else f"DOC-{subject}",
        "phone": "13812345678",
        "device": "dev-1",
        "ip": "203.0.113.7",
        "registered_at": AT,
        "nickname": "小王",
    }
    return body | extra


@pytest.fixture
def seeded(client: TestClient, headers: Headers) -> TestClient:
    """Account a1 of subject s1, and group g1 owned by a1."""
    admin = headers[Role.ADMIN]
    assert client.post("/v1/accounts", json=account_body("a1"), headers=admin).status_code == 201
    group = {"id": "g1", "owner": "a1", "admins": ["a2"]}
    assert client.post("/v1/groups", json=group, headers=admin).status_code == 201
    return client


def test_registering_returns_the_account_without_identity_data(
    client: TestClient, headers: Headers
) -> None:
    response = client.post("/v1/accounts", json=account_body("a1"), headers=headers[Role.SERVICE])
    assert response.status_code == 201
    account = response.json()
    assert account["status"] == "active"
    assert account["phone"] == "138****5678"
    assert account["registered_at"] == "2025-05-01T00:00:00Z"
    assert (account["strikes"], account["restrictions"], account["subject"]) == (0, [], "s1")
    assert "110101199003071234" not in response.text
    assert "13812345678" not in response.text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "robot"}, "kind"),
        ({"registered_at": "2025-05-01T08:00:00"}, "registered_at"),
        ({"id": ""}, "id"),
        ({"extra": 1}, "extra"),
    ],
)
def test_invalid_registrations_are_422(
    client: TestClient, headers: Headers, change: dict[str, Any], field: str
) -> None:
    body = account_body("a1") | change
    response = client.post("/v1/accounts", json=body, headers=headers[Role.SERVICE])
    assert response.status_code == 422
    assert field in response.json()["error"]["message"]


def test_duplicate_and_mismatching_registrations_are_409(
    seeded: TestClient, headers: Headers
) -> None:
    service = headers[Role.SERVICE]
    duplicate = seeded.post("/v1/accounts", json=account_body("a1"), headers=service)
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "account_exists"
    other_doc = account_body("a2", identity_doc="220101199001011111")
    mismatch = seeded.post("/v1/accounts", json=other_doc, headers=service)
    assert mismatch.status_code == 409
    assert mismatch.json()["error"]["code"] == "subject_mismatch"


def test_an_event_is_scanned_enforced_and_idempotent(seeded: TestClient, headers: Headers) -> None:
    event = {"event_id": "e1", "account": "a1", "text": "看广告", "surface": "chat", "at": AT}
    first = seeded.post("/v1/events", json=event, headers=headers[Role.SERVICE])
    assert first.status_code == 200
    outcome = first.json()
    assert outcome["decision"] == "block"
    assert [label["label"] for label in outcome["labels"]] == ["spam"]
    assert {"delete_content", "warn", "strike"} <= {a["kind"] for a in outcome["actions"]}
    assert all(a["actor"] == "policy" for a in outcome["actions"])
    again = seeded.post("/v1/events", json=event | {"text": "你好"}, headers=headers[Role.SERVICE])
    assert again.json() == outcome
    account = seeded.get("/v1/accounts/a1", headers=headers[Role.REVIEWER]).json()
    assert account["strikes"] == 1


def test_a_clean_event_passes_with_no_actions(seeded: TestClient, headers: Headers) -> None:
    event = {"event_id": "e1", "account": "a1", "text": "今晚吃饭吗", "at": AT}
    response = seeded.post("/v1/events", json=event, headers=headers[Role.SERVICE])
    assert response.json() == {"event_id": "e1", "decision": "pass", "labels": [], "actions": []}


def test_events_of_unknown_accounts_are_404(client: TestClient, headers: Headers) -> None:
    event = {"event_id": "e1", "account": "ghost", "text": "广告", "at": AT}
    response = client.post("/v1/events", json=event, headers=headers[Role.SERVICE])
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "account_not_found",
        "message": "no account ghost; register it with POST /v1/accounts first",
    }


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"text": "长" * 201}, "too_long"),
        ({"text": None}, "empty_item"),
        ({"surface": "telepathy"}, "invalid_surface"),
        ({"urls": ["https://example.com/"] * 33}, "too_many"),
    ],
)
def test_events_follow_the_scan_item_rules(
    seeded: TestClient, headers: Headers, change: dict[str, Any], code: str
) -> None:
    event = {"event_id": "e1", "account": "a1", "text": "hi", "at": AT} | change
    response = seeded.post("/v1/events", json=event, headers=headers[Role.SERVICE])
    assert (response.status_code, response.json()["error"]["code"]) == (422, code)
    assert seeded.get("/v1/audit", headers=headers[Role.ADMIN]).json()["entries"][-1]["seq"] == 2


def test_group_and_subject_views(seeded: TestClient, headers: Headers) -> None:
    group = seeded.get("/v1/groups/g1", headers=headers[Role.SERVICE]).json()
    assert group == {
        "id": "g1",
        "status": "active",
        "owner": "a1",
        "admins": ["a2"],
        "restrictions": [],
        "strikes": 0,
        "dissolved": False,
    }
    subject = seeded.get("/v1/subjects/s1", headers=headers[Role.REVIEWER]).json()
    assert subject["accounts"] == [{"id": "a1", "kind": "personal", "status": "active"}]
    assert subject["document"] == "1****************4"
    assert (subject["registration_barred"], subject["violations"]) == (False, 0)


@pytest.mark.parametrize("path", ["/v1/accounts/x", "/v1/groups/x", "/v1/subjects/x"])
def test_unknown_records_are_404(client: TestClient, headers: Headers, path: str) -> None:
    response = client.get(path, headers=headers[Role.ADMIN])
    assert response.status_code == 404
    assert response.json()["error"]["code"].endswith("_not_found")


def test_manual_restriction_shows_on_the_account(seeded: TestClient, headers: Headers) -> None:
    body = {
        "target": "account:a1",
        "kind": "restrict",
        "capability": "add_friends",
        "until": "2999-01-01T00:00:00Z",
        "reason": "adds strangers in bulk",
    }
    response = seeded.post("/v1/actions", json=body, headers=headers[Role.MODERATOR])
    assert response.status_code == 201
    [action] = response.json()["actions"]
    assert (action["actor"], action["rule"], action["target"]) == (
        "moderator:moderator",
        "manual",
        "account:a1",
    )
    account = seeded.get("/v1/accounts/a1", headers=headers[Role.SERVICE]).json()
    assert account["status"] == "restricted"
    assert account["restrictions"] == [
        {
            "capability": "add_friends",
            "until": "2999-01-01T00:00:00Z",
            "reason": "adds strangers in bulk",
        }
    ]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"target": "account:a1", "kind": "ban"}, 422, "invalid_request"),
        ({"target": "account:a1", "kind": "ban", "reason": ""}, 422, "invalid_request"),
        ({"target": "planet:a1", "kind": "ban", "reason": "r"}, 422, "invalid_request"),
        ({"target": "account:zz", "kind": "ban", "reason": "r"}, 404, "account_not_found"),
        ({"target": "account:a1", "kind": "unban", "reason": "r"}, 409, "not_banned"),
        ({"target": "group:g1", "kind": "ban", "reason": "r"}, 422, "invalid_target"),
        ({"target": "account:a1", "kind": "restrict", "reason": "r"}, 422, "invalid_capability"),
    ],
)
def test_refused_manual_actions(
    seeded: TestClient, headers: Headers, body: dict[str, Any], status: int, code: str
) -> None:
    response = seeded.post("/v1/actions", json=body, headers=headers[Role.ADMIN])
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)


def test_audit_pages_and_verifies(seeded: TestClient, headers: Headers) -> None:
    admin = headers[Role.ADMIN]
    for n in range(3):
        body = {"target": "account:a1", "kind": "warn", "reason": f"warning {n}"}
        seeded.post("/v1/actions", json=body, headers=admin)
    first = seeded.get("/v1/audit", params={"limit": 2}, headers=admin).json()
    assert [e["seq"] for e in first["entries"]] == [1, 2]
    assert first["entries"][0]["what"] == "register_account"
    assert first["next_after"] == 2
    rest = seeded.get("/v1/audit", params={"after": 2, "limit": 10}, headers=admin).json()
    assert [e["seq"] for e in rest["entries"]] == [3, 4, 5]
    assert rest["next_after"] is None
    assert rest["entries"][-1]["reason"] == "warning 2"
    assert rest["entries"][0]["prev_hash"] == first["entries"][-1]["hash"]
    verify = seeded.get("/v1/audit/verify", headers=admin).json()
    assert verify == {"ok": True, "checked": 5, "first_bad_seq": None}


# --- who may call what ----------------------------------------------------------------

Call = Callable[[TestClient, dict[str, str], str], Response]


def _post_account(client: TestClient, auth: dict[str, str], role: str) -> Response:
    body = account_body(f"new-{role}", subject=f"s-{role}")
    return client.post("/v1/accounts", json=body, headers=auth)


def _post_event(client: TestClient, auth: dict[str, str], role: str) -> Response:
    event = {"event_id": f"e-{role}", "account": "a1", "text": "hi", "at": AT}
    return client.post("/v1/events", json=event, headers=auth)


def _post_group(client: TestClient, auth: dict[str, str], role: str) -> Response:
    return client.post("/v1/groups", json={"id": f"g-{role}"}, headers=auth)


def _post_action(client: TestClient, auth: dict[str, str], role: str) -> Response:
    body = {"target": "account:a1", "kind": "warn", "reason": f"by {role}"}
    return client.post("/v1/actions", json=body, headers=auth)


def _get(path: str) -> Call:
    return lambda client, auth, _: client.get(path, headers=auth)


ALL = set(Role)
MATRIX: dict[str, tuple[Call, set[Role]]] = {
    "POST /v1/accounts": (_post_account, {Role.ADMIN, Role.SERVICE}),
    "POST /v1/events": (_post_event, {Role.ADMIN, Role.SERVICE}),
    "POST /v1/groups": (_post_group, {Role.ADMIN, Role.SERVICE}),
    "POST /v1/actions": (_post_action, {Role.ADMIN, Role.MODERATOR}),
    "GET /v1/accounts/{id}": (_get("/v1/accounts/a1"), ALL),
    "GET /v1/groups/{id}": (_get("/v1/groups/g1"), ALL),
    "GET /v1/subjects/{id}": (_get("/v1/subjects/s1"), ALL - {Role.SERVICE}),
    "GET /v1/audit": (_get("/v1/audit"), {Role.ADMIN}),
    "GET /v1/audit/verify": (_get("/v1/audit/verify"), {Role.ADMIN}),
}


@pytest.mark.parametrize("endpoint", MATRIX)
def test_rbac_matrix(seeded: TestClient, headers: Headers, endpoint: str) -> None:
    call, allowed = MATRIX[endpoint]
    outcomes = {role: call(seeded, headers[role], role.value).status_code for role in Role}
    expected = {role: "2xx" if role in allowed else 403 for role in Role}
    seen = {role: "2xx" if 200 <= code < 300 else code for role, code in outcomes.items()}
    assert seen == expected
    assert call(seeded, {}, "anonymous").status_code == 401
