"""A real ``jingwang`` API under uvicorn on a free loopback port, and keys for it.

The server runs the app of ``jingwang serve`` (``create_app``) over a temporary SQLite
database, with a one-rule detector so that outcomes are predictable: 广告 is spam, which
the default policy enforces. One server serves the whole package; tests use ids of
their own.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.types import ASGIApp

from jingwang.adapters.storage import Role, SqlStorage, issue_key
from jingwang.api import create_app
from jingwang.core.detect.base import NormalizedItem
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Evidence, Finding
from jingwang.settings import Settings

STARTUP_TIMEOUT_S = 15


class AdvertDetector:
    """Flags 广告 as spam."""

    name = "advert"
    labels = ("spam",)

    def detect(self, item: NormalizedItem) -> list[Finding]:
        findings = []
        for view in item.views:
            start = view.original.find("广告")
            if start >= 0:
                evidence = Evidence(start, start + 2, "广告", view.source)
                findings.append(Finding(self.name, "spam", 0.95, (evidence,)))
        return findings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Served:
    """A running server: its URL and stop switch."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve(app: ASGIApp, health_path: str = "/healthz") -> Served:
    """Run ``app`` under uvicorn in a daemon thread until ``health_path`` answers."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    served = Served(f"http://127.0.0.1:{port}", server, thread)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            httpx.get(served.url + health_path, timeout=1)
            return served
        except httpx.TransportError:
            time.sleep(0.05)
    served.stop()
    pytest.fail(f"no server at {served.url} after {STARTUP_TIMEOUT_S} s")


@dataclass(frozen=True)
class LiveApi:
    url: str
    keys: dict[Role, str]


@pytest.fixture(scope="package")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    directory: Path = tmp_path_factory.mktemp("client-api")
    settings = Settings(database_url=f"sqlite:///{directory / 'api.db'}", mode="dev")
    storage = SqlStorage.from_url(settings.database_url)
    storage.migrate()
    keys = {role: issue_key(storage.api_keys, role.value, role).secret for role in Role}
    served = serve(create_app(settings, Scanner([AdvertDetector()]), storage))
    # The first scan loads the normaliser's tables (seconds); keep that out of the tests.
    warm_up = {"items": [{"id": "w", "text": "广告"}]}
    bearer = {"Authorization": f"Bearer {keys[Role.SERVICE]}"}
    httpx.post(served.url + "/v1/scan", json=warm_up, headers=bearer, timeout=60)
    try:
        yield LiveApi(served.url, keys)
    finally:
        served.stop()
        storage.close()
