"""LinkDetector: plain and disguised URLs, drives, short links and damning domains."""

from __future__ import annotations

import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jingwang.core.detect.base import NormalizedItem, TextView, prepare
from jingwang.core.detect.extract import urls
from jingwang.core.detect.extract.domains import DomainList, parse_rules
from jingwang.core.detect.extract.gated import gated_finditer
from jingwang.core.detect.links import LinkDetector
from jingwang.core.normalize import normalize
from jingwang.core.types import Finding, ScanItem

DETECTOR = LinkDetector()


def _item(text: str | None = None, urls: tuple[str, ...] = ()) -> NormalizedItem:
    return prepare(ScanItem(id="t", text=text, urls=urls))


def _detect(text: str) -> list[Finding]:
    findings = DETECTOR.detect(_item(text))
    for finding in findings:
        for evidence in finding.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
    return findings


def _signals(text: str) -> dict[str, Finding]:
    return {f.detail or "": f for f in _detect(text) if f.kind == "signal"}


@pytest.mark.parametrize(
    ("text", "url", "evasive"),
    [
        ("看 https://example.com/a?b=1 吧", "https://example.com/a?b=1", False),
        ("官网 www.example.com 欢迎", "http://www.example.com", False),
        ("访问 example.cn/page", "http://example.cn/page", False),
        ("hxxps://evil.top/x", "https://evil.top/x", True),
        ("www。abc。com", "http://www.abc.com", False),
        ("abc．com", "http://abc.com", False),
        ("abc点com", "http://abc.com", True),
        ("abc點com", "http://abc.com", True),
        ("abc dot xyz", "http://abc.xyz", True),
        ("www . abc . com", "http://www.abc.com", True),
        ("原视频在这里 ww w . lu-example . vip/x", "http://www.lu-example.vip/x", True),
        ("h t t p s : / / example.com", "https://example.com", True),
        ("abc(dot)com", "http://abc.com", True),
        ("ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ", "http://www.example.com", False),
        ("资源 pan.baidu.com/s/1abcDEF 提取码 abcd", "http://pan.baidu.com/s/1abcDEF", False),
    ],
)
def test_finds_links(text: str, url: str, evasive: bool) -> None:
    signals = _signals(text)
    assert f"link:{url}" in signals
    assert signals[f"link:{url}"].evasion is evasive
    assert signals[f"link:{url}"].label == "url"


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("资源 pan.baidu.com/s/1abcDEF", "cloud_drive:pan.baidu.com"),
        ("pan 点 baidu 点 com/s/1abc", "cloud_drive:pan.baidu.com"),
        ("https://www.aliyundrive.com/s/xyz", "cloud_drive:aliyundrive.com"),
        ("https://www.alipan.com/s/xyz", "cloud_drive:alipan.com"),
        ("https://pan.quark.cn/s/abc123", "cloud_drive:pan.quark.cn"),
        ("https://wwi.lanzoux.com/iAbc", "cloud_drive:wwi.lanzoux.com"),
        ("https://115.com/s/sw3abc", "cloud_drive:115.com"),
        ("资源在夸克网盘，链接私聊", "cloud_drive:pan.quark.cn"),
        ("蓝奏云自取", "cloud_drive:lanzou.com"),
        ("t.cn/A6xyz", "short_link:t.cn"),
        ("https://bit.ly/3abc", "short_link:bit.ly"),
        ("dwz.cn/abcd", "short_link:dwz.cn"),
        ("tinyurl.com/y3abc", "short_link:tinyurl.com"),
        ("91av.top", "suspicious_tld"),
        ("xx娱乐 www.abc888.vip", "suspicious_tld"),
    ],
)
def test_classifies_hosts(text: str, detail: str) -> None:
    assert detail in _signals(text)


@pytest.mark.parametrize(
    ("text", "label", "subcategory"),
    [
        ("http://www.pornhub.com/view", "porn", "porn_link"),
        ("91av.top", "porn", "porn_link"),
        ("sexy-xxx.cc/v/1", "porn", "porn_link"),
        ("bet365.com", "gambling", None),
        ("https://www.188bet.com", "gambling", None),
        ("xx casino点com", "gambling", None),
        ("p\u043ernhub.com 看", "porn", "porn_link"),
    ],
)
def test_damning_domains_are_violations(text: str, label: str, subcategory: str | None) -> None:
    violations = [f for f in _detect(text) if f.kind == "violation"]
    assert [(f.label, f.subcategory) for f in violations] == [(label, subcategory)]
    assert 0.5 <= violations[0].score <= 0.8


@pytest.mark.parametrize(
    "text",
    [
        "README.md 和 v1.2.3",
        "Chapter 1. In the beginning",
        "联系邮箱 abc@qq.com",
        "圆周率 3.14 元",
        "好的。Com 你好",
        "e.g. this one",
        "文件 report.docx 已发送",
        "首页 | 新闻 | 体育 | 关于我们",
        "我的百度账号被盗了",
        "",
    ],
)
def test_ignores_things_that_are_not_links(text: str) -> None:
    assert _detect(text) == []


@pytest.mark.parametrize("text", ["https://java.com", "alphabet.com", "travel.com.cn/avenue"])
def test_keywords_inside_words_are_not_damning(text: str) -> None:
    assert [f for f in _detect(text) if f.kind == "violation"] == []


def test_item_urls_get_their_own_evidence_source() -> None:
    url = "https://bit.ly/abc"
    findings = DETECTOR.detect(_item(urls=(url, "http://sexy-av.xyz/x", "not a url")))
    details = {f.detail for f in findings}
    assert {"link:https://bit.ly/abc", "short_link:bit.ly", "suspicious_tld"} <= details
    assert ("porn", "porn_link") in {(f.label, f.subcategory) for f in findings}
    evidence = next(f for f in findings if f.detail == "short_link:bit.ly").evidence[0]
    assert (evidence.start, evidence.end, evidence.text, evidence.source) == (
        0,
        len(url),
        url,
        f"url:{url}",
    )


def test_domain_list_match_kinds() -> None:
    rules = parse_rules("# comment\nexample.org\tdomain\tporn\tporn_link\nxy\ttoken\tgambling\t-\n")
    domains = DomainList(rules)
    assert [r.pattern for r in domains.classify("a.example.org")] == ["example.org"]
    assert [r.subcategory for r in domains.classify("xy-88.com")] == [None]
    assert domains.classify("xyz.com") == []
    detector = LinkDetector(domains)
    assert {f.label for f in detector.detect(_item("see a.example.org/1"))} == {"url", "porn"}


def test_unknown_match_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown match kind"):
        parse_rules("x\tfuzzy\tporn\t-\n")


def test_protocol_attributes() -> None:
    assert DETECTOR.name == "links"
    assert "url" in DETECTOR.labels


def test_huge_and_garbage_input_never_raises_and_is_deterministic() -> None:
    rng = random.Random(11)
    alphabet = "abc123 .-_/:点點。．@wwwcomtopxyzhttp"
    garbage = "".join(rng.choice(alphabet) for _ in range(200_000))
    first = DETECTOR.detect(_item(garbage))
    assert first == DETECTOR.detect(_item(garbage))
    for finding in first:
        for evidence in finding.evidence:
            assert garbage[evidence.start : evidence.end] == evidence.text
    DETECTOR.detect(_item("a." * 100_000))
    DETECTOR.detect(_item("".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(20_000))))
    DETECTOR.detect(_item(urls=("", "http://", "://x", "http://[::1", "\x00")))


def test_resolved_chains_are_checked_hop_by_hop_under_the_final_url() -> None:

    chain = ("http://t.cn/abc", "http://hop.example/r", "http://91av.top/landing")
    view = TextView("url:http://91av.top/landing", normalize("欢迎光临"), chain)
    item = NormalizedItem(ScanItem("m1", urls=("http://t.cn/abc",)), (view,))
    findings = LinkDetector().detect(item)

    sources = {e.source for f in findings for e in f.evidence}
    assert sources == {"url:http://91av.top/landing"}
    porn = [f for f in findings if f.kind == "violation" and f.label == "porn"]
    assert porn and porn[0].evasion
    assert any(f.detail == "short_link:t.cn" for f in findings)


_URL_PIECES = [
    *["http://", "https://", "h t t p s", "hxxp://", "www", "www.", ".", "。", " ", "点", "dot"],
    *["(dot)", "[.]", "com", "cn", "top", "vip", "example", "pan", "baidu", "a", "ab-c", "9"],
    *["/s/1aB", ":8080", "@", "_", "-", "你好", "加", "п", "α", "1.in", "t.cn/", "…"],
]


@settings(max_examples=400, deadline=None)
@example("看 https://pan.baidu.com/s/1aB 或 www . abc 点 top，别点 xn.com")
@given(st.lists(st.sampled_from(_URL_PIECES), max_size=12).map("".join))
def test_the_gated_url_scan_finds_what_a_full_scan_finds(text: str) -> None:
    """Trying the pattern only where an ASCII word begins loses no URL."""
    for pattern in (urls._URL, urls._URL_NORMALIZED):
        gated = [m.span() for m in gated_finditer(pattern, urls._ASCII_WORD, text)]
        assert gated == [m.span() for m in pattern.finditer(text)]
