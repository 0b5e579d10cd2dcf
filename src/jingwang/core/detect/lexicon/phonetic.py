"""Toneless-syllable coding of Chinese text, so homophones and pinyin match one automaton.

Every CJK character is translated to one private-use code point that stands for its
toneless syllable (薇, 威 and 微 all become the code of ``wei``). The coded text has the
same length as the input, so offsets are shared and the scan is one ``str.translate``
plus one C-level automaton pass. Latin runs that spell pinyin (``yuepao``, ``yue pao``)
are segmented into syllables (:func:`pinyin_runs`) so they can be coded the same way.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache
from typing import Final

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

# Supplementary Private Use Area-A: code points that real text practically never has.
_CODE_BASE: Final = 0xF0000
_LONGEST_SYLLABLE: Final = 6  # zhuang, shuang, chuang
_VOWELS: Final = frozenset("aeiouv")


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _readings() -> dict[int, tuple[str, ...]]:
    """Code point -> toneless readings, most common first."""
    toneless = cache(_toneless)
    return {
        cp: tuple(dict.fromkeys(toneless(r) for r in value.split(",")))
        for cp, value in pinyin_dict.items()
    }


@cache
def syllable_codes() -> dict[str, str]:
    """Toneless syllable -> its private-use code point."""
    syllables = sorted({r for readings in _readings().values() for r in readings})
    return {s: chr(_CODE_BASE + i) for i, s in enumerate(syllables)}


@cache
def syllable_table() -> dict[int, str]:
    """``str.translate`` table: CJK character -> code of its most common reading."""
    codes = syllable_codes()
    return {cp: codes[readings[0]] for cp, readings in _readings().items()}


@cache
def _latin_syllables() -> frozenset[str]:
    # Syllables without a vowel (m, n, ng, hm) would let any consonant cluster parse.
    return frozenset(s for s in syllable_codes() if _VOWELS.intersection(s) and s.isascii())


def _term_readings(term: str) -> list[tuple[str, ...]]:
    """Per character of a term: its reading in this word (pypinyin's phrase dictionary)
    and its most common reading, first one first; ``()`` for a non-Chinese character.

    Rare readings are left out on purpose: 能 can be read ``xiong``, and matching that
    reading made 低能 fire on 低胸.
    """
    readings = _readings()
    common = [readings.get(ord(ch), ()) for ch in term]
    in_context: list[str] = [""] * len(term)
    if all(common):  # phrase readings only for all-Chinese terms, where they align
        in_context = lazy_pinyin(term, style=Style.NORMAL)
        if len(in_context) != len(term):
            in_context = [""] * len(term)
    return [
        tuple(dict.fromkeys(r for r in (contextual, *found[:1]) if r))
        for contextual, found in zip(in_context, common, strict=True)
    ]


def term_initials(term: str) -> str | None:
    """Pinyin initials of an all-Chinese term (上门服务 -> smfw); None otherwise."""
    readings = _term_readings(term)
    if not all(readings):
        return None
    return "".join(r[0][0] for r in readings)


# A numeral of a term may be written as its digit (1夜情, 6合彩, 银行卡4件套, 1分快3): the
# digit is one more spelling of the numeral's syllable.
_NUMERAL_DIGITS: Final = dict(zip("零一二三四五六七八九", "0123456789", strict=True))


def coded_forms(term: str) -> list[str]:
    """Syllable-coded spellings of ``term``, one per combination of its readings (a
    heteronym in the term yields several) and of its numerals written as digits.
    Non-Chinese characters are kept as they are."""
    codes = syllable_codes()
    options = [
        (*(codes[r] for r in readings), *_NUMERAL_DIGITS.get(ch, "")) if readings else (ch,)
        for ch, readings in zip(term, _term_readings(term), strict=True)
    ]
    return ["".join(combo) for combo in itertools.product(*options)]


_LATIN_RUN = re.compile(r"[a-z]+(?: [a-z]+)*")
_LATIN_WORD = re.compile(r"[a-z]+")
# A loose shape of pinyin (initial + final, repeated) that rejects most Latin runs
# (URLs, handles, English) in C before the exact segmentation in Python.
_PINYIN_SHAPE = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|uai|iao|ian|uan|van|ai|ei|ao|ou|an|en|er|in|un|vn"
    r"|ia|ie|iu|ua|uo|ui|ue|ve|a|o|e|i|u|v) ?)+"
)
# A short run is pinyin only when it leans on a Chinese character (约pao); alone, two or
# three letters are more often an abbreviation. Very long runs are hashes or URLs.
_MIN_PINYIN_LETTERS: Final = 4
_MIN_PINYIN_LETTERS_BESIDE_CJK: Final = 2
_MAX_PINYIN_LETTERS: Final = 48
# Pinyin spelled out a letter at a time (w.e.i.x.i.n, which normalises to w e i x i n)
# reads as the word its letters spell, under the same length rules as a written run.
# Inside a longer run (a handle follows), a stretch of single letters counts from
# _MIN_PINYIN_LETTERS letters on.
_SPELLED_OUT = re.compile(r"[a-z](?: [a-z])+")
_SPELLED_OUT_STRETCH = re.compile(
    rf"(?<![a-z])[a-z](?: [a-z]){{{_MIN_PINYIN_LETTERS - 1},}}(?![a-z])"
)


def segment_pinyin(run: str) -> list[tuple[int, int, str]] | None:
    """Split a Latin run (letters and single spaces) into pinyin syllables.

    Returns ``(start, end, syllable)`` offsets into ``run``, preferring the fewest
    syllables (``xian`` stays one syllable), or None when the run is not pinyin.
    """
    syllables = _latin_syllables()
    letters = [(i, ch) for i, ch in enumerate(run) if ch != " "]
    word = "".join(ch for _, ch in letters)
    n = len(word)
    unreachable = n + 1
    # fewest[i]: fewest syllables covering word[:i]; last_start[i]: where the last begins.
    fewest = [0] + [unreachable] * n
    last_start = [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(max(0, end - _LONGEST_SYLLABLE), end):
            if fewest[start] + 1 < fewest[end] and word[start:end] in syllables:
                fewest[end] = fewest[start] + 1
                last_start[end] = start
    if fewest[n] == unreachable:
        return None
    pieces: list[tuple[int, int, str]] = []
    end = n
    while end > 0:
        start = last_start[end]
        pieces.append((letters[start][0], letters[end - 1][0] + 1, word[start:end]))
        end = start
    pieces.reverse()
    return pieces


PinyinRun = tuple[int, int, list[tuple[int, int, str]]]


def pinyin_runs(text: str) -> list[PinyinRun]:
    """The Latin runs of ``text`` that spell pinyin: ``(start, end, syllables)`` with
    each syllable as ``(start, end, syllable)``, all offsets into ``text``.

    A run of words that is not pinyin as a whole (``yue pao tong cheng jia wei xin
    abc``: a handle follows) yields its stretches of words that each are."""
    runs: list[PinyinRun] = []
    for run in _LATIN_RUN.finditer(text):
        found = _pinyin_run(text, run.start(), run.group())
        if found is not None:
            runs.append(found)
        elif " " in run.group():
            runs.extend(_pinyin_stretches(text, run.start(), run.group()))
    return runs


def _pinyin_run(text: str, start: int, run_text: str) -> PinyinRun | None:
    end = start + len(run_text)
    if not _plausible_pinyin_run(text, start, end, run_text):
        return None
    segments = segment_pinyin(run_text)
    if segments is None:
        return None
    return start, end, [(start + s, start + e, syllable) for s, e, syllable in segments]


def _pinyin_stretches(text: str, base: int, run_text: str) -> list[PinyinRun]:
    """The longest stretches of consecutive words of ``run_text`` (at ``base`` in
    ``text``) that each spell pinyin, as runs."""
    spelled = [m.span() for m in _SPELLED_OUT_STRETCH.finditer(run_text)]
    stretches: list[tuple[int, int]] = []
    for word in _LATIN_WORD.finditer(run_text):
        if any(start <= word.start() < end for start, end in spelled):
            continue
        if _PINYIN_SHAPE.fullmatch(word.group()) and segment_pinyin(word.group()) is not None:
            if stretches and stretches[-1][1] == word.start() - 1:
                stretches[-1] = (stretches[-1][0], word.end())
            else:
                stretches.append(word.span())
    stretches = sorted(stretches + spelled)
    runs = (_pinyin_run(text, base + start, run_text[start:end]) for start, end in stretches)
    return [run for run in runs if run is not None]


def _plausible_pinyin_run(text: str, start: int, end: int, run_text: str) -> bool:
    letters = len(run_text) - run_text.count(" ")
    shape = run_text.replace(" ", "") if _SPELLED_OUT.fullmatch(run_text) else run_text
    if letters > _MAX_PINYIN_LETTERS or not _PINYIN_SHAPE.fullmatch(shape):
        return False
    if letters >= _MIN_PINYIN_LETTERS:
        return True
    table = syllable_table()
    beside_cjk = (start > 0 and ord(text[start - 1]) in table) or (
        end < len(text) and ord(text[end]) in table
    )
    return beside_cjk and letters >= _MIN_PINYIN_LETTERS_BESIDE_CJK
