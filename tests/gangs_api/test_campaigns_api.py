"""Campaigns over HTTP: event texts are indexed, ``near`` finds their edited copies,
``confirm`` lists copies by other accounts or groups with the fragments they share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from jingwang.adapters.campaigns import CampaignStore
from jingwang.adapters.storage import InMemoryStorage, Role, issue_key
from jingwang.api import create_app
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings

T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
Headers = dict[Role, dict[str, str]]
MakeAccount = Callable[..., dict[str, Any]]

SPAM = "加微信abc123领取福利，限时免费送大礼包"
EDITED = [
    "加.微.信 abc123 領取福利，限時免費送大禮包",
    "加微信abc123领取福利，限时免费送大礼包🎁",
    "加微信abc123领取福利！限时免费送大礼包",
]


def _post(client: TestClient, headers: Headers, event_id: str, account: str, text: str) -> None:
    body = {"event_id": event_id, "account": account, "text": text, "at": T0.isoformat()}
    response = client.post("/v1/events", json=body, headers=headers[Role.SERVICE])
    assert response.status_code == 200, response.text


def _seed(client: TestClient, headers: Headers, make_account: MakeAccount) -> None:
    for account in ("spammer-1", "spammer-2", "spammer-3", "bystander"):
        body = make_account(account)
        assert (
            client.post("/v1/accounts", json=body, headers=headers[Role.SERVICE]).status_code == 201
        )
    _post(client, headers, "m1", "spammer-1", SPAM)
    for n, text in enumerate(EDITED, start=2):
        _post(client, headers, f"m{n}", f"spammer-{min(n, 3)}", text)
    _post(client, headers, "m9", "bystander", "今晚一起去吃火锅吗？我订好位置了")


def test_near_finds_the_edited_copies_of_an_event_text(
    client: TestClient, headers: Headers, make_account: MakeAccount
) -> None:
    _seed(client, headers, make_account)
    response = client.post(
        "/v1/campaigns/near",
        json={"text": "加微信 abc123 领取福利 限时免费送大礼包"},
        headers=headers[Role.REVIEWER],
    )
    assert response.status_code == 200, response.text
    found = response.json()
    ids = {m["message_id"] for m in found["matches"]}
    assert {"m1", "m2", "m3", "m4"} <= ids and "m9" not in ids
    assert found["total"] == len(found["matches"])
    similarities = [m["similarity"] for m in found["matches"]]
    assert similarities == sorted(similarities, reverse=True)

    strict = client.post(
        "/v1/campaigns/near", json={"text": SPAM, "threshold": 0.99}, headers=headers[Role.ADMIN]
    ).json()
    assert "m1" in {m["message_id"] for m in strict["matches"]}
    assert all(m["similarity"] >= 0.99 for m in strict["matches"])
    short = client.post("/v1/campaigns/near", json={"text": "在吗"}, headers=headers[Role.ADMIN])
    assert short.json() == {"matches": [], "total": 0}
    bad = client.post(
        "/v1/campaigns/near", json={"text": SPAM, "threshold": 2}, headers=headers[Role.ADMIN]
    )
    assert bad.status_code == 422


def test_confirm_lists_copies_by_other_accounts_with_evidence(
    client: TestClient, headers: Headers, make_account: MakeAccount
) -> None:
    _seed(client, headers, make_account)
    response = client.post(
        "/v1/campaigns/confirm", json={"message_id": "m1"}, headers=headers[Role.MODERATOR]
    )
    assert response.status_code == 200, response.text
    matches = response.json()["matches"]
    assert {m["message_id"] for m in matches} >= {"m2", "m3", "m4"}
    assert all(m["account"] != "spammer-1" or m["group"] is not None for m in matches)
    fragment = matches[0]["shared"][0]
    assert (
        SPAM[fragment["in_query"]["start"] : fragment["in_query"]["end"]]
        == fragment["in_query"]["text"]
    )
    near = client.post(
        "/v1/campaigns/near", json={"text": SPAM}, headers=headers[Role.ADMIN]
    ).json()
    assert next(m for m in near["matches"] if m["message_id"] == "m1")["bad"] is True

    missing = client.post(
        "/v1/campaigns/confirm", json={"message_id": "nope"}, headers=headers[Role.ADMIN]
    )
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "message_not_found"
    reviewer = client.post(
        "/v1/campaigns/confirm", json={"message_id": "m1"}, headers=headers[Role.REVIEWER]
    )
    assert reviewer.status_code == 403


def test_the_index_at_the_settings_path_persists_across_restarts(
    tmp_path: Path, scanner: Scanner, make_account: MakeAccount
) -> None:
    """Without a caller's storage the app opens its database and the index on disk."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'own.db'}",
        fetch_links=False,
        hash_list_path=tmp_path / "hashes.tsv",
        campaign_index_path=tmp_path / "index",
    )
    from jingwang.adapters.storage import SqlStorage  # noqa: PLC0415

    keys = SqlStorage.from_url(settings.database_url)
    keys.migrate()
    secret = issue_key(keys.api_keys, "adm", Role.ADMIN).secret
    keys.close()
    headers = {role: {"Authorization": f"Bearer {secret}"} for role in Role}
    with TestClient(create_app(settings, scanner)) as client:
        body = make_account("spammer-1")
        assert (
            client.post("/v1/accounts", json=body, headers=headers[Role.ADMIN]).status_code == 201
        )
        _post(client, headers, "m1", "spammer-1", SPAM)
    assert (tmp_path / "index").is_dir()
    with TestClient(create_app(settings, scanner)) as client:
        near = client.post(
            "/v1/campaigns/near", json={"text": EDITED[0]}, headers=headers[Role.ADMIN]
        )
        assert [m["message_id"] for m in near.json()["matches"]] == ["m1"]


def test_a_caller_may_pass_its_own_index(
    settings: Settings, scanner: Scanner, headers: Headers, make_account: MakeAccount
) -> None:
    del headers
    storage = InMemoryStorage()
    secret = issue_key(storage.api_keys, "svc", Role.ADMIN).secret
    auth = {"Authorization": f"Bearer {secret}"}
    index = CampaignStore.in_memory()
    with TestClient(create_app(settings, scanner, storage, campaign_index=index)) as client:
        assert client.post("/v1/accounts", json=make_account("a1"), headers=auth).status_code == 201
        body = {"event_id": "m1", "account": "a1", "text": SPAM, "at": T0.isoformat()}
        assert client.post("/v1/events", json=body, headers=auth).status_code == 200
    assert len(index) == 1 and index.get("m1") is not None
    index.close()


def test_an_index_held_by_another_process_falls_back_to_memory(
    tmp_path: Path, scanner: Scanner
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'own.db'}",
        fetch_links=False,
        hash_list_path=tmp_path / "hashes.tsv",
        campaign_index_path=tmp_path / "index",
    )
    with CampaignStore.open(tmp_path / "index"), TestClient(create_app(settings, scanner)) as app:
        assert app.get("/healthz").status_code == 200
