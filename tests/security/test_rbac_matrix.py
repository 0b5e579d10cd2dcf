"""Every endpoint × every role: allowed roles get through, the others get 403, no key 401.

The table below is the access policy, written out by hand from the routes'
``require_roles``. The test enumerates ``app.routes``, so an endpoint added without an
entry here fails ``test_every_route_has_an_entry`` until someone decides who may use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Mount

from jingwang.adapters.storage import Role, Storage, issue_key
from jingwang.api import create_app
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings

ADMIN = frozenset({Role.ADMIN})
WRITERS = frozenset({Role.ADMIN, Role.SERVICE})
ACTORS = frozenset({Role.ADMIN, Role.MODERATOR})
CASE_READERS = frozenset({Role.ADMIN, Role.MODERATOR, Role.REVIEWER})
STATUS_READERS = CASE_READERS | {Role.SERVICE}
REPORT_READERS = frozenset({Role.ADMIN, Role.MODERATOR})
FILERS = WRITERS
REVIEWERS = CASE_READERS
OUTCOME_READERS = CASE_READERS | {Role.SERVICE}
# The console signs people in with their API key; the service role has no console.
CONSOLE_ROLES = CASE_READERS
APPEAL_FILERS = frozenset({Role.ADMIN, Role.MODERATOR})
EVERY_ROLE = frozenset(Role)

AT = "2025-05-01T09:00:00Z"


@dataclass(frozen=True)
class Probe:
    """Who may call an endpoint, and a request that an allowed role can send."""

    roles: frozenset[Role]
    path: str | None = None  # the template filled in; None: the route's own path
    body: dict[str, Any] | None = None
    query: dict[str, Any] = field(default_factory=dict)


# (method, route path) -> probe. Keep in step with the routers' require_roles.
PROTECTED: dict[tuple[str, str], Probe] = {
    ("POST", "/v1/scan"): Probe(EVERY_ROLE, body={"items": [{"id": "m1", "text": "广告"}]}),
    ("GET", "/v1/keys"): Probe(ADMIN),
    ("POST", "/v1/keys"): Probe(ADMIN, body={"name": "new", "role": "service"}),
    ("DELETE", "/v1/keys/{key_id}"): Probe(ADMIN, path="/v1/keys/{spare_key}"),
    ("POST", "/v1/accounts"): Probe(
        WRITERS,
        body={
            "id": "acc-new",
            "kind": "personal",
            "subject": "subj-new",
            "identity_doc": "110101199003071234",
            "phone": "13812345678",
            "device": "dev-1",
            "ip": "203.0.113.7",
            "registered_at": AT,
        },
    ),
    ("GET", "/v1/accounts/{account_id}"): Probe(STATUS_READERS, path="/v1/accounts/acc-1"),
    ("GET", "/v1/accounts/{account_id}/related"): Probe(
        CASE_READERS, path="/v1/accounts/acc-1/related"
    ),
    ("GET", "/v1/gangs"): Probe(CASE_READERS, query={"limit": 5}),
    ("POST", "/v1/campaigns/near"): Probe(CASE_READERS, body={"text": "加微信领取福利优惠广告"}),
    ("POST", "/v1/campaigns/confirm"): Probe(ACTORS, body={"message_id": "e1"}),
    ("POST", "/v1/events"): Probe(
        WRITERS, body={"event_id": "e1", "account": "acc-1", "text": "广告", "at": AT}
    ),
    ("GET", "/v1/subjects/{subject_id}"): Probe(CASE_READERS, path="/v1/subjects/subj-1"),
    ("POST", "/v1/groups"): Probe(WRITERS, body={"id": "g-1", "owner": "acc-1"}),
    ("GET", "/v1/groups/{group_id}"): Probe(STATUS_READERS, path="/v1/groups/g-1"),
    ("POST", "/v1/actions"): Probe(
        ACTORS, body={"target": "account:acc-1", "kind": "warn", "reason": "test"}
    ),
    ("GET", "/v1/audit"): Probe(ADMIN, query={"limit": 5}),
    ("GET", "/v1/audit/verify"): Probe(ADMIN),
    ("GET", "/v1/transparency"): Probe(
        REPORT_READERS, query={"from": "2025-05-01", "to": "2025-05-07"}
    ),
    ("GET", "/console/transparency"): Probe(REPORT_READERS),
    ("POST", "/v1/reports"): Probe(
        FILERS,
        body={
            "report_id": "r-1",
            "reporter": "u-1",
            "target": {"type": "account", "id": "acc-1"},
            "reason": "fraud",
            "evidence": {"text": "广告"},
        },
    ),
    ("GET", "/v1/reports/{report_id}"): Probe(OUTCOME_READERS, path="/v1/reports/r-0"),
    ("GET", "/v1/reporters/{reporter}"): Probe(REPORT_READERS, path="/v1/reporters/u-1"),
    ("GET", "/v1/reviews/queues"): Probe(REVIEWERS),
    ("GET", "/v1/reviews"): Probe(REVIEWERS, query={"limit": 5}),
    ("POST", "/v1/reviews/claim-next"): Probe(REVIEWERS, body={}),
    ("GET", "/v1/reviews/{case_id}"): Probe(REVIEWERS, path="/v1/reviews/1"),
    ("POST", "/v1/reviews/{case_id}/claim"): Probe(REVIEWERS, path="/v1/reviews/1/claim"),
    ("POST", "/v1/reviews/{case_id}/release"): Probe(REVIEWERS, path="/v1/reviews/1/release"),
    ("POST", "/v1/reviews/{case_id}/decision"): Probe(
        REVIEWERS, path="/v1/reviews/1/decision", body={"verdict": "violation", "reason": "x"}
    ),
    ("POST", "/v1/appeals"): Probe(
        FILERS, body={"appeal_id": "ap-1", "account": "acc-1", "statement": "not me"}
    ),
    ("GET", "/v1/appeals/{appeal_id}"): Probe(OUTCOME_READERS, path="/v1/appeals/ap-0"),
}

# Console pages and forms: a signed session cookie instead of a bearer key. Without a
# session they redirect to the sign-in page; a role without access gets 403.
CONSOLE: dict[tuple[str, str], Probe] = {
    ("GET", "/console/"): Probe(CONSOLE_ROLES),
    ("GET", "/console/cases/{case_id}"): Probe(CONSOLE_ROLES, path="/console/cases/1"),
    ("GET", "/console/accounts/{account_id}"): Probe(CONSOLE_ROLES, path="/console/accounts/acc-1"),
    ("GET", "/console/audit"): Probe(ADMIN),
    ("GET", "/console/reports"): Probe(REPORT_READERS),
    ("GET", "/console/search"): Probe(CONSOLE_ROLES, query={"q": "acc-1"}),
    ("POST", "/console/logout"): Probe(CONSOLE_ROLES, body={}),
    ("POST", "/console/claim-next"): Probe(CONSOLE_ROLES, body={}),
    ("POST", "/console/cases/{case_id}/claim"): Probe(
        CONSOLE_ROLES, path="/console/cases/1/claim", body={}
    ),
    ("POST", "/console/cases/{case_id}/release"): Probe(
        CONSOLE_ROLES, path="/console/cases/1/release", body={}
    ),
    ("POST", "/console/cases/{case_id}/decision"): Probe(
        CONSOLE_ROLES,
        path="/console/cases/1/decision",
        body={"verdict": "violation", "reason": "x"},
    ),
    ("POST", "/console/accounts/{account_id}/appeal"): Probe(
        APPEAL_FILERS, path="/console/accounts/acc-1/appeal", body={"statement": "not me"}
    ),
}

# Reachable without a key: health for load balancers, the API's own documentation.
PUBLIC: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/healthz"),
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("GET", "/docs/oauth2-redirect"),
        ("GET", "/redoc"),
        # The console's way in: the root redirects to it, sign-in, language, assets.
        ("GET", "/"),
        ("GET", "/console/login"),
        ("POST", "/console/login"),
        ("GET", "/console/lang"),
        ("MOUNT", "/console/static"),
    }
)


def _flat_routes(routes: list[BaseRoute]) -> list[Any]:
    """Routes with included routers expanded (newer FastAPI includes them lazily)."""
    try:
        from fastapi.routing import iter_route_contexts  # noqa: PLC0415
    except ImportError:  # FastAPI before lazy inclusion: app.routes is already flat
        return list(routes)
    return list(iter_route_contexts(routes))


def _app_endpoints(settings: Settings, scanner: Scanner, storage: Storage) -> set[tuple[str, str]]:
    app = create_app(settings, scanner, storage)
    endpoints: set[tuple[str, str]] = set()
    for route in _flat_routes(app.routes):
        original = getattr(route, "original_route", route)
        path = getattr(route, "path", None)
        methods = getattr(route, "methods", None)
        if isinstance(original, Mount):
            endpoints.add(("MOUNT", original.path))
        elif path is not None and methods:
            # Starlette answers HEAD for every GET route; that is the GET's access rule.
            endpoints |= {(m, path) for m in methods if m != "HEAD"}
        else:  # a kind of route this test does not know yet: make it visible
            endpoints.add((type(original).__name__, str(path)))
    return endpoints


def test_every_route_has_an_entry(settings: Settings, scanner: Scanner, storage: Storage) -> None:
    endpoints = _app_endpoints(settings, scanner, storage)
    missing = endpoints - PROTECTED.keys() - CONSOLE.keys() - PUBLIC
    assert not missing, f"add these endpoints to the RBAC table: {sorted(missing)}"
    stale = (PROTECTED.keys() | CONSOLE.keys() | PUBLIC) - endpoints
    assert not stale, f"these table entries match no route any more: {sorted(stale)}"


def _send(client: TestClient, method: str, path: str, probe: Probe, headers: dict[str, str]) -> Any:
    return client.request(method, path, json=probe.body, params=probe.query, headers=headers)


@pytest.mark.parametrize(("method", "route_path"), sorted(PROTECTED))
def test_roles_against_endpoint(
    settings: Settings,
    scanner: Scanner,
    storage: Storage,
    headers: dict[Role, dict[str, str]],
    method: str,
    route_path: str,
) -> None:
    probe = PROTECTED[(method, route_path)]
    spare = issue_key(storage.api_keys, "spare", Role.SERVICE).record.id
    path = (probe.path or route_path).format(spare_key=spare)
    with TestClient(create_app(settings, scanner, storage)) as client:
        # Something for the reads to find: an account, its subject and a group.
        seed = PROTECTED[("POST", "/v1/accounts")].body
        assert seed is not None
        created = client.post(
            "/v1/accounts",
            json={**seed, "id": "acc-1", "subject": "subj-1"},
            headers=headers[Role.ADMIN],
        )
        assert created.status_code == 201, created.text
        client.post("/v1/groups", json={"id": "g-1"}, headers=headers[Role.ADMIN])

        anonymous = _send(client, method, path, probe, {})
        assert anonymous.status_code == 401, anonymous.text
        assert anonymous.json()["error"]["code"] == "missing_key"
        bogus = _send(client, method, path, probe, {"Authorization": "Bearer jw_not-a-key"})
        assert bogus.status_code == 401, bogus.text

        for role in Role:
            response = _send(client, method, path, probe, headers[role])
            if role in probe.roles:
                assert response.status_code < 500, (role, response.text)
                assert response.status_code != 401, (role, response.text)
                forbidden = response.status_code == 403 and (
                    response.json()["error"]["code"] == "forbidden"
                )
                assert not forbidden, (role, response.text)
            else:
                assert response.status_code == 403, (role, response.text)
                assert response.json()["error"]["code"] == "forbidden"


def test_allowed_roles_reach_the_handler(
    client: TestClient, headers: dict[Role, dict[str, str]]
) -> None:
    """A sanity check that the probes are real requests, not 422s across the board."""
    listed = client.get("/v1/keys", headers=headers[Role.ADMIN])
    assert listed.status_code == 200
    scanned = client.post(
        "/v1/scan", json=PROTECTED[("POST", "/v1/scan")].body, headers=headers[Role.REVIEWER]
    )
    assert scanned.status_code == 200
    assert scanned.json()["results"][0]["labels"][0]["label"] == "spam"


PUBLIC_PROBES: dict[tuple[str, str], tuple[str, dict[str, str] | None]] = {
    ("GET", "/console/lang"): ("/console/lang?to=en", None),
    ("POST", "/console/login"): ("/console/login", {"key": "jw_wrong"}),
    ("MOUNT", "/console/static"): ("/console/static/console.css", None),
}


@pytest.mark.parametrize(("method", "path"), sorted(PUBLIC))
def test_public_endpoints_need_no_key(client: TestClient, method: str, path: str) -> None:
    url, form = PUBLIC_PROBES.get((method, path), (path, None))
    response = client.request(
        "GET" if method == "MOUNT" else method, url, data=form, follow_redirects=False
    )
    # 303: the root and the language switch redirect; 401: a wrong key at sign-in.
    assert response.status_code in (200, 303, 401), response.text
    assert response.status_code != 401 or path == "/console/login"


_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _console_session(client: TestClient, key: str) -> str | None:
    """Sign in through the form; the CSRF token of the session, or None when refused."""
    client.cookies.clear()
    signed_in = client.post("/console/login", data={"key": key}, follow_redirects=False)
    if signed_in.status_code != 303:
        return None
    found = _CSRF.search(client.get("/console/").text)
    assert found, "no CSRF token on the console's queue page"
    return found.group(1)


@pytest.mark.parametrize(("method", "route_path"), sorted(CONSOLE))
def test_roles_against_console(
    settings: Settings,
    scanner: Scanner,
    storage: Storage,
    keys: dict[Role, str],
    headers: dict[Role, dict[str, str]],
    method: str,
    route_path: str,
) -> None:
    probe = CONSOLE[(method, route_path)]
    path = probe.path or route_path
    with TestClient(create_app(settings, scanner, storage)) as client:
        seed = PROTECTED[("POST", "/v1/accounts")].body
        assert seed is not None
        client.post(
            "/v1/accounts",
            json={**seed, "id": "acc-1", "subject": "subj-1"},
            headers=headers[Role.ADMIN],
        )
        anonymous = client.request(
            method, path, params=probe.query, data=probe.body, follow_redirects=False
        )
        assert anonymous.status_code == 303, anonymous.text
        assert anonymous.headers["location"] == "/console/login"

        for role in Role:
            csrf = _console_session(client, keys[role])
            if role not in CONSOLE_ROLES:
                assert csrf is None, f"{role} signed in to the console"
                continue
            assert csrf is not None, f"{role} could not sign in"
            if method == "POST":
                # The same form without its token is refused whoever sends it.
                forged = client.request(
                    method, path, params=probe.query, data=probe.body, follow_redirects=False
                )
                assert forged.status_code == 403, (role, forged.text)
            form = None if probe.body is None else {**probe.body, "csrf": csrf}
            response = client.request(
                method, path, params=probe.query, data=form, follow_redirects=False
            )
            if role in probe.roles:
                assert response.status_code < 500, (role, response.text)
                assert response.status_code != 403, (role, response.text)
                if route_path != "/console/logout":  # which rightly sends you to sign in
                    assert response.headers.get("location") != "/console/login", role
            else:
                assert response.status_code == 403, (role, response.text)


def test_revoked_key_is_refused(
    client: TestClient, storage: Storage, headers: dict[Role, dict[str, str]]
) -> None:
    issued = issue_key(storage.api_keys, "soon revoked", Role.ADMIN)
    auth = {"Authorization": f"Bearer {issued.secret}"}
    assert client.get("/v1/keys", headers=auth).status_code == 200
    # Revoked through the API: refused at once, though the lookup was just cached.
    revoked = client.delete(f"/v1/keys/{issued.record.id}", headers=headers[Role.ADMIN])
    assert revoked.status_code == 200
    refused = client.get("/v1/keys", headers=auth)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_key"
