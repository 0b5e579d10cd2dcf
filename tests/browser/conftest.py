"""A live server and a real headless Chromium for the console's browser tests.

The server is the real app under uvicorn on a free loopback port, over a temporary
SQLite database, with a stub scanner whose image and link sources stand in for OCR and
the link resolver (so that nothing leaves the machine). Chromium is Debian's
``/usr/bin/chromium`` driven by Playwright, which never downloads a browser. Without
either the tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from PIL import Image, ImageDraw

from jingwang.adapters.storage import Role, SqlStorage, issue_key
from jingwang.api import create_app
from jingwang.core.detect.base import Inspection, NormalizedItem, TextView
from jingwang.core.normalize import normalize
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Evidence, Finding, ScanItem
from jingwang.settings import Settings

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # the fixture skips (or, under CI, fails) with the reason
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
OCR_TEXT = "高薪兼职 日结 扫码联系客服"
LANDING_TEXT = "兼职招聘中心：每单返利，日结工资"
CHAIN = ("https://t.example/x1", "https://jump.example/r?id=9", "https://jobs.example/apply")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true requires the browser tests to run)")
    pytest.skip(reason)


class FraudWords:
    """Flags 兼职 and 返利 as fraud at scores a reviewer must confirm."""

    name = "fraud-words"
    labels = ("fraud",)

    def detect(self, item: NormalizedItem) -> list[Finding]:
        findings = []
        for view in item.views:
            for word, score in (("兼职", 0.3), ("返利", 0.2)):
                start = view.original.find(word)
                if start >= 0:
                    evidence = Evidence(start, start + len(word), word, view.source)
                    findings.append(Finding(self.name, "fraud", score, (evidence,)))
        return findings


class CannedSources:
    """Stands in for OCR and the link resolver: every image reads as OCR_TEXT, and an
    item with images also carries a landing page reached through CHAIN."""

    def references(self, item: ScanItem) -> bool:
        return bool(item.images)

    def inspect(self, item: ScanItem) -> Inspection:
        views = [TextView(f"ocr:{ref}", normalize(OCR_TEXT)) for ref in item.images]
        if item.images:
            views.append(TextView(f"url:{CHAIN[-1]}", normalize(LANDING_TEXT), CHAIN))
        return Inspection(tuple(views))


def screenshot_png() -> str:
    """A small chat-like screenshot as a data: URI."""
    image = Image.new("RGB", (240, 150), "#ededed")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((12, 14, 200, 54), 8, fill="#ffffff")
    draw.rounded_rectangle((40, 70, 228, 110), 8, fill="#95ec69")
    draw.rectangle((12, 118, 44, 146), fill="#333333")
    draw.text((20, 28), "job offer: +500/day", fill="#222222")
    draw.text((48, 84), "scan the QR code", fill="#222222")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LiveServer:
    url: str
    keys: dict[str, str]

    def api(self, method: str, path: str, role: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.keys[role]}"}
        return httpx.request(method, self.url + path, headers=headers, timeout=10, **kwargs)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("browser") / "jingwang.db"
    storage = SqlStorage.from_url(f"sqlite:///{database}")
    storage.migrate()
    keys = {
        name: issue_key(storage.api_keys, name, role).secret
        for name, role in (
            ("amy", Role.REVIEWER),
            ("bo", Role.REVIEWER),
            ("mod", Role.MODERATOR),
            ("root", Role.ADMIN),
            ("app", Role.SERVICE),
        )
    }
    previous = os.environ.get("JINGWANG_REVIEW_SECOND_REVIEW_RATE")
    os.environ["JINGWANG_REVIEW_SECOND_REVIEW_RATE"] = "0"
    scanner = Scanner([FraudWords()], sources=[CannedSources()])
    app = create_app(Settings(database_url=f"sqlite:///{database}"), scanner, storage)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the live server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", keys)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        storage.close()
        if previous is None:
            os.environ.pop("JINGWANG_REVIEW_SECOND_REVIEW_RATE", None)
        else:
            os.environ["JINGWANG_REVIEW_SECOND_REVIEW_RATE"] = previous


# Module scope, not session: Playwright's sync API runs an event loop in the main
# thread while it is open, and later tests that call asyncio.run would find it running.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: apt-get install chromium")
    if sync_playwright is None:
        _unavailable("playwright is not installed: pip install playwright")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS
