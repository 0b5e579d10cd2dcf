"""Scanning a batch detector by detector gives every item what scanning it alone gives."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from jingwang.core.detect.base import Inspection, NormalizedItem
from jingwang.core.io import ItemError
from jingwang.core.jsonl import scan_lines
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Decision, Finding, ScanItem

TEXTS = [
    "加我薇信 abc12345，出售催情药，300一盒包邮",
    "今天天气不错，我们去公园散步吧",
    "澳门娱乐城 注册就送 88 元 www.example-bet.top",
    "你个王八蛋，滚",
    "兼职刷单，日结 300，私聊",
    "",
    "黄色的花开了",
    "警方通报：依法处置违规账号 1,203 个",
]


class _Fails:
    """Raises on items whose id starts with ``fail``; reports nothing otherwise."""

    name = "fails"
    labels: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.seen: list[str] = []

    def detect(self, item: NormalizedItem) -> list[Finding]:
        self.seen.append(item.item.id)
        if item.item.id.startswith("fail"):
            raise RuntimeError(f"cannot read {item.item.id}")
        return []


class _RefusesUrls:
    """A source that refuses every URL, as an image or link source refuses a bad one."""

    def references(self, item: ScanItem) -> bool:
        return bool(item.urls)

    def inspect(self, item: ScanItem) -> Inspection:
        if item.urls:
            raise ItemError("bad_url", f"cannot use {item.urls[0]}")
        return Inspection()


@pytest.fixture(scope="module")
def full() -> Scanner:
    return Scanner.from_names()


def test_a_batch_decides_as_items_one_by_one(full: Scanner) -> None:
    items = [ScanItem(f"m{i}", text=text) for i, text in enumerate(TEXTS) if text]
    assert full.scan_batch(items) == [full.scan(item) for item in items]
    assert list(full.scan_many(items, batch_size=3)) == [full.scan(item) for item in items]


def test_a_failing_item_gets_its_exception_and_the_others_their_decisions(full: Scanner) -> None:
    fails = _Fails()
    scanner = Scanner([*full.detectors, fails], sources=[_RefusesUrls()])
    items = [
        ScanItem("ok-1", text=TEXTS[0]),
        ScanItem("fail-2", text=TEXTS[1]),
        ScanItem("bad-url", urls=("http://example.com/x",)),
        ScanItem("ok-3", text=TEXTS[2]),
    ]
    outcomes = scanner.scan_batch(items)
    assert isinstance(outcomes[1], RuntimeError) and "fail-2" in str(outcomes[1])
    assert isinstance(outcomes[2], ItemError) and outcomes[2].code == "bad_url"
    alone = Scanner(full.detectors)
    assert outcomes[0] == alone.scan(items[0])
    assert outcomes[3] == alone.scan(items[3])
    assert isinstance(outcomes[0], Decision) and outcomes[0].decision == "block"
    # the item whose source refused it never reached a detector
    assert fails.seen == ["ok-1", "fail-2", "ok-3"]


class _BatchFails(_Fails):
    """A batch detector whose batch call always raises: the scanner falls back to
    ``detect`` item by item, so only the item that fails on its own is lost."""

    name = "batch-fails"

    def detect_batch(self, items: Sequence[NormalizedItem]) -> list[list[Finding]]:
        raise RuntimeError("the batch call fails")


class _CountsBatches(_Fails):
    name = "counts-batches"

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[int] = []

    def detect_batch(self, items: Sequence[NormalizedItem]) -> list[list[Finding]]:
        self.batches.append(len(items))
        return [[] for _ in items]


def test_a_batch_detector_gets_the_batch_in_one_call(full: Scanner) -> None:
    counting = _CountsBatches()
    scanner = Scanner([*full.detectors, counting])
    items = [ScanItem(f"m{i}", text=text) for i, text in enumerate(TEXTS) if text]
    assert scanner.scan_batch(items) == [full.scan(item) for item in items]
    assert counting.batches == [len(items)] and counting.seen == []


def test_a_failing_batch_call_falls_back_to_items_one_by_one(full: Scanner) -> None:
    scanner = Scanner([*full.detectors, _BatchFails()])
    items = [ScanItem("ok-1", text=TEXTS[0]), ScanItem("fail-2", text=TEXTS[1])]
    outcomes = scanner.scan_batch(items)
    assert outcomes[0] == full.scan(items[0])
    assert isinstance(outcomes[1], RuntimeError) and "fail-2" in str(outcomes[1])


def test_scan_many_yields_up_to_the_first_failure(full: Scanner) -> None:
    scanner = Scanner([*full.detectors, _Fails()])
    items = [ScanItem("ok", text=TEXTS[1]), ScanItem("fail", text=TEXTS[1])]
    stream = scanner.scan_many(items)
    assert next(stream).id == "ok"
    with pytest.raises(RuntimeError, match="cannot read fail"):
        next(stream)


def test_scan_lines_keeps_line_order_with_errors_in_place(full: Scanner) -> None:
    scanner = Scanner([*full.detectors, _Fails()])
    lines = [
        (1, '{"id": "a", "text": "今天天气不错"}'.encode()),
        (2, b"{not json"),
        (3, '{"id": "fail-x", "text": "你好"}'.encode()),
        (5, '{"id": "b", "text": "出售催情药，加微信 abc12345"}'.encode()),
        (6, b'{"text": "no id"}'),
    ]
    results = scan_lines(scanner, lines)
    assert [r.get("id") for r in results] == ["a", None, "fail-x", "b", None]
    assert results[0]["decision"] == "pass"
    assert results[1]["error"]["code"] == "invalid_json"
    assert results[2]["error"] == {
        "code": "internal_error",
        "message": "line 3: RuntimeError: cannot read fail-x",
    }
    assert results[3]["decision"] == "block"
    assert results[4]["error"]["message"].startswith("line 6:")
