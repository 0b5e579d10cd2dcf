"""SeoStuffingDetector: keyword-stuffed headers and footers, not navigation or news."""

from __future__ import annotations

import random

import pytest

from jingwang.core.detect.base import NormalizedItem, prepare
from jingwang.core.detect.seo import SeoStuffingDetector
from jingwang.core.types import Finding, ScanItem

DETECTOR = SeoStuffingDetector()

ARTICLE = (
    "今天我们来聊一聊春天的花。公园里的樱花开得正好，游人如织，大家纷纷拍照留念。"
    "专家表示，今年的花期比往年提前了一周左右，主要是因为气温偏高。"
) * 3
STUFFING = (
    "亚洲AV无码专区_国产精品久久久久久_日韩欧美一区二区_成人影院在线观看_免费黄片"
    "|色综合网|澳门葡京娱乐城|百家乐在线"
)
HTML = (
    "<html><head><title>亚洲AV无码_国产精品_人妻偷拍_色综合</title>"
    "<meta name='keywords' content='色情,黄片,毛片,av,乱伦'></head>"
    "<body><nav><a href='/'>首页</a> | <a href='/news'>新闻</a></nav>"
    f"<p>{ARTICLE}</p>"
    "<footer><a>百家乐</a>|<a>澳门葡京</a>|<a>时时彩</a>|<a>六合彩</a></footer></body></html>"
)


def _item(text: str) -> NormalizedItem:
    return prepare(ScanItem(id="t", text=text))


def _detect(text: str) -> list[Finding]:
    findings = DETECTOR.detect(_item(text))
    for finding in findings:
        assert finding.kind == "violation"
        assert finding.label == "seo_spam"
        for evidence in finding.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
    return findings


@pytest.mark.parametrize(
    "text",
    [
        f"{STUFFING}\n{ARTICLE}\n{STUFFING}",
        f"{STUFFING}\n{ARTICLE}",
        f"{ARTICLE}\n{STUFFING}",
        HTML,
        "久久精品 - 国产精品 - 亚洲AV - 无码专区 - 人妻偷拍\n" + ARTICLE,
        "casino | bet365 | 百家乐 | 老虎机 | 时时彩 | 六合彩 " + ARTICLE,
        "黃色網站 免費看片 成人電影 在線觀看\n" + ARTICLE,
        "办证刻章 发票代开 办证刻章 发票代开 办证刻章 发票代开 办证刻章 发票代开\n" + ARTICLE,
    ],
)
def test_flags_stuffing_blocks(text: str) -> None:
    [finding] = _detect(text)
    assert finding.score >= 0.8
    assert all(len(e.text) < len(text) for e in finding.evidence)


def test_evidence_is_the_stuffed_runs_not_the_article() -> None:
    text = f"{STUFFING}\n{ARTICLE}\n{STUFFING}"
    [finding] = _detect(text)
    assert [e.text for e in finding.evidence] == [STUFFING, STUFFING]


def test_html_title_meta_and_footer_count() -> None:
    [finding] = _detect(HTML)
    joined = " ".join(e.text for e in finding.evidence)
    assert "亚洲AV无码" in joined
    assert "百家乐" in joined
    assert "樱花" not in joined


@pytest.mark.parametrize(
    "text",
    [
        ARTICLE,
        "首页 | 新闻 | 体育 | 关于我们\n" + ARTICLE,
        "首页 | 电影 | 电视剧 | 综艺 | 动漫 | 免费 | 高清\n" + ARTICLE,
        "<html><head><title>新闻网_首页</title></head><body><nav><a>首页</a>|<a>体育</a>"
        f"</nav><p>{ARTICLE}</p></body></html>",
        "警方捣毁一个色情网站，抓获犯罪嫌疑人5名，该网站传播淫秽视频，涉及赌博广告。" + ARTICLE,
        "涉及色情、赌博、毒品、诈骗的内容将被处理。",
        "他们在房间里说着话，后来一起出门去吃饭，再也没有提起那件事。",
        "哈哈哈哈 哈哈哈哈 哈哈哈哈 哈哈哈哈 哈哈哈哈 哈哈哈哈 哈哈哈哈",
        "首页 | 新闻 | 体育 | 首页 | 新闻 | 体育\n" + ARTICLE,
        "",
    ],
)
def test_passes_ordinary_pages_and_reports(text: str) -> None:
    assert _detect(text) == []


def test_protocol_attributes() -> None:
    assert DETECTOR.name == "seo"
    assert DETECTOR.labels == ("seo_spam",)


def test_huge_and_garbage_input_never_raises_and_is_deterministic() -> None:
    rng = random.Random(3)
    pieces = ["色情", "av", "|", "_", "<a>", "</a>", "首页", "新闻", " ", "，", "<meta", "'"]
    garbage = "".join(rng.choice(pieces) for _ in range(60_000))[:200_000]
    first = DETECTOR.detect(_item(garbage))
    assert first == DETECTOR.detect(_item(garbage))
    for finding in first:
        for evidence in finding.evidence:
            assert garbage[evidence.start : evidence.end] == evidence.text
    DETECTOR.detect(_item("色情|" * 50_000))
    DETECTOR.detect(_item("<" * 200_000))
    DETECTOR.detect(_item("".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(20_000))))
