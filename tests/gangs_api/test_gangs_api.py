"""Gangs over HTTP: detection from registrations, propagation of a porn ban through the
gang (audited, with links), benign look-alikes left alone, the graph rebuilt from
storage at start-up, and the policy file's ``gangs`` section."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jingwang.adapters.storage import Role, SqlStorage, Storage
from jingwang.api import create_app
from jingwang.cli.main import app as cli_app
from jingwang.core.pipeline import Scanner
from jingwang.core.policy import PolicyError, default_policy, parse_policy
from jingwang.settings import Settings

T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
Headers = dict[Role, dict[str, str]]
MakeAccount = Callable[..., dict[str, Any]]

FARM = [f"farm-{i}" for i in range(6)]
FAMILY = ["mum", "son", "daughter"]


def _register_farm(client: TestClient, headers: Headers, make_account: MakeAccount) -> None:
    """Six accounts from one device within twenty minutes: burst + device farm."""
    for i, account in enumerate(FARM):
        at = (T0 + timedelta(minutes=4 * i)).isoformat()
        body = make_account(account, device="farm-dev-1", registered_at=at)
        response = client.post("/v1/accounts", json=body, headers=headers[Role.SERVICE])
        assert response.status_code == 201, response.text


def _register_family(client: TestClient, headers: Headers, make_account: MakeAccount) -> None:
    """A family on one tablet and one phone number, months apart: linked, no gang."""
    for i, account in enumerate(FAMILY):
        at = (T0 + timedelta(days=40 * i)).isoformat()
        body = make_account(
            account, device="home-tablet", phone="13912345678", ip="10.9.9.9", registered_at=at
        )
        response = client.post("/v1/accounts", json=body, headers=headers[Role.SERVICE])
        assert response.status_code == 201, response.text


def _porn_event(client: TestClient, headers: Headers, event_id: str, account: str) -> Any:
    body = {
        "event_id": event_id,
        "account": account,
        "text": "加我看片一百一次",
        "at": T0.isoformat(),
    }
    response = client.post("/v1/events", json=body, headers=headers[Role.SERVICE])
    assert response.status_code == 200, response.text
    return response.json()


def test_a_registration_burst_is_listed_as_a_gang(
    client: TestClient, headers: Headers, make_account: MakeAccount
) -> None:
    _register_farm(client, headers, make_account)
    _register_family(client, headers, make_account)
    response = client.get("/v1/gangs", headers=headers[Role.REVIEWER])
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == 1
    gang = page["gangs"][0]
    assert (gang["id"], gang["size"], gang["members"]) == ("gang:farm-0", 6, sorted(FARM))
    assert {s["kind"] for s in gang["signals"]} >= {"burst", "device_farm"}
    farm_signal = next(s for s in gang["signals"] if s["kind"] == "device_farm")
    assert farm_signal["attributes"] == ["device:farm-dev-1"]

    paged = client.get(
        "/v1/gangs", params={"member_limit": 4, "member_offset": 4}, headers=headers[Role.ADMIN]
    ).json()["gangs"][0]
    assert (paged["members"], paged["members_next_offset"]) == (sorted(FARM)[4:], None)
    first = client.get("/v1/gangs", params={"member_limit": 4}, headers=headers[Role.ADMIN])
    assert first.json()["gangs"][0]["members_next_offset"] == 4


def test_related_accounts_show_shared_attributes_with_hashes_masked(
    client: TestClient, headers: Headers, make_account: MakeAccount
) -> None:
    _register_family(client, headers, make_account)
    response = client.get("/v1/accounts/mum/related", headers=headers[Role.MODERATOR])
    assert response.status_code == 200, response.text
    related = response.json()
    assert related["gang"] is None
    assert [r["account"] for r in related["related"]] == ["daughter", "son"]
    shared = {s["kind"]: s for s in related["related"][0]["shared"]}
    assert shared["device"]["attribute"] == "device:home-tablet"
    assert shared["device"]["holders"] == 3
    phone = shared["phone"]["attribute"]
    assert phone.startswith("phone:…") and len(phone) == len("phone:…") + 4
    assert "13912345678" not in response.text
    assert related["related"][0]["path"][0]["source"] == "mum"

    missing = client.get("/v1/accounts/nobody/related", headers=headers[Role.REVIEWER])
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "account_not_found"


def test_a_porn_ban_bans_the_gang_and_bars_its_subjects_with_audited_links(
    client: TestClient, headers: Headers, make_account: MakeAccount
) -> None:
    _register_farm(client, headers, make_account)
    outcome = _porn_event(client, headers, "e-porn", "farm-0")
    propagated = [a for a in outcome["actions"] if a["actor"] == "policy:gangs"]
    bans = sorted(a["target"] for a in propagated if a["kind"] == "ban")
    assert bans == [f"account:{account}" for account in FARM[1:]]
    bars = [a for a in propagated if a["kind"].startswith("bar_subject_")]
    assert len(bars) == 2 * len(FARM)
    assert all(a["rule"] == "gangs.propagate" and a["label"] == "porn" for a in propagated)
    assert all(a["related"] == "farm-0" for a in propagated)
    assert "via device:farm-dev-1" in next(a for a in propagated if a["kind"] == "ban")["reason"]

    for account in FARM:
        status = client.get(f"/v1/accounts/{account}", headers=headers[Role.SERVICE]).json()
        assert status["status"] == "banned", account
    again = make_account("farm-again", subject="subj-farm-3", identity_doc="DOC-X")
    refused = client.post("/v1/accounts", json=again, headers=headers[Role.SERVICE])
    assert refused.status_code in {403, 409}, refused.text

    audit = client.get("/v1/audit", params={"limit": 500}, headers=headers[Role.ADMIN]).json()
    entries = [e for e in audit["entries"] if e["actor"] == "policy:gangs"]
    assert len(entries) == len(propagated)
    ban_entry = next(e for e in entries if e["target"] == "account:farm-5")
    evidence = ban_entry["evidence"]
    assert evidence["gang"] == "gang:farm-0" and evidence["banned_account"] == "farm-0"
    assert evidence["links"][-1]["target"] == "farm-5"
    assert evidence["links"][0]["attribute"] == "device:farm-dev-1"
    assert client.get("/v1/audit/verify", headers=headers[Role.ADMIN]).json()["ok"]

    # A replay returns the first outcome and propagates nothing twice.
    replay = _porn_event(client, headers, "e-porn", "farm-0")
    assert replay["actions"] == outcome["actions"]
    audit = client.get("/v1/audit", params={"limit": 500}, headers=headers[Role.ADMIN]).json()
    assert len([e for e in audit["entries"] if e["actor"] == "policy:gangs"]) == len(entries)


def test_a_family_sharing_a_device_is_not_banned_with_the_offender(
    client: TestClient, headers: Headers, make_account: MakeAccount
) -> None:
    _register_family(client, headers, make_account)
    outcome = _porn_event(client, headers, "e-son", "son")
    assert not [a for a in outcome["actions"] if a["actor"] == "policy:gangs"]
    son = client.get("/v1/accounts/son", headers=headers[Role.SERVICE]).json()
    assert son["status"] == "banned"
    for account in ("mum", "daughter"):
        status = client.get(f"/v1/accounts/{account}", headers=headers[Role.SERVICE]).json()
        assert status["status"] == "active", account
    assert client.get("/v1/gangs", headers=headers[Role.ADMIN]).json()["total"] == 0


def test_spam_bans_do_not_propagate(
    client: TestClient, headers: Headers, make_account: MakeAccount
) -> None:
    _register_farm(client, headers, make_account)
    body = {"event_id": "e-spam", "account": "farm-0", "text": "加微信领福利", "at": T0.isoformat()}
    outcome = client.post("/v1/events", json=body, headers=headers[Role.SERVICE]).json()
    assert not [a for a in outcome["actions"] if a["actor"] == "policy:gangs"]


def test_the_graph_is_rebuilt_from_stored_registrations(
    settings: Settings, scanner: Scanner, tmp_path: Path, make_account: MakeAccount
) -> None:
    storage: Storage = SqlStorage.from_url(f"sqlite:///{tmp_path / 'rebuild.db'}")
    storage.migrate()
    try:
        from jingwang.adapters.storage import issue_key  # noqa: PLC0415

        key = issue_key(storage.api_keys, "svc", Role.SERVICE).secret
        auth = {"Authorization": f"Bearer {key}"}
        headers = {role: auth for role in Role}
        with TestClient(create_app(settings, scanner, storage)) as first:
            _register_farm(first, headers, make_account)
        with TestClient(create_app(settings, scanner, storage)) as second:
            admin = issue_key(storage.api_keys, "adm", Role.ADMIN).secret
            listed = second.get("/v1/gangs", headers={"Authorization": f"Bearer {admin}"})
            assert listed.json()["gangs"][0]["members"] == sorted(FARM)
            outcome = _porn_event(second, headers, "e-later", "farm-2")
            bans = [a for a in outcome["actions"] if a["actor"] == "policy:gangs"]
            assert len([a for a in bans if a["kind"] == "ban"]) == 5
    finally:
        storage.close()


# --- the policy section ------------------------------------------------------------------


def test_the_default_policy_has_the_gangs_section() -> None:
    gangs = default_policy().gangs
    assert (gangs.propagate_on, gangs.min_link_strength, gangs.bar_subject) == (
        ("porn", "fraud"),
        0.5,
        True,
    )


def _with_gangs(section: str) -> str:
    path = Path(__file__).resolve().parents[2] / "src/jingwang/resources/policy/default.yaml"
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("\ngangs:")]
    return f"{head}\n{section}"


def test_a_policy_file_may_tune_or_omit_the_gangs_section(tmp_path: Path) -> None:
    tuned = parse_policy(_with_gangs("gangs:\n  propagate_on: [fraud]\n  bar_subject: false\n"))
    assert (tuned.gangs.propagate_on, tuned.gangs.bar_subject) == (("fraud",), False)
    assert parse_policy(_with_gangs("")).gangs == default_policy().gangs
    with pytest.raises(PolicyError):
        parse_policy(_with_gangs("gangs:\n  min_link_strength: 0\n"))
    with pytest.raises(PolicyError):
        parse_policy(_with_gangs("gangs:\n  propagate: [porn]\n"))

    file = tmp_path / "policy.yaml"
    file.write_text(_with_gangs("gangs:\n  propagate_on: [porn]\n"), encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["policy", "check", str(file)])
    assert result.exit_code == 0, result.output
    file.write_text(_with_gangs("gangs:\n  bar_subjects: true\n"), encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["policy", "check", str(file)])
    assert result.exit_code == 1


def test_the_console_draws_an_accounts_neighbourhood(
    client: TestClient, headers: Headers, make_account: MakeAccount
) -> None:
    _register_farm(client, headers, make_account)
    key = headers[Role.REVIEWER]["Authorization"].removeprefix("Bearer ")
    signed_in = client.post("/console/login", data={"key": key}, follow_redirects=False)
    assert signed_in.status_code == 303
    page = client.get(f"/console/accounts/{FARM[0]}")
    assert page.status_code == 200
    assert '<svg class="neighbourhood"' in page.text
    for member in FARM[1:]:
        assert f'href="/console/accounts/{member}"' in page.text
    assert ">device<" in page.text and "farm-dev-1" not in page.text
    assert "device_farm" in page.text
