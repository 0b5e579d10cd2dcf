"""The mission's enforcement stories, told over HTTP, on SQLite and on PostgreSQL.

The scanner is a stub that returns the decision an event's text names
(``"block clickbait"``, ``"block illicit_ads/aphrodisiac evasion"``), so each story
controls exactly what was found; one test at the end runs the real default scanner.
The clock is injected: restrictions expire by moving it, with no job to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import typer
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from jingwang.adapters.storage import Role, SqlStorage, issue_key
from jingwang.api import create_app
from jingwang.cli import enforce_cmd
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Decision, LabelResult, ScanItem
from jingwang.settings import Settings

T0 = datetime(2025, 5, 1, 8, tzinfo=UTC)


class ChosenDecisions(Scanner):
    """Decides what the item's text says: ``VERDICT [LABEL[/SUB]] [evasion]``."""

    def __init__(self) -> None:
        super().__init__([])

    def scan(self, item: ScanItem) -> Decision:
        verdict, *rest = (item.text or "pass").split()
        labels = []
        if rest and rest[0] != "evasion":
            label, _, subcategory = rest[0].partition("/")
            labels.append(LabelResult(label, 0.95, subcategory or None))
        return Decision(item.id, verdict, tuple(labels), evasion="evasion" in rest)  # type: ignore[arg-type]


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class Platform:
    """The app's backend (service key), a moderator and an admin, on one test client."""

    def __init__(self, client: TestClient, keys: dict[Role, str], clock: Clock) -> None:
        self.client = client
        self.auth = {role: {"Authorization": f"Bearer {key}"} for role, key in keys.items()}
        self.clock = clock
        self._events = 0

    def register(self, account: str, subject: str, kind: str = "personal", **extra: Any) -> Any:
        body = {
            "id": account,
            "kind": kind,
            "subject": subject,
            "identity_doc": f"ID-{subject}",
            "phone": "13800000000",
            "device": f"dev-{account}",
            "ip": "203.0.113.9",
            "registered_at": self.clock.now.isoformat(),
        } | extra
        return self.client.post("/v1/accounts", json=body, headers=self.auth[Role.SERVICE])

    def post(self, account: str, found: str, **extra: Any) -> dict[str, Any]:
        self._events += 1
        event = {
            "event_id": f"ev-{self._events}",
            "account": account,
            "text": found,
            "at": self.clock.now.isoformat(),
        } | extra
        response = self.client.post("/v1/events", json=event, headers=self.auth[Role.SERVICE])
        assert response.status_code == 200, response.text
        outcome: dict[str, Any] = response.json()
        return outcome

    def get(self, path: str) -> dict[str, Any]:
        response = self.client.get(path, headers=self.auth[Role.ADMIN])
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def kinds_on(outcome: dict[str, Any], target: str) -> list[str]:
    return [a["kind"] for a in outcome["actions"] if a["target"] == target]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sql_storage(sql_engine: Engine) -> SqlStorage:
    storage = SqlStorage(sql_engine)
    storage.migrate()
    return storage


@pytest.fixture
def platform(sql_storage: SqlStorage, clock: Clock) -> Iterator[Platform]:
    keys = {role: issue_key(sql_storage.api_keys, role.value, role).secret for role in Role}
    app = create_app(Settings(), ChosenDecisions(), sql_storage, clock=clock)
    with TestClient(app) as client:
        yield Platform(client, keys, clock)


def test_official_account_posting_clickbait_and_rumours_is_warned_restricted_then_banned(
    platform: Platform,
) -> None:
    assert platform.register("oa_news", "media-co", kind="official").status_code == 201
    first = platform.post("oa_news", "block clickbait", surface="article")
    # On the article surface a violating article is deleted, and the account warned.
    assert kinds_on(first, "account:oa_news") == ["warn", "strike"]
    assert kinds_on(first, f"content:{first['event_id']}") == ["delete_content"]
    platform.post("oa_news", "block rumor", surface="article")
    platform.post("oa_news", "block clickbait", surface="article")
    account = platform.get("/v1/accounts/oa_news")
    assert (account["status"], account["strikes"]) == ("restricted", 3)
    assert {r["capability"] for r in account["restrictions"]} == {
        "post_moments",
        "publish_articles",
    }
    for found in ["block rumor", "block clickbait"] * 3:
        platform.post("oa_news", found, surface="article")
    last = platform.post("oa_news", "block rumor", surface="article")
    assert "ban" in kinds_on(last, "account:oa_news")
    account = platform.get("/v1/accounts/oa_news")
    assert (account["status"], account["strikes"]) == ("banned", 10)
    assert "reached 10" in account["ban_reason"]


def test_a_porn_poster_is_banned_at_once(platform: Platform) -> None:
    platform.register("wx_porn", "p1")
    outcome = platform.post("wx_porn", "block porn", surface="moments")
    assert kinds_on(outcome, "account:wx_porn") == ["strike", "ban"]
    assert platform.get("/v1/accounts/wx_porn")["status"] == "banned"


def test_forwarding_marketing_is_a_violation_of_the_forwarder(platform: Platform) -> None:
    platform.register("wx_friend", "f1")
    outcome = platform.post(
        "wx_friend", "block illicit_ads/aphrodisiac", surface="moments", forwarded_from="wx_vendor"
    )
    assert kinds_on(outcome, "account:wx_friend") == ["warn", "strike", "restrict", "restrict"]
    strike = next(a for a in outcome["actions"] if a["kind"] == "strike")
    assert "forwarded from wx_vendor" in strike["reason"]
    assert platform.get("/v1/accounts/wx_friend")["strikes"] == 4


def test_a_subject_is_barred_after_three_violating_accounts(platform: Platform) -> None:
    for n in range(3):
        platform.register(f"gang-{n}", "boss")
        platform.post(f"gang-{n}", "block gambling")
    subject = platform.get("/v1/subjects/boss")
    assert (subject["registration_barred"], subject["verification_barred"]) == (True, True)
    assert subject["violating_accounts"] == ["gang-0", "gang-1", "gang-2"]
    refused = platform.register("gang-3", "boss")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "subject_barred"
    assert "barred" in refused.json()["error"]["message"]
    # Filing the same identity document under a fresh subject id changes nothing.
    assert platform.register("gang-4", "boss-2", identity_doc="ID-boss").status_code == 403
    assert (
        platform.client.get("/v1/accounts/gang-3", headers=platform.auth[Role.ADMIN]).status_code
        == 404
    )


def test_a_new_account_of_a_recorded_subject_starts_with_its_history(platform: Platform) -> None:
    platform.register("first", "repeat")
    platform.post("first", "block gambling")
    account = platform.register("second", "repeat").json()
    assert account["strikes"] == 4


def test_an_evasion_catch_restricts_at_once_and_the_restriction_expires(
    platform: Platform,
) -> None:
    platform.register("wx_evader", "e1")
    outcome = platform.post("wx_evader", "block spam evasion", surface="chat")
    assert kinds_on(outcome, "account:wx_evader").count("restrict") == 3
    account = platform.get("/v1/accounts/wx_evader")
    assert account["status"] == "restricted"
    assert {r["capability"] for r in account["restrictions"]} == {
        "post_moments",
        "add_friends",
        "create_group",
    }
    platform.clock.now = T0 + timedelta(days=7)
    account = platform.get("/v1/accounts/wx_evader")
    assert (account["status"], account["restrictions"]) == ("active", [])


def test_a_group_is_restricted_then_dissolved_and_its_owner_answers(platform: Platform) -> None:
    platform.register("owner", "o1")
    platform.register("member", "m1")
    group = {"id": "grp", "owner": "owner", "admins": ["member"]}
    response = platform.client.post("/v1/groups", json=group, headers=platform.auth[Role.SERVICE])
    assert response.status_code == 201
    for _ in range(3):
        platform.post("member", "block spam", group="grp")
    assert platform.get("/v1/groups/grp")["status"] == "restricted"
    for _ in range(2):
        last = platform.post("member", "block spam", group="grp")
    assert "dissolve_group" in kinds_on(last, "group:grp")
    assert platform.get("/v1/groups/grp")["dissolved"] is True
    owner = platform.get("/v1/accounts/owner")
    assert [r["capability"] for r in owner["restrictions"]] == ["create_group"]


def _database_url(engine: Engine) -> str:
    """A URL the CLI can open that sees this test's tables (its own PostgreSQL schema)."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name != "postgresql":
        return url
    with engine.connect() as connection:
        schema = connection.execute(text("SHOW search_path")).scalar_one()
    return f"{url}?options=-csearch_path%3D{schema}"


def test_tampering_with_the_audit_log_is_detected(
    platform: Platform, sql_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform.register("wx_porn", "p1")
    platform.post("wx_porn", "block porn")
    assert platform.get("/v1/audit/verify") == {"ok": True, "checked": 5, "first_bad_seq": None}
    cli = typer.Typer()
    enforce_cmd.register(cli)
    monkeypatch.setenv("JINGWANG_DATABASE_URL", _database_url(sql_engine))
    intact = CliRunner().invoke(cli, ["audit", "verify"])
    assert (intact.exit_code, intact.output.strip()) == (0, "OK: 5 audit entries, chain intact")

    with sql_engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET reason = 'nothing' WHERE seq = 2"))

    assert platform.get("/v1/audit/verify") == {"ok": False, "checked": 2, "first_bad_seq": 2}
    broken = CliRunner().invoke(cli, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "audit chain broken at seq 2" in broken.output
    assert "Traceback" not in broken.output


@pytest.fixture(scope="module")
def default_scanner() -> Scanner:
    """Every installed detector, loaded once; skips while the default set cannot load."""
    try:
        return Scanner.from_names()
    except Exception as exc:  # any load failure means the default detectors are not ready
        pytest.skip(f"the default detectors do not load: {exc}")


def test_end_to_end_with_the_real_default_scanner(
    default_scanner: Scanner, sqlite_engine: Engine, clock: Clock
) -> None:
    storage = SqlStorage(sqlite_engine)
    storage.migrate()
    key = issue_key(storage.api_keys, "svc", Role.ADMIN).secret
    with TestClient(create_app(Settings(), default_scanner, storage, clock=clock)) as client:
        platform = Platform(client, {Role.SERVICE: key, Role.ADMIN: key}, clock)
        platform.register("wx_spammer", "s1")
        clean = platform.post("wx_spammer", "今晚一起吃饭吗？")
        assert (clean["decision"], clean["actions"]) == ("pass", [])
        porn = platform.post("wx_spammer", "加我薇信看片，一百一次，上门服务")
        assert porn["decision"] == "block"
        assert kinds_on(porn, "account:wx_spammer")
