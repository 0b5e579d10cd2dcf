"""Every installed detector keeps the detector protocol's promises (detect/base.py):
it never raises on odd input, it is deterministic, it reports only its own labels, every
evidence span indexes the original text, and a batch detector's ``detect_batch`` gives
each item what ``detect`` gives it alone."""

from __future__ import annotations

import pytest

from jingwang.core.detect import registry
from jingwang.core.detect.base import BatchDetector, Detector, NormalizedItem, prepare
from jingwang.core.types import ScanItem

TEXTS = [
    "加我薇信 abc12345，出售催情药，300一盒包邮",
    "澳门娱乐城 注册就送 88 元 www.example-bet.top 点击 t.cn/abc",
    "你个王八蛋，滚",
    "兼职刷单，日结 300，私聊 QQ：12345678",
    "警方通报：依法处置违规账号 1,203 个，如 wxid_****a3",
    "黄色的花开了，鸡肉很好吃",
    "ok see you later",
    "今天聊聊春天的花，公园里樱花正好，游人很多。" * 3
    + "亚洲AV无码专区_国产精品久久久_日韩一区二区_成人影院在线观看_免费黄片|色综合网|百家乐在线",
]
ARTICLES = [
    ScanItem(
        "article",
        text="小区的花开了，周末带孩子出门晒晒太阳。转发给身边的人，不转不是中国人！",
        title="震惊！医生都不敢说的秘方，紧急扩散",
        surface="article",
    )
]
ODD = [
    " ",
    "\n\t\u200b\u200d",
    "😀" * 50,
    "\x00\x01\x7f\ufffd",
    "\ud800 lone surrogate 加微信",
    "ｱｲｳ①②③⑴壹贰\u0301\u0301",
    "a" * 5000,
    "加" * 3000 + "微信",
    "http://" + "x." * 300 + "com",
]


@pytest.fixture(scope="module", params=registry.available())
def detector(request: pytest.FixtureRequest) -> Detector:
    return registry.load([request.param])[0]


def _items(texts: list[str]) -> list[NormalizedItem]:
    return [prepare(ScanItem(f"c{i}", text=text)) for i, text in enumerate(texts)]


def _origin(item: ScanItem, source: str) -> str:
    """The text an evidence span with this source indexes."""
    return (item.title if source == "title" else item.text) or ""


def test_keeps_the_protocol(detector: Detector) -> None:
    assert isinstance(detector, Detector)
    assert detector.name and isinstance(detector.labels, tuple)


def test_odd_input_never_raises(detector: Detector) -> None:
    for item in _items(ODD):
        assert isinstance(detector.detect(item), list)


def test_deterministic_own_labels_and_spans_in_the_original(detector: Detector) -> None:
    reported = 0
    for item in [*_items(TEXTS + ODD), *map(prepare, ARTICLES)]:
        findings = detector.detect(item)
        assert findings == detector.detect(item)
        for finding in findings:
            reported += 1
            assert finding.detector == detector.name
            assert finding.kind == "signal" or finding.label in detector.labels, finding
            assert 0.0 <= finding.score <= 1.0
            for evidence in finding.evidence:
                assert evidence.source in ("text", "title")
                original = _origin(item.item, evidence.source)
                assert 0 <= evidence.start < evidence.end <= len(original)
                assert original[evidence.start : evidence.end] == evidence.text
    assert reported, f"{detector.name} reported nothing on texts made to trip it"


def test_batch_detectors_give_each_item_what_it_gets_alone() -> None:
    batch_detectors = [d for d in registry.load() if isinstance(d, BatchDetector)]
    assert "model" in {d.name for d in batch_detectors}
    items = _items(TEXTS + ODD) * 30  # more items than one batch chunk
    for detector in batch_detectors:
        assert detector.detect_batch(items) == [detector.detect(item) for item in items]
        assert detector.detect_batch([]) == []
