"""Secrets never reach logs, and identity data never reaches the database in the clear.

A real uvicorn server on 127.0.0.1 (with its access log) and the SQL storage serve
requests that carry every kind of secret: API keys of every role, a wrong key, the
identity pepper, raw identity documents and phone numbers. Everything logged at DEBUG,
by any logger, plus whatever reached stdout and stderr, must contain none of them.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from jingwang.adapters.storage import Role, SqlStorage, issue_key
from jingwang.api import create_app
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings

IDENTITY_DOC = "11010519491231002X"
PHONE = "13912345678"
CONSOLE_SECRET = "console-secret-abcdefghijklmnopqrstuvwxyz-0123"
AT = "2025-05-01T09:00:00Z"


def _registration(account: str, subject: str) -> dict[str, str]:
    return {
        "id": account,
        "kind": "personal",
        "subject": subject,
        "identity_doc": IDENTITY_DOC,
        "phone": PHONE,
        "device": "dev-1",
        "ip": "203.0.113.7",
        "registered_at": AT,
    }


@pytest.fixture
def server(
    settings: Settings, scanner: Scanner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, SqlStorage, dict[Role, str]]]:
    monkeypatch.setenv("JINGWANG_CONSOLE_SECRET", CONSOLE_SECRET)
    storage = SqlStorage.from_url(settings.database_url)
    storage.migrate()
    keys = {role: issue_key(storage.api_keys, role.value, role).secret for role in Role}
    app = create_app(settings, scanner, storage)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # log_config=None: uvicorn leaves logging alone, so its loggers (the access log
    # included) propagate to the root logger, where caplog listens.
    config = uvicorn.Config(app, log_config=None, access_log=True, log_level="debug")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", storage, keys
    finally:
        uv.should_exit = True
        thread.join(10)
        sock.close()
        storage.close()


def test_no_secret_reaches_the_logs(
    server: tuple[str, SqlStorage, dict[Role, str]],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
    pepper: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    # SQLAlchemy quiets its own loggers; an operator debugging SQL would turn them on.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    base, _, keys = server
    auth = {role: {"Authorization": f"Bearer {key}"} for role, key in keys.items()}
    wrong_key = "jw_this-key-is-wrong-but-still-secret-0123456789"
    with httpx.Client(base_url=base, timeout=10) as http:
        assert http.get("/healthz").status_code == 200
        created = http.post(
            "/v1/accounts", json=_registration("acc-1", "subj-1"), headers=auth[Role.SERVICE]
        )
        assert created.status_code == 201, created.text
        assert IDENTITY_DOC not in created.text and PHONE not in created.text
        # A second account of the same subject; the first one's phone again.
        http.post("/v1/accounts", json=_registration("acc-2", "subj-1"), headers=auth[Role.ADMIN])
        subject = http.get("/v1/subjects/subj-1", headers=auth[Role.REVIEWER])
        assert subject.status_code == 200
        assert IDENTITY_DOC not in subject.text
        account = http.get("/v1/accounts/acc-1", headers=auth[Role.MODERATOR])
        assert PHONE not in account.text
        # Refused and broken requests, whose error paths also log.
        assert (
            http.get("/v1/keys", headers={"Authorization": f"Bearer {wrong_key}"}).status_code
            == 401
        )
        assert http.get("/v1/keys", headers=auth[Role.REVIEWER]).status_code == 403
        bad = {**_registration("acc-3", "subj-3"), "identity_doc": IDENTITY_DOC * 4}
        assert http.post("/v1/accounts", json=bad, headers=auth[Role.ADMIN]).status_code == 422
        http.post(
            "/v1/events",
            json={"event_id": "e1", "account": "acc-1", "text": "广告", "at": AT},
            headers=auth[Role.SERVICE],
        )
        http.post(
            "/v1/actions",
            json={"target": "subject:subj-1", "kind": "bar_subject", "reason": "fraud"},
            headers=auth[Role.ADMIN],
        )
        issued = http.post(
            "/v1/keys", json={"name": "n", "role": "service"}, headers=auth[Role.ADMIN]
        )
        assert issued.status_code == 201
        new_key = issued.json()["key"]
        assert (
            http.delete(f"/v1/keys/{issued.json()['id']}", headers=auth[Role.ADMIN]).status_code
            == 200
        )
        assert http.get("/v1/audit", headers=auth[Role.ADMIN]).status_code == 200

    captured = capfd.readouterr()
    logged = "\n".join(
        [caplog.text, *(r.getMessage() for r in caplog.records), captured.out, captured.err]
    )
    assert "GET /healthz" in logged, "the access log was not captured"
    secrets = {
        **{f"{role} key": key for role, key in keys.items()},
        "wrong key": wrong_key,
        "issued key": new_key,
        "pepper": pepper,
        "console secret": CONSOLE_SECRET,
        "identity document": IDENTITY_DOC,
        "phone": PHONE,
    }
    leaked = [name for name, secret in secrets.items() if secret in logged]
    assert not leaked, f"secrets in the logs: {leaked}"


def test_identity_data_is_stored_only_hashed(
    server: tuple[str, SqlStorage, dict[Role, str]], settings: Settings
) -> None:
    base, storage, keys = server
    auth = {"Authorization": f"Bearer {keys[Role.ADMIN]}"}
    with httpx.Client(base_url=base, timeout=10) as http:
        response = http.post("/v1/accounts", json=_registration("acc-9", "subj-9"), headers=auth)
        assert response.status_code == 201, response.text
    database = Path(settings.database_url.removeprefix("sqlite:///"))
    storage.close()
    raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    assert raw, "the SQLite database is empty"
    for secret in (IDENTITY_DOC, PHONE, keys[Role.ADMIN]):
        assert secret.encode() not in raw, f"{secret} is stored in the clear"
    # The masked forms are what the API shows.
    assert response.json()["phone"] == "139****5678"
