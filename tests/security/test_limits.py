"""Request limits: body size (413), text length per item, and image bytes and pixels."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from jingwang.adapters.images.loading import ImageLimits, load_image
from jingwang.adapters.sources import default_sources
from jingwang.adapters.storage import Role, Storage
from jingwang.api import create_app
from jingwang.api.limits import BodySizeLimit
from jingwang.core.io import ItemError
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings

AT = "2025-05-01T09:00:00Z"


def test_defaults_match_the_issue() -> None:
    defaults = Settings()
    assert defaults.max_text_chars == 10_000
    assert defaults.max_body_bytes == 2 * 1024 * 1024
    assert defaults.image_max_bytes == 10 * 1024 * 1024
    assert defaults.image_max_pixels == 40_000_000


# --- body size --------------------------------------------------------------------------


@pytest.fixture
def small_body_client(
    settings: Settings, scanner: Scanner, storage: Storage
) -> Iterator[TestClient]:
    small = settings.model_copy(update={"max_body_bytes": 1000, "max_text_chars": 10_000})
    with TestClient(create_app(small, scanner, storage)) as client:
        yield client


def _scan_body(text: str) -> bytes:
    return json.dumps({"items": [{"id": "m1", "text": text}]}).encode()


def test_declared_length_over_the_limit_is_refused(
    small_body_client: TestClient, headers: dict[Role, dict[str, str]]
) -> None:
    response = small_body_client.post(
        "/v1/scan",
        content=_scan_body("广告" * 400),
        headers={**headers[Role.SERVICE], "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert "1000 bytes" in response.json()["error"]["message"]


def test_the_limit_applies_before_authentication(small_body_client: TestClient) -> None:
    # No key at all: an anonymous client must not make the server read a large body.
    response = small_body_client.post("/v1/scan", content=b"x" * 5000)
    assert response.status_code == 413


def test_a_body_within_the_limit_goes_through(
    small_body_client: TestClient, headers: dict[Role, dict[str, str]]
) -> None:
    response = small_body_client.post(
        "/v1/scan",
        content=_scan_body("广告"),
        headers={**headers[Role.SERVICE], "Content-Type": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["labels"][0]["label"] == "spam"


def _chunks(body: bytes, size: int = 100) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_chunked_body_over_the_limit_is_refused(
    small_body_client: TestClient, headers: dict[Role, dict[str, str]]
) -> None:
    response = small_body_client.post(
        "/v1/scan",
        content=_chunks(_scan_body("广告" * 400)),
        headers={**headers[Role.SERVICE], "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_chunked_body_within_the_limit_goes_through(
    small_body_client: TestClient, headers: dict[Role, dict[str, str]]
) -> None:
    response = small_body_client.post(
        "/v1/scan",
        content=_chunks(_scan_body("你好，广告"), size=7),
        headers={**headers[Role.SERVICE], "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["labels"][0]["label"] == "spam"


async def _collect(
    app: object, scope: dict[str, object], messages: list[dict[str, object]]
) -> list[dict[str, object]]:
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[operator]
    return sent


def test_middleware_counts_bodies_without_a_length() -> None:
    seen: list[bytes] = []

    async def inner(scope: object, receive: object, send: object) -> None:
        body = b""
        while True:
            message = await receive()  # type: ignore[operator]
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        seen.append(body)
        await send({"type": "http.response.start", "status": 204, "headers": []})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b""})  # type: ignore[operator]

    limited = BodySizeLimit(inner, max_bytes=10)
    scope: dict[str, object] = {"type": "http", "method": "POST", "path": "/", "headers": []}
    parts = [{"type": "http.request", "body": b"12345", "more_body": True}]
    within = [*parts, {"type": "http.request", "body": b"67890", "more_body": False}]
    sent = asyncio.run(_collect(limited, scope, within))
    assert sent[0]["status"] == 204
    assert seen == [b"1234567890"]
    over = [*parts, {"type": "http.request", "body": b"678901", "more_body": False}]
    sent = asyncio.run(_collect(limited, scope, over))
    assert sent[0]["status"] == 413
    assert seen == [b"1234567890"]  # the app never saw the oversized body
    # Lifespan and websocket scopes pass straight through.
    with pytest.raises(ValueError, match="positive"):
        BodySizeLimit(inner, max_bytes=0)


# --- text length ------------------------------------------------------------------------


def test_scan_refuses_an_item_over_max_text_chars(
    client: TestClient, headers: dict[Role, dict[str, str]]
) -> None:
    items = [{"id": "long", "text": "字" * 201}, {"id": "ok", "text": "字" * 200}]
    response = client.post("/v1/scan", json={"items": items}, headers=headers[Role.SERVICE])
    assert response.status_code == 200
    too_long, fine = response.json()["results"]
    assert too_long["id"] == "long"
    assert too_long["error"]["code"] == "too_long"
    assert fine["decision"] == "pass"


def test_scan_refuses_a_title_over_max_text_chars(
    client: TestClient, headers: dict[Role, dict[str, str]]
) -> None:
    items = [{"id": "t", "text": "正文", "title": "题" * 201, "surface": "article"}]
    response = client.post("/v1/scan", json={"items": items}, headers=headers[Role.SERVICE])
    assert response.json()["results"][0]["error"]["code"] == "too_long"


def test_events_refuse_text_over_max_text_chars(
    client: TestClient, headers: dict[Role, dict[str, str]]
) -> None:
    event = {"event_id": "e1", "account": "acc-1", "text": "字" * 201, "at": AT}
    response = client.post("/v1/events", json=event, headers=headers[Role.SERVICE])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "too_long"


def test_scan_refuses_too_many_items(
    client: TestClient, settings: Settings, headers: dict[Role, dict[str, str]]
) -> None:
    items = [{"id": str(n), "text": "x"} for n in range(settings.max_items_per_request + 1)]
    response = client.post("/v1/scan", json={"items": items}, headers=headers[Role.SERVICE])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "too_many_items"


# --- images -----------------------------------------------------------------------------


@pytest.fixture
def image_client(settings: Settings, storage: Storage, scanner: Scanner) -> Iterator[TestClient]:
    small = settings.model_copy(update={"image_max_bytes": 5000, "image_max_pixels": 10_000})
    with_images = Scanner(scanner.detectors, sources=default_sources(small))
    with TestClient(create_app(small, with_images, storage)) as client:
        yield client


@pytest.mark.parametrize(
    ("name", "size"),
    [("bytes.bmp", (120, 120)), ("pixels.png", (200, 200))],  # 43 KB; 40,000 px in 1 KB
)
def test_scan_applies_image_limits(
    image_client: TestClient,
    headers: dict[Role, dict[str, str]],
    tmp_path: Path,
    name: str,
    size: tuple[int, int],
) -> None:
    path = tmp_path / name
    Image.new("RGB", size, "white").save(path)
    items = [{"id": "img", "images": [str(path)]}]
    response = image_client.post("/v1/scan", json={"items": items}, headers=headers[Role.SERVICE])
    assert response.status_code == 200
    assert response.json()["results"][0]["error"]["code"] == "image_too_large"


@pytest.mark.parametrize(("name", "size"), [("bytes.bmp", (120, 120)), ("pixels.png", (200, 200))])
def test_the_image_loader_applies_the_settings_limits(
    tmp_path: Path, name: str, size: tuple[int, int]
) -> None:
    path = tmp_path / name
    Image.new("RGB", size, "white").save(path)
    assert path.stat().st_size < 5000 or name.endswith(".bmp")
    with pytest.raises(ItemError) as raised:
        load_image(str(path), ImageLimits(max_bytes=5000, max_pixels=10_000))
    assert raised.value.code == "image_too_large"
