"""ContactDetector: handles in plain and disguised forms, and the numbers that are not."""

from __future__ import annotations

import random

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jingwang.core.detect import contacts
from jingwang.core.detect.base import NormalizedItem, TextView, prepare
from jingwang.core.detect.contacts import ContactDetector
from jingwang.core.detect.extract.gated import gated_finditer
from jingwang.core.normalize import normalize
from jingwang.core.types import Finding, ScanItem

DETECTOR = ContactDetector()


def _item(text: str) -> NormalizedItem:
    return prepare(ScanItem(id="t", text=text))


def _detect(text: str) -> list[Finding]:
    findings = DETECTOR.detect(_item(text))
    for finding in findings:
        assert finding.kind == "signal"
        assert finding.label == "contact"
        for evidence in finding.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
    return findings


def _details(text: str) -> dict[str, bool]:
    return {f.detail or "": f.evasion for f in _detect(text)}


@pytest.mark.parametrize(
    ("text", "detail", "evasive"),
    [
        ("加微信abc123了解详情", "wechat:abc123", False),
        ("微信号：zhangsan", "wechat:zhangsan", False),
        ("vx: Hot_Girl88", "wechat:hot_girl88", False),
        ("加 V：a b c 1 2 3", "wechat:abc123", True),
        ("薇信 wxid_abc123", "wechat:wxid_abc123", True),
        ("ｗｘ：ａｂｃ１２３", "wechat:abc123", True),
        ("🛰 sexy520", "wechat:sexy520", True),
        ("jia wei xin abc123", "wechat:abc123", True),
        ("薇 ❤ abcd_888", "wechat:abcd_888", True),
        ("加微👉 abc_9988", "wechat:abc_9988", False),
        ("QQ：12345678", "qq:12345678", False),
        ("扣扣 一二三四五六七", "qq:1234567", True),
        ("企鹅号 9 8 7 6 5 4", "qq:987654", True),
        ("加 扣 1000 0866 66", "qq:1000086666", True),
        ("进群 ②③⑧⓪⓪⓪①", "qq:2380001", True),
        ("加 威 : y c 一 二 三 d e m o", "wechat:yc123demo", True),
        ("同城当天到，微：am_demo", "wechat:am_demo", False),
        ("电话13812345678", "phone:13812345678", False),
        ("call 138-1234-5678", "phone:13812345678", False),
        ("+86 138 1234 5678", "phone:13812345678", False),
        ("电话 1 3 8-1234-5678", "phone:13812345678", True),
        ("一三八一二三四五六七八", "phone:13812345678", True),
        ("幺三八零零幺三八零零零", "phone:13800138000", True),
        ("①③⑧①②③④⑤⑥⑦⑧", "phone:13812345678", True),
        ("１３８１２３４５６７８", "phone:13812345678", True),
        ("138🍑1234🍑5678", "phone:13812345678", True),
        (
            "1\u200b3\u200b8\u200b1\u200b2\u200b3\u200b4\u200b5\u200b6\u200b7\u200b8",
            "phone:13812345678",
            True,
        ),
        ("tg @abcdef", "telegram:@abcdef", False),
        ("纸飞机：spam_king", "telegram:@spam_king", False),
        ("飞机：spam_king", "telegram:@spam_king", False),
        ("t.me/spamhandle", "telegram:@spamhandle", False),
        ("联系 abc@qq.com", "email:abc@qq.com", False),
        ("abc at qq dot com", "email:abc@qq.com", True),
        ("abc艾特163点com", "email:abc@163.com", True),
    ],
)
def test_finds_handles(text: str, detail: str, evasive: bool) -> None:
    details = _details(text)
    assert detail in details
    assert details[detail] is evasive


@pytest.mark.parametrize(
    "text",
    [
        "QQ音乐 2023 年度榜单",
        "打开QQ音乐听歌",
        "价格 13800000000元",
        "￥13812345678",
        "订单号：13812345678",
        "订单编号 20231381234567890",
        "1998 2003 2010 2015 年的照片",
        "13.50 18.90 20.00",
        "2023-10-01 13:45 开会",
        "今年是2024年，GDP 增长 5.2%",
        "wechat group chat is fun",
        "我用微信支付了100元",
        "今天一起去看电影，三个人九点见",
        "版本号 v1.3.8",
        "明天坐飞机 beijing 见",
        "",
    ],
)
def test_ignores_numbers_that_are_not_handles(text: str) -> None:
    assert _detect(text) == []


def test_one_finding_per_handle_with_every_occurrence() -> None:
    text = "电话13812345678，再说一遍：13812345678"
    findings = _detect(text)
    assert [f.detail for f in findings] == ["phone:13812345678"]
    assert [e.start for e in findings[0].evidence] == [2, 19]


def test_normaliser_pass_adds_no_second_reading_of_a_number() -> None:
    assert list(_details("联系扣扣 一零零零零八八六六")) == ["qq:100008866"]


def test_evidence_indexes_the_original_around_emoji_and_full_width() -> None:
    text = "🎉🎉 加威信：ｓｅｘｙ ５２０ 哦，或者 1️⃣3️⃣8️⃣12345678"
    for finding in _detect(text):
        for evidence in finding.evidence:
            assert evidence.source == "text"
            assert text[evidence.start : evidence.end] == evidence.text


def test_scans_every_view_with_its_source() -> None:
    item = prepare(
        ScanItem(id="t", text="你好"), [TextView("ocr:img1.png", normalize("微信 abc123"))]
    )
    [finding] = DETECTOR.detect(item)
    assert finding.evidence[0].source == "ocr:img1.png"


def test_protocol_attributes() -> None:
    assert DETECTOR.name == "contacts"
    assert DETECTOR.labels == ("contact",)


def test_huge_and_garbage_input_never_raises_and_is_deterministic() -> None:
    rng = random.Random(7)
    alphabet = "abc123 .-_|@点一三八①微信QQ:：/*<>\u200b🍑。com"
    garbage = "".join(rng.choice(alphabet) for _ in range(200_000))
    first = DETECTOR.detect(_item(garbage))
    assert first == DETECTOR.detect(_item(garbage))
    for finding in first:
        for evidence in finding.evidence:
            assert garbage[evidence.start : evidence.end] == evidence.text
    noise = "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(20_000))
    DETECTOR.detect(_item(noise))
    DETECTOR.detect(_item("1" * 200_000))
    DETECTOR.detect(prepare(ScanItem(id="t", images=("a.png",))))


# Pieces contact texts are made of: every keyword's first characters and look-alikes of
# them, separators, and ids, so that generated texts hit the patterns often.
_CONTACT_PIECES = [
    *"微wv加+➕威薇维徽危魏卫🛰q扣抠企群进t纸飞电✈@艾圈",
    *["微信", "weixin", "wechat", "wx", "vx", "v信", "w信", "卫星", "微❤", "q q", "q号"],
    *["扣扣", "企鹅", "群号", "加群", "telegram", "tg", "纸飞机", "飞机", "电报", "t.me/"],
    *["at", " at ", "(at)", "艾特", "圈a", "点", "dot", ".com", "号", "是", "id"],
    *[":", "：", " ", "-", "_", ".", "，", "a", "x", "abc_12", "hot_girl88", "zhangsan"],
    *["1", "123456", "13812345678", "1 3 8", "二", "abc", "mail", "qq.com", "163"],
]


@settings(max_examples=400, deadline=None)
@example("加微信abc123，扣扣 12345678，tg: @hot_girl88，邮箱 abc@qq.com，或 @another_one")
@given(st.lists(st.sampled_from(_CONTACT_PIECES), max_size=12).map("".join))
def test_gated_scans_find_what_a_full_scan_finds(text: str) -> None:
    """Trying only the characters a keyword starts with loses no match."""
    for pattern, starts in (
        (contacts._WECHAT, contacts._WECHAT_STARTS),
        (contacts._QQ, contacts._QQ_STARTS),
        (contacts._TELEGRAM, contacts._TELEGRAM_STARTS),
    ):
        gated = [m.span() for m in gated_finditer(pattern, starts, text)]
        assert gated == [m.span() for m in pattern.finditer(text)]
    full = [(m.start(), m.end()) for m in contacts._EMAIL.finditer(text)]
    assert [(h.start, h.end) for h in contacts._emails(text)] == full
