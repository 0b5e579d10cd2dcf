"""A real uvicorn server on a free local port, called over the network with httpx."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from jingwang.adapters.storage import Role, SqlStorage, issue_key
from jingwang.api import create_app
from jingwang.core.detect import registry
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings

STARTUP_TIMEOUT_S = 15


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _issue_keys(database_url: str) -> dict[Role, str]:
    storage = SqlStorage.from_url(database_url)
    storage.migrate()
    keys = {role: issue_key(storage.api_keys, role.value, role).secret for role in Role}
    storage.close()
    return keys


def _wait_until_healthy(base_url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"server exited early with {process.returncode}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    pytest.fail(f"no healthy server at {base_url} after {STARTUP_TIMEOUT_S} s")


def _exercise(base_url: str, keys: dict[Role, str]) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        assert http.get("/healthz").json() == {"status": "ok"}
        unauthorised = http.post("/v1/scan", json={"items": []})
        assert unauthorised.status_code == 401
        assert unauthorised.headers["www-authenticate"] == "Bearer"
        bearer = {role: {"Authorization": f"Bearer {key}"} for role, key in keys.items()}
        assert http.get("/v1/keys", headers=bearer[Role.REVIEWER]).status_code == 403
        items = [{"id": "m1", "text": "广告在此"}, {"id": "m2"}, "junk"]
        scanned = http.post("/v1/scan", json={"items": items}, headers=bearer[Role.SERVICE])
        assert scanned.status_code == 200
        results = scanned.json()["results"]
        assert results[0]["id"] == "m1"
        assert results[0]["decision"] in {"pass", "review", "block"}
        assert [r["error"]["code"] for r in results[1:]] == ["empty_item", "invalid_type"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'served.db'}", mode="dev")


@pytest.fixture
def server_url(settings: Settings, scanner: Scanner) -> Iterator[str]:
    """The app under uvicorn in a background thread."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, scanner), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base_url)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_uvicorn_serves_the_api(server_url: str, settings: Settings) -> None:
    _exercise(server_url, _issue_keys(settings.database_url))


def test_jingwang_serve_with_the_default_detectors(tmp_path: Path) -> None:
    try:
        registry.load()
    except (ImportError, registry.DetectorLoadError) as exc:
        pytest.skip(f"the default detectors do not load yet: {exc}")
    database_url = f"sqlite:///{tmp_path / 'serve.db'}"
    keys = _issue_keys(database_url)
    port = _free_port()
    command = "from jingwang.cli.main import app; app()"
    process = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, "JINGWANG_DATABASE_URL": database_url, "JINGWANG_MODE": "dev"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base_url, process)
        _exercise(base_url, keys)
    finally:
        process.terminate()
        process.wait(timeout=10)
