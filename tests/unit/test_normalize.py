"""Examples for every transform of the normaliser, and hard negatives."""

from __future__ import annotations

import pytest

from jingwang.core.normalize import normalize
from jingwang.core.normalize.alignment import align
from jingwang.core.normalize.tables import TABLE_LIMIT, char_table


@pytest.mark.parametrize(
    ("raw", "expected", "evasive"),
    [
        ("微\u200b信", "微信", True),
        ("微.信", "微信", True),
        ("加 V", "加v", True),
        ("v\u0301x", "vx", True),
        ("發財", "发财", False),
        ("ＡＢＣ１２３", "abc123", False),
        ("WeChat", "wechat", False),
        ("①③⑧", "138", True),
        ("⑴⒈❶", "111", True),
        ("⑩", "10", True),
        ("壹贰叁", "一二三", True),
        ("伍陆柒捌玖拾", "五六七八九十", True),
        ("vх", "vx", True),  # Cyrillic х
        ("ν", "v", True),  # Greek nu
        ("⼥", "女", True),  # Kangxi radical
        ("𝐀𝒂", "aa", True),
        ("x²₃", "x23", True),
        ("🇻🇽", "vx", True),
        ("女昌", "娼", True),
        ("弓长", "张", True),
        ("氵聂", "滠", True),
        ("讠舌", "话", True),
        ("💊", "药", True),
        ("🐔", "鸡", True),
        ("🈲", "禁", True),
        ("哈哈哈哈哈", "哈哈", False),
        ("hello world", "hello world", False),
        ("138 1234 5678", "138 1234 5678", False),
        ("13888888888", "13888888888", False),
    ],
)
def test_transforms(raw: str, expected: str, evasive: bool) -> None:
    result = normalize(raw)
    assert result.text == expected
    assert result.is_evasive(0, len(result.text)) is evasive
    assert result.evidence(0, len(result.text)).text == raw.strip()


@pytest.mark.parametrize(
    "sentence",
    [
        "黄色的花",
        "她是个好女子",
        "泥土也很肥沃",
        "大陆的队伍陆陆续续来了",
        "放肆",
        "收拾房间",
        "谢谢",
    ],
)
def test_ordinary_sentences_keep_their_meaning(sentence: str) -> None:
    assert normalize(sentence).text == sentence


def test_surname_descriptions_are_not_doubled() -> None:
    assert normalize("我姓李，木子李").text == "我姓李木子李"


def test_emoji_without_a_word_are_dropped_like_symbols() -> None:
    assert normalize("好😂好").text == "好好"


@pytest.mark.parametrize("decoration", ["❤", "💕", "✨", "⭐", "🌟", "😀", "❤\ufe0f"])
def test_decorative_emoji_inside_a_word_are_separators(decoration: str) -> None:
    result = normalize(f"加微{decoration}信")
    assert result.text == "加微信"
    assert result.evidence(1, 3).text == f"微{decoration}信"
    assert result.is_evasive(1, 3)


def test_emoji_that_name_a_thing_still_read_as_words() -> None:
    assert normalize("加🐧").text == "加企鹅"
    assert normalize("一次800🌹").text == "一次800玫瑰"


def test_offsets_of_a_recomposed_match() -> None:
    result = normalize("来找女.昌吧")
    start = result.text.index("娼")
    evidence = result.evidence(start, start + 1)
    assert evidence.text == "女.昌"
    assert (evidence.start, evidence.end) == (2, 5)
    assert result.is_evasive(start, start + 1)


def test_traditional_match_is_not_evasive_but_spaced_one_is() -> None:
    result = normalize("恭喜發財，微 信聯繫")
    assert result.text == "恭喜发财微信联系"
    assert not result.is_evasive(2, 4)
    assert result.is_evasive(4, 6)
    assert result.evidence(4, 6).text == "微 信"


def test_empty_span_and_unchanged_text() -> None:
    result = normalize("你好")
    assert result.unchanged
    assert result.span(0, 2) == (0, 2)
    assert not result.is_evasive(0, 2)
    assert normalize("。").span(0, 0) == (0, 0)


def test_span_rejects_ranges_outside_the_text() -> None:
    with pytest.raises(IndexError):
        normalize("微信").span(0, 5)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a，b", "a b"),  # a separator run between ASCII words survives as one space
        ("AB，CD", "ab cd"),
        ("a，𝄞b", "a b"),  # separators above the BMP
        ("a𝄞b", "a b"),
        ("a𝄞，b", "a b"),
        ("Wei🔥Xin", "weixin"),  # an emoji inside a Latin-script word decorates it
        ("a🤔，b", "a b"),
        ("a\u200b，b", "a b"),  # a deletion joins a word character to a separator
        ("Ａ，b", "a b"),  # a replacement that is a word character
        ("\ue000a，b", "\ue000a b"),  # the common path's own marker
        ("𠀀a，b", "𠀀a b"),
        ("發財🐶", "发财狗"),
        ("哈？哈？哈", "哈哈"),  # a run joined across deleted separators
        ("第10000名", "第10000名"),
        ("女。昌", "娼"),
        ("拾。捌", "十八"),
    ],
)
def test_shortcuts_agree_with_the_table(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected
    assert align(raw)[0] == expected


def test_character_table_is_idempotent() -> None:
    translation = char_table().translation
    for cp in range(TABLE_LIMIT):
        value = translation[cp]
        if isinstance(value, str):
            assert value.translate(translation) == value, hex(cp)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("⺅尔好", "你好"), ("⺡可边", "河边"), ("⻈正件", "证件"), ("⺾", "艹")],
)
def test_radical_supplement_forms_are_components(text: str, expected: str) -> None:
    normalized = normalize(text)
    assert normalized.text == expected
    assert normalized.is_evasive(0, len(normalized.text))


def test_emoji_inside_a_latin_word_is_decoration_and_evidence_keeps_it() -> None:
    result = normalize("加Wei🔥Xin，号abc💰123")
    assert result.text == "加weixin号abc123"
    start = result.text.index("weixin")
    assert result.span(start, start + 6) == (1, 8)  # Wei🔥Xin, the emoji included
    assert result.is_evasive(start, start + 6)
    assert not result.is_evasive(0, 1)
    # Between Han characters, or at a word's edge, an emoji may stand for a word.
    assert normalize("微💰信").text == "微钱信"
    assert normalize("ok💰").text == "ok钱"
    assert normalize("a🅥b").text == "avb"  # enclosed letters stay letters


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("💧迷💧药💧", "迷药"),  # the same emoji three times, between single characters
        ("听💧话💧水", "听话水"),  # twice, with a character outside each end
        ("💧️听💧️话💧️水", "听话水"),  # with its variation selector
        ("w🔥x🔥1🔥2", "wx12"),
        ("有🍂空🍂接，散文", "有空接散文"),
        # Once between two characters, or twice at a text's edge, it may be a word.
        ("约🔥炮", "约火焰炮"),
        ("想🌿就🌿/", "想药草就药草"),
        ("🍑和🍑", "桃和桃"),
        ("吃💧喝💰玩", "吃水滴喝钱玩"),  # two different emoji are two words
    ],
)
def test_an_emoji_repeated_between_characters_separates_them(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected
    assert align(raw)[0] == expected


def test_evidence_of_a_word_spelt_between_emoji_keeps_them() -> None:
    result = normalize("有💧迷💧药💧吗")
    assert result.text == "有迷药吗"
    assert result.evidence(1, 3).text == "迷💧药"
    assert result.is_evasive(1, 3)
    assert not result.is_evasive(0, 1)
