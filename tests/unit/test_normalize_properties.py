"""Properties of ``normalize`` over arbitrary and Chinese-heavy text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jingwang.core.normalize import Normalized, normalize
from jingwang.core.normalize.alignment import align

_CHINESE_HEAVY = st.text(
    alphabet=st.sampled_from(
        list("微信加我约炮赌博女昌弓长氵聂讠舌木子口乞伍陆柒拾壹貳發財哈大陆")
        + list("aVx19０Ａ①⑩ν𝐀⼥ ")
        + ["\u200b", "\u200d", "\ufe0f", "\u0301", ".", "，", "💊", "🐔", "😂", "🇻"]
    ),
    max_size=40,
)


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


@given(st.text(alphabet=st.characters(min_codepoint=0x2E80, max_codepoint=0x2FFFF)))
def test_cjk_planes(raw: str) -> None:
    result = normalize(raw)
    assert normalize(result.text).text == result.text
    _check(result)
