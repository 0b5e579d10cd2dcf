"""The report, review and appeal endpoints over HTTP: roles, idempotency, the flow from
a user report to verification, enforcement and appeal."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .conftest import Headers

ACCOUNT = {
    "kind": "personal",
    "subject": "s1",
    "identity_doc": "110101199001011234",
    "phone": "+8613800000001",
    "device": "d1",
    "ip": "10.0.0.1",
    "registered_at": "2026-01-01T00:00:00Z",
}


def report_body(report_id: str, text: str = "诚招兼职", **kw: Any) -> dict[str, Any]:
    body = {
        "report_id": report_id,
        "reporter": kw.pop("reporter", "u1"),
        "target": {"type": "account", "id": "a1"},
        "reason": "fraud",
        "evidence": {"text": text, "message_ids": ["m1"]},
    }
    body.update(kw)
    return body


@pytest.fixture
def seeded(client: TestClient, http_headers: Headers) -> TestClient:
    response = client.post(
        "/v1/accounts", json={"id": "a1", **ACCOUNT}, headers=http_headers["admin"]
    )
    assert response.status_code == 201, response.text
    return client


def test_every_endpoint_checks_roles(seeded: TestClient, http_headers: Headers) -> None:
    reviewer, service = http_headers["reviewer"], http_headers["service"]
    assert seeded.post("/v1/reports", json=report_body("r1")).status_code == 401
    assert seeded.post("/v1/reports", json=report_body("r1"), headers=reviewer).status_code == 403
    assert seeded.get("/v1/reviews/queues", headers=service).status_code == 403
    assert seeded.post("/v1/reviews/1/claim", headers=service).status_code == 403
    assert seeded.post("/v1/appeals", json={}, headers=reviewer).status_code == 403
    assert seeded.get("/v1/reporters/u1", headers=reviewer).status_code == 403
    assert seeded.get("/v1/reporters/u1", headers=http_headers["moderator"]).status_code == 200


def test_reports_are_idempotent_and_merge(seeded: TestClient, http_headers: Headers) -> None:
    service = http_headers["service"]
    first = seeded.post("/v1/reports", json=report_body("r1"), headers=service)
    assert first.status_code == 201, first.text
    replay = seeded.post("/v1/reports", json=report_body("r1"), headers=service)
    assert replay.status_code == 200 and replay.json() == first.json()
    merged = seeded.post("/v1/reports", json=report_body("r2", reporter="u2"), headers=service)
    case = merged.json()["case"]
    assert case["id"] == first.json()["case"]["id"] and case["reporter_count"] == 2
    assert case["queue"] == "fraud" and case["status"] == "open"
    labels = case["verification"]["labels"]
    assert labels[0]["evidence"][0]["text"] == "兼职"
    assert seeded.get("/v1/reports/r2", headers=service).json()["case"]["id"] == case["id"]
    assert seeded.get("/v1/reports/nope", headers=service).status_code == 404


def test_invalid_reports_are_refused(seeded: TestClient, http_headers: Headers) -> None:
    service = http_headers["service"]
    bad_target = report_body("r1", target={"type": "planet", "id": "x"})
    assert seeded.post("/v1/reports", json=bad_target, headers=service).status_code == 422
    bad_reason = report_body("r1", reason="Fraud!")
    assert seeded.post("/v1/reports", json=bad_reason, headers=service).status_code == 422


def test_from_report_to_verification_enforcement_and_appeal(
    seeded: TestClient, http_headers: Headers
) -> None:
    service, reviewer, other = (
        http_headers["service"],
        http_headers["reviewer"],
        http_headers["reviewer2"],
    )
    case = seeded.post("/v1/reports", json=report_body("r1"), headers=service).json()["case"]
    queues = seeded.get("/v1/reviews/queues", headers=reviewer).json()["queues"]
    assert queues == [{"queue": "fraud", "open": 1}]

    # Nothing is enforced before verification.
    assert seeded.get("/v1/accounts/a1", headers=reviewer).json()["status"] == "active"
    claimed = seeded.post("/v1/reviews/claim-next", json={"queue": "fraud"}, headers=reviewer)
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == "reviewer:reviewer"
    taken = seeded.post(f"/v1/reviews/{case['id']}/claim", headers=other)
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "not_claimable"
    decision = {"verdict": "violation", "reason": "兼职刷单诈骗", "action": "ban"}
    decided = seeded.post(f"/v1/reviews/{case['id']}/decision", json=decision, headers=reviewer)
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "resolved"
    account = seeded.get("/v1/accounts/a1", headers=reviewer).json()
    assert account["status"] == "banned" and account["ban_reason"] == "兼职刷单诈骗"

    appeal_body = {"appeal_id": "ap1", "account": "a1", "statement": "我是正规招聘"}
    appeal = seeded.post("/v1/appeals", json=appeal_body, headers=service)
    assert appeal.status_code == 201, appeal.text
    appeal_case = appeal.json()
    assert appeal_case["queue"] == "appeal" and appeal_case["appeal_of"] == case["id"]
    assert seeded.post("/v1/appeals", json=appeal_body, headers=service).status_code == 200
    # The reviewer who banned may not judge the appeal.
    refused = seeded.post(f"/v1/reviews/{appeal_case['id']}/claim", headers=reviewer)
    assert refused.status_code == 409
    assert seeded.post(f"/v1/reviews/{appeal_case['id']}/claim", headers=other).status_code == 200
    verdict = {"verdict": "overturned", "reason": "营业执照核实无误"}
    overturned = seeded.post(
        f"/v1/reviews/{appeal_case['id']}/decision", json=verdict, headers=other
    )
    assert overturned.status_code == 200 and overturned.json()["outcome"] == "overturned"
    assert seeded.get("/v1/accounts/a1", headers=reviewer).json()["status"] == "active"
    assert seeded.get("/v1/appeals/ap1", headers=service).json()["status"] == "resolved"

    detail = seeded.get(f"/v1/reviews/{case['id']}", headers=reviewer).json()
    assert detail["case"]["outcome"] == "overturned"
    assert [d["reviewer"] for d in detail["decisions"]] == ["reviewer:reviewer"]
    reporter = seeded.get("/v1/reporters/u1", headers=http_headers["admin"]).json()
    assert reporter == {"reporter": "u1", "upheld": 0, "rejected": 1, "reliability": 0.4}
    audit = seeded.get("/v1/audit", headers=http_headers["admin"]).json()
    whats = [entry["what"] for entry in audit["entries"]]
    for what in ("ban", "review_decision", "file_appeal", "unban", "appeal_decision"):
        assert what in whats


def test_clear_cut_reports_are_enforced_by_the_pipeline(
    seeded: TestClient, http_headers: Headers
) -> None:
    body = report_body("r1", text="高薪刷单，日结")
    case = seeded.post("/v1/reports", json=body, headers=http_headers["service"]).json()["case"]
    assert case["verified_by"] == "pipeline" and case["outcome"] == "violation"
    account = seeded.get("/v1/accounts/a1", headers=http_headers["reviewer"]).json()
    assert account["strikes"] > 0


def test_decisions_need_a_claim_and_valid_verdicts(
    seeded: TestClient, http_headers: Headers
) -> None:
    reviewer = http_headers["reviewer"]
    case = seeded.post(
        "/v1/reports", json=report_body("r1"), headers=http_headers["service"]
    ).json()["case"]
    decision = {"verdict": "violation", "reason": "x"}
    unclaimed = seeded.post(f"/v1/reviews/{case['id']}/decision", json=decision, headers=reviewer)
    assert unclaimed.status_code == 409 and unclaimed.json()["error"]["code"] == "not_claimed"
    seeded.post(f"/v1/reviews/{case['id']}/claim", headers=reviewer)
    wrong = {"verdict": "overturned", "reason": "x"}
    response = seeded.post(f"/v1/reviews/{case['id']}/decision", json=wrong, headers=reviewer)
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_verdict"
    assert seeded.get("/v1/reviews/999", headers=reviewer).status_code == 404
    listed = seeded.get("/v1/reviews?queue=fraud", headers=reviewer).json()["cases"]
    assert [c["id"] for c in listed] == [case["id"]]
    released = seeded.post(f"/v1/reviews/{case['id']}/release", headers=reviewer)
    assert released.json()["claimed_by"] is None
    empty = seeded.post("/v1/reviews/claim-next", json={"queue": "porn"}, headers=reviewer)
    assert empty.status_code == 404
