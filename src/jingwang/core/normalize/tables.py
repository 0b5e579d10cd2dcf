"""The per-character table: every 1→0, 1→1 and 1→n rewrite in one ``str.translate``.

Folding character by character covers width, case, compatibility forms (NFKC),
traditional → simplified, look-alikes, radicals, circled digits, emoji words,
separators and invisible characters. Doing it with one C-level ``str.translate`` keeps
normalisation in the same cost class as the keyword scan that follows it.

The table is a *list* indexed by code point rather than a dict: ``str.translate`` looks
every character up, and a dict miss raises and clears a ``KeyError`` inside CPython,
which made a dict table about four times slower on Chinese text. Code points from
``TABLE_LIMIT`` up (planes 3–16) are almost never used; they miss the list, which
``str.translate`` treats as "keep", except plane 14's tags and variation selectors,
which ``beyond_table`` deletes.

Separators (punctuation, symbols, whitespace, controls) become a single ASCII space
here; ``separators.py`` then decides which spaces survive.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import opencc

from jingwang.core.normalize.emoji_words import load_emoji_words
from jingwang.core.normalize.lookalikes import load_lookalikes
from jingwang.core.normalize.radicals import RADICAL_COMPONENTS

TABLE_LIMIT = 0x30000
SEPARATOR = " "

# Plane 14 holds tag characters and the variation selector supplement: invisible, and
# usable to pad words apart. Everything else above TABLE_LIMIT is kept as it is.
PLANE_14 = range(0xE0000, 0xE1000)
BEYOND_TABLE_DELETIONS = re.compile("[\U000e0000-\U000e0fff]")

# Financial numerals used only as numbers; 肆伍陆拾 also occur in ordinary words
# (放肆, 队伍, 大陆, 收拾) and are handled in context by ``numerals.py``.
_FINANCIAL_NUMERALS = {
    "壹": "一",
    "贰": "二",
    "叁": "三",
    "柒": "七",
    "捌": "八",
    "玖": "九",
    "佰": "百",
    "仟": "千",
}

_CJK_IDEOGRAPH_RANGES = (
    range(0x3400, 0x4DC0),
    range(0x4E00, 0xA000),
    range(0x20000, TABLE_LIMIT),
)
_CJK_COMPATIBILITY_IDEOGRAPHS = (range(0xF900, 0xFB00), range(0x2F800, 0x2FA20))
_ENCLOSED_LETTER_NAME = re.compile(
    r"(?:LATIN CAPITAL LETTER|REGIONAL INDICATOR SYMBOL LETTER) ([A-Z])$"
)
_MAX_CLOSURE_ROUNDS = 8


@dataclass(frozen=True, slots=True)
class CharTable:
    """``translation`` feeds ``str.translate``; ``evasive[cp]`` is 1 when folding code
    point ``cp`` undoes an evasion (look-alike, radical, emoji, circled digit,
    invisible character) rather than an ordinary way of typing (width, case, 繁体)."""

    translation: list[int | str]
    evasive: bytes

    def fold(self, char: str) -> str:
        cp = ord(char)
        if cp < TABLE_LIMIT:
            value = self.translation[cp]
            return value if isinstance(value, str) else char
        return "" if cp in PLANE_14 else char

    def is_evasive(self, char: str) -> bool:
        cp = ord(char)
        return bool(self.evasive[cp]) if cp < TABLE_LIMIT else cp in PLANE_14


@cache
def traditional_to_simplified() -> dict[str, str]:
    """Ask OpenCC once for every CJK ideograph's simplified form, keeping 1→1 answers.

    ``OpenCC.convert`` costs about 11 µs per short text, more than the whole rest of
    normalisation, and it converts phrase by phrase. A per-character table loses the
    few phrase-level choices (乾隆 vs 干燥) but runs inside ``str.translate``. One
    newline-separated batch keeps every character its own phrase.
    """
    chars = [chr(cp) for block in _CJK_IDEOGRAPH_RANGES for cp in block]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        raise RuntimeError("OpenCC merged characters across line breaks")
    return {
        char: simple
        for char, simple in zip(chars, converted, strict=True)
        if len(simple) == 1 and simple != char
    }


def _compatibility_is_evasive(char: str) -> bool:
    decomposition = unicodedata.decomposition(char)
    if decomposition.startswith(("<wide>", "<narrow>")):
        return False  # full-width and half-width forms are how people type
    if not decomposition.startswith("<"):
        cp = ord(char)  # canonical singletons: only the CJK compatibility ideographs
        return any(cp in block for block in _CJK_COMPATIBILITY_IDEOGRAPHS)  # are variants
    return True  # circled, parenthesised, font, super/subscript, Kangxi radicals …


def _integer_value(char: str) -> int | None:
    value = unicodedata.numeric(char, None)
    if value is None or value != int(value) or not 0 <= value < 100:
        return None
    return int(value)


def _strip_diacritics(char: str) -> str | None:
    base = "".join(c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) != "Mn")
    return base if base.isascii() and base.isalpha() else None


def _without_enclosing_punctuation(expansion: str) -> str:
    """⑴ → (1) → 1 and ⒈ → 1. → 1: the brackets and dots are part of the glyph, not
    separators the writer typed, so they must not split 1⑵3 into "1 2 3"."""
    if not any(c.isalnum() for c in expansion):
        return expansion
    return "".join(c for c in expansion if unicodedata.category(c)[0] not in "PZ")


class _Folder:
    """One folding step for one character: ``(replacement, evasive)``."""

    def __init__(self) -> None:
        self.lookalikes = load_lookalikes()
        self.emoji_words = load_emoji_words()
        self.simplified = traditional_to_simplified()

    def step(self, char: str) -> tuple[str, bool]:
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf"):
            return "", True  # zero-width, joiners, variation selectors, combining marks
        word = self.emoji_words.get(char)
        if word is not None:
            return word, True
        component = RADICAL_COMPONENTS.get(char)
        if component is not None:
            return component, True
        compatible = unicodedata.normalize("NFKC", char)
        if compatible != char:
            return _without_enclosing_punctuation(compatible), _compatibility_is_evasive(char)
        if category[0] in "PSZ" or category == "Cc":
            letter = _ENCLOSED_LETTER_NAME.search(unicodedata.name(char, ""))
            if letter and category == "So":
                return letter.group(1).lower(), True  # 🅥 🇽 …
            return SEPARATOR, False
        if category in ("Nd", "No") and not char.isascii():
            number = _integer_value(char)
            if number is not None:
                return str(number), True  # ❶ ➀ ٣ …
        lookalike = self.lookalikes.get(char)
        if lookalike is not None:
            return lookalike, True
        lowered = char.lower()
        if lowered != char:
            return lowered, False
        if category[0] == "L" and not char.isascii():
            stripped = _strip_diacritics(char)
            if stripped is not None:
                return stripped, False  # pinyin tone marks, accented Latin
        simple = self.simplified.get(char)
        if simple is not None:
            return simple, False
        numeral = _FINANCIAL_NUMERALS.get(char)
        if numeral is not None:
            return numeral, True
        return char, False


@cache
def char_table() -> CharTable:
    """Build the table once (about a second), then share it."""
    folder = _Folder()
    steps: dict[str, tuple[str, bool]] = {}
    for cp in range(TABLE_LIMIT):
        char = chr(cp)
        step = folder.step(char)
        if step[0] != char:
            steps[char] = step

    def fold_once(text: str) -> tuple[str, bool]:
        parts = [steps.get(c, (c, False)) for c in text]
        return "".join(p[0] for p in parts), any(p[1] for p in parts)

    def fold_to_fixed_point(value: str, evasive: bool) -> tuple[str, bool]:
        # Fold the replacement again until it is stable, so that the table is
        # idempotent: ㈱ → (株) → 株, 貳 → 贰 → 二.
        for _ in range(_MAX_CLOSURE_ROUNDS):
            again, again_evasive = fold_once(value)
            if again == value:
                break
            value, evasive = again, evasive or again_evasive
        return value, evasive

    translation: list[int | str] = list(range(TABLE_LIMIT))
    evasive_flags = bytearray(TABLE_LIMIT)
    for char, (first_value, first_evasive) in steps.items():
        value, evasive = fold_to_fixed_point(first_value, first_evasive)
        translation[ord(char)] = value
        evasive_flags[ord(char)] = evasive
    return CharTable(translation, bytes(evasive_flags))
