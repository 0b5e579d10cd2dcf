"""Properties of ``normalize`` over arbitrary and Chinese-heavy text."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jingwang.core.normalize import Normalized, normalize
from jingwang.core.normalize.alignment import align
from jingwang.core.normalize.emoji_words import blank_separating_emoji
from jingwang.core.normalize.pipeline import rewrite_once
from jingwang.core.normalize.separators import drop_separators
from jingwang.core.normalize.tables import BEYOND_TABLE_DELETIONS, char_table

_CHINESE_HEAVY = st.text(
    alphabet=st.sampled_from(
        list("微信加我约炮赌博女昌弓长氵聂讠舌木子口乞伍陆柒拾壹貳發財哈大陆")
        + list("aVx19０Ａ①⑩ν𝐀⼥ ")
        + ["\u200b", "\u200d", "\ufe0f", "\u0301", ".", "，", "💊", "🐔", "😂", "🇻"]
    ),
    max_size=40,
)


# What the shortcuts in ``fastpath.py`` and the gates in ``pipeline.py`` must reproduce.
_SHORTCUT_HEAVY = st.text(
    alphabet=st.sampled_from(
        list("微信加我女昌弓长氵聂木子口伍陆拾壹發財哈大")
        + list("aVx19ABZ０Ａ①ν𝐀⼥ ")
        + list("，。？！.,:/-…（）【】、\n\t\xa0\u3000")
        + ["\u200b", "\ufe0f", "\u0301", "\ue000", "💊", "🐶", "😂", "🤔", "🇻", "𠀀", "\U000e0041"]
        + ["\x00", "\U0001d300"]  # a control and an astral symbol, both separators
    ),
    max_size=30,
)


@pytest.fixture(scope="module", autouse=True)
def _tables_built() -> None:
    """Build the normaliser's tables (a second or two) before Hypothesis times examples."""
    normalize("預熱 ①").span(0, 1)


def _unshortened(raw: str) -> str:
    text = blank_separating_emoji(raw)
    text = drop_separators(BEYOND_TABLE_DELETIONS.sub("", text).translate(char_table().translation))
    while (rewritten := rewrite_once(text)) != text:
        text = rewritten
    return text


def _check(result: Normalized) -> None:
    original = result.original
    previous = (0, 0)
    for i in range(len(result.text)):
        start, end = result.span(i, i + 1)
        assert 0 <= start < end <= len(original)
        assert start >= previous[0] and end >= previous[1]
        previous = (start, end)
    for a in range(len(result.text)):
        for b in range(a + 1, min(len(result.text), a + 4) + 1):
            evidence = result.evidence(a, b)
            assert original[evidence.start : evidence.end] == evidence.text
            result.is_evasive(a, b)


@settings(max_examples=300)
@given(st.text())
def test_any_text(raw: str) -> None:
    result = normalize(raw)
    assert normalize(result.text).text == result.text
    assert align(raw)[0] == result.text
    _check(result)


@settings(max_examples=500)
@given(_CHINESE_HEAVY)
def test_chinese_heavy_text(raw: str) -> None:
    result = normalize(raw)
    assert normalize(result.text).text == result.text
    assert align(raw)[0] == result.text
    _check(result)


# Emoji next to and inside Latin-script words (stage 0) and between Han characters.
_EMOJI_IN_WORDS = st.text(
    alphabet=st.sampled_from(
        [*"WeiXinab12Ｗｘ９微信加 ，", *"🔥💰🌹😂❤🏻🅥❶⃣", "\ufe0f", "\u200d", "\u200b"]
    ),
    max_size=30,
)


@settings(max_examples=500)
@given(_EMOJI_IN_WORDS)
def test_emoji_in_and_around_words(raw: str) -> None:
    result = normalize(raw)
    assert normalize(result.text).text == result.text
    assert align(raw)[0] == result.text == _unshortened(raw)
    _check(result)


@given(st.text(alphabet=st.characters(min_codepoint=0x2E80, max_codepoint=0x2FFFF)))
def test_cjk_planes(raw: str) -> None:
    result = normalize(raw)
    assert normalize(result.text).text == result.text
    _check(result)


@settings(max_examples=1000)
@given(_SHORTCUT_HEAVY)
@example("\U0001d3000\x00\U0001d3000")  # found by atheris: a run of BMP and astral separators
def test_shortcuts_equal_the_plain_pipeline(raw: str) -> None:
    assert normalize(raw).text == _unshortened(raw)


@settings(max_examples=300)
@given(st.text())
def test_shortcuts_equal_the_plain_pipeline_on_any_text(raw: str) -> None:
    assert normalize(raw).text == _unshortened(raw)
