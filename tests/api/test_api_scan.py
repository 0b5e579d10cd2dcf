"""``POST /v1/scan`` over HTTP: authentication, per-item results and malformed bodies."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from jingwang.adapters.storage import InMemoryStorage, Role, issue_key
from jingwang.api import create_app
from jingwang.api.routes import scan as scan_route
from jingwang.core.detect import registry
from jingwang.core.detect.base import Inspection
from jingwang.core.io import ItemError, decision_to_dict, parse_item
from jingwang.core.pipeline import Scanner
from jingwang.core.types import ScanItem
from jingwang.settings import Settings

Headers = dict[Role, dict[str, str]]

ITEMS: list[Any] = [
    {"id": "m1", "text": "最新广告：加我领取", "surface": "chat"},
    {"id": "m2", "text": "今晚一起吃饭吗？"},
    {"text": "no id"},
    "not an object",
    {"id": "m5", "text": 5},
]


def _item_error(obj: object) -> dict[str, Any]:
    with pytest.raises(ItemError) as raised:
        parse_item(obj)
    return raised.value.to_dict()


def test_results_follow_the_items_with_errors_in_place(
    client: TestClient, headers: Headers, scanner: Scanner
) -> None:
    response = client.post("/v1/scan", json={"items": ITEMS}, headers=headers[Role.SERVICE])
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == ["m1", "m2", None, None, "m5"]
    assert results[0] == decision_to_dict(scanner.scan(parse_item(ITEMS[0])))
    assert results[0]["decision"] == "block"
    assert results[0]["labels"][0]["label"] == "spam"
    assert results[0]["labels"][0]["evidence"] == [
        {"start": 2, "end": 4, "text": "广告", "source": "text"}
    ]
    assert results[1] == {"id": "m2", "decision": "pass", "labels": []}
    # The same error objects as `jingwang scan` writes for bad lines.
    assert results[2:] == [_item_error(item) for item in ITEMS[2:]]
    assert [r["error"]["code"] for r in results[2:]] == [
        "missing_id",
        "invalid_type",
        "invalid_type",
    ]


def test_text_limit_comes_from_the_settings(
    client: TestClient, headers: Headers, settings: Settings
) -> None:
    item = {"id": "long", "text": "长" * (settings.max_text_chars + 1)}
    response = client.post("/v1/scan", json={"items": [item]}, headers=headers[Role.ADMIN])
    assert response.json()["results"][0]["error"]["code"] == "too_long"


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_scan(client: TestClient, headers: Headers, role: Role) -> None:
    response = client.post("/v1/scan", json={"items": ITEMS[:1]}, headers=headers[role])
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("sent", "code"),
    [
        ({}, "missing_key"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "missing_key"),
        ({"Authorization": "Bearer jw_not-a-real-key"}, "invalid_key"),
    ],
)
def test_scan_without_a_valid_key_is_401(
    client: TestClient, sent: dict[str, str], code: str
) -> None:
    response = client.post("/v1/scan", json={"items": ITEMS[:1]}, headers=sent)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == code


def test_revoked_key_is_401(client: TestClient, headers: Headers, storage: InMemoryStorage) -> None:
    service_key = next(k for k in storage.api_keys.list() if k.role is Role.SERVICE)
    storage.api_keys.revoke(service_key.id)
    response = client.post("/v1/scan", json={"items": ITEMS[:1]}, headers=headers[Role.SERVICE])
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_key"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ([{"id": "m1", "text": "x"}], "valid dictionary"),
        ({}, "items"),
        ({"items": "m1"}, "items"),
        ({"items": [{"id": str(n), "text": "x"} for n in range(6)]}, "the limit is 5"),
    ],
)
def test_malformed_body_is_422(
    client: TestClient, headers: Headers, body: Any, fragment: str
) -> None:
    response = client.post("/v1/scan", json=body, headers=headers[Role.SERVICE])
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] in {"invalid_request", "too_many_items"}
    assert fragment in error["message"]


def test_body_that_is_not_json_is_422(client: TestClient, headers: Headers) -> None:
    response = client.post(
        "/v1/scan",
        content=b"{not json",
        headers={**headers[Role.SERVICE], "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def _default_scanner() -> Scanner:
    try:
        registry.load()
    except (ImportError, registry.DetectorLoadError) as exc:
        pytest.skip(f"the default detectors do not load yet: {exc}")
    return Scanner.from_names()


def test_scan_with_the_default_detectors(settings: Settings) -> None:
    scanner = _default_scanner()
    storage = InMemoryStorage()
    key = issue_key(storage.api_keys, "svc", Role.SERVICE).secret
    items = [{"id": "m1", "text": "加我薇信 abc12345，出售催情药，300一盒包邮"}, {"id": "m2"}]
    with TestClient(create_app(settings, scanner, storage)) as client:
        response = client.post(
            "/v1/scan", json={"items": items}, headers={"Authorization": f"Bearer {key}"}
        )
    assert response.status_code == 200
    first, second = response.json()["results"]
    assert first["id"] == "m1"
    assert first["decision"] in {"pass", "review", "block"}
    assert second["error"]["code"] == "empty_item"


@pytest.fixture
def pool_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What the scan route hands to the thread pool, recorded as it is passed on."""
    calls: list[object] = []
    real = scan_route.run_in_threadpool

    async def recording(func, *args):  # type: ignore[no-untyped-def]
        calls.append(func)
        return await real(func, *args)

    monkeypatch.setattr(scan_route, "run_in_threadpool", recording)
    return calls


class CountingSource:
    """A source that 'references' items with images, counting what it inspects."""

    name = "images"

    def __init__(self) -> None:
        self.inspected: list[str] = []

    def references(self, item: ScanItem) -> bool:
        return bool(item.images)

    def inspect(self, item: ScanItem) -> Inspection:
        self.inspected.append(item.id)
        return Inspection(())


@pytest.mark.parametrize(
    ("items", "pooled"),
    [
        ([{"id": "a", "text": "今晚一起吃饭吗？"}], False),
        ([{"id": "a", "text": "短" * 150}, {"id": "b", "text": "句" * 150}], False),
        ([{"id": str(n), "text": "短句"} for n in range(scan_route.INLINE_MAX_ITEMS + 1)], True),
        ([{"id": "a", "text": "看图", "images": ["x.png"]}], True),
        ([{"id": "a", "text": "短"}, {"id": "b", "text": "图", "images": ["y.png"]}], True),
    ],
)
def test_short_text_is_scanned_on_the_event_loop_and_references_in_the_pool(
    settings: Settings,
    storage: InMemoryStorage,
    headers: Headers,
    pool_calls: list[object],
    items: list[dict[str, Any]],
    pooled: bool,
) -> None:
    source = CountingSource()
    scanner = Scanner([registry.load(["lexicon"])[0]], sources=[source])
    with TestClient(create_app(settings, scanner, storage)) as client:
        response = client.post("/v1/scan", json={"items": items}, headers=headers[Role.SERVICE])
    assert response.status_code == 200
    assert len(response.json()["results"]) == len(items)
    assert bool(pool_calls) == pooled
    assert source.inspected == [item["id"] for item in items]


def test_long_text_is_scanned_in_the_pool(
    settings: Settings,
    scanner: Scanner,
    storage: InMemoryStorage,
    headers: Headers,
    pool_calls: list[object],
) -> None:
    settings = settings.model_copy(update={"max_text_chars": 10_000})
    text = "很长的文章。" * (scan_route.INLINE_TEXT_CHARS // 6 + 1)
    with TestClient(create_app(settings, scanner, storage)) as client:
        response = client.post(
            "/v1/scan", json={"items": [{"id": "a", "text": text}]}, headers=headers[Role.SERVICE]
        )
    assert response.status_code == 200
    assert response.json()["results"][0]["id"] == "a"
    assert pool_calls
