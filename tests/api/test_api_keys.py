"""``/v1/keys``: admins issue, list and revoke keys; other roles get 403."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from jingwang.adapters.storage import Role

Headers = dict[Role, dict[str, str]]
SCAN_BODY = {"items": [{"id": "m1", "text": "你好"}]}


def test_admin_creates_a_key_that_works_at_once(client: TestClient, headers: Headers) -> None:
    response = client.post(
        "/v1/keys", json={"name": "ingest", "role": "service"}, headers=headers[Role.ADMIN]
    )
    assert response.status_code == 201
    created = response.json()
    assert created["name"] == "ingest"
    assert created["role"] == "service"
    assert created["revoked_at"] is None
    assert created["key"].startswith(created["key_prefix"])
    scan = client.post(
        "/v1/scan", json=SCAN_BODY, headers={"Authorization": f"Bearer {created['key']}"}
    )
    assert scan.status_code == 200


def test_list_shows_prefixes_but_never_keys(
    client: TestClient, headers: Headers, keys: dict[Role, str]
) -> None:
    response = client.get("/v1/keys", headers=headers[Role.ADMIN])
    assert response.status_code == 200
    listed = response.json()["keys"]
    assert sorted(k["role"] for k in listed) == sorted(role.value for role in Role)
    assert all("key" not in k and "key_hash" not in k for k in listed)
    assert not any(secret in response.text for secret in keys.values())


def test_revoked_key_is_refused_and_revoking_again_changes_nothing(
    client: TestClient, headers: Headers
) -> None:
    listed = client.get("/v1/keys", headers=headers[Role.ADMIN]).json()["keys"]
    service_id = next(k["id"] for k in listed if k["role"] == "service")
    revoked = client.delete(f"/v1/keys/{service_id}", headers=headers[Role.ADMIN])
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    again = client.delete(f"/v1/keys/{service_id}", headers=headers[Role.ADMIN])
    assert again.json() == revoked.json()
    refused = client.post("/v1/scan", json=SCAN_BODY, headers=headers[Role.SERVICE])
    assert refused.status_code == 401


def test_revoking_an_unknown_key_is_404(client: TestClient, headers: Headers) -> None:
    response = client.delete("/v1/keys/999", headers=headers[Role.ADMIN])
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "key_not_found"


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.REVIEWER, Role.SERVICE])
@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/v1/keys"), ("POST", "/v1/keys"), ("DELETE", "/v1/keys/1")]
)
def test_other_roles_get_403(
    client: TestClient, headers: Headers, role: Role, method: str, path: str
) -> None:
    body = {"name": "x", "role": "admin"} if method == "POST" else None
    response = client.request(method, path, json=body, headers=headers[role])
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "forbidden",
        "message": "this endpoint needs one of the roles: admin",
    }


def test_keys_without_a_key_is_401(client: TestClient) -> None:
    response = client.get("/v1/keys")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "body", [{"name": "x", "role": "root"}, {"name": "", "role": "admin"}, {"role": "admin"}]
)
def test_invalid_key_request_is_422(client: TestClient, headers: Headers, body: object) -> None:
    response = client.post("/v1/keys", json=body, headers=headers[Role.ADMIN])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_keys_never_reach_the_logs(
    client: TestClient, headers: Headers, keys: dict[Role, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    created = client.post(
        "/v1/keys", json={"name": "n", "role": "reviewer"}, headers=headers[Role.ADMIN]
    ).json()
    client.post("/v1/scan", json=SCAN_BODY, headers={"Authorization": f"Bearer {created['key']}"})
    client.delete(f"/v1/keys/{created['id']}", headers=headers[Role.ADMIN])
    assert created["key_prefix"] in caplog.text
    for secret in [*keys.values(), created["key"]]:
        assert secret not in caplog.text
