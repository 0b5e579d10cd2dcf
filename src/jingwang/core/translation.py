"""``str.translate`` tables indexed by code point, for the folds detectors and the
classifier apply to every text.

``str.translate`` looks each character of a text up in its table. In a dict, a character
that is not a key — nearly every character of Chinese text, for a folding table — raises
and clears a ``KeyError`` inside CPython, which costs more than the lookup itself: the
same table as a tuple indexed by code point translated 100-character ChineseHarm texts
in 2.6 µs instead of 6.4 µs (measured in one process). A code point past the tuple's end
raises ``IndexError``, which ``str.translate`` also treats as "keep the character", so a
table whose keys all lie below its length needs nothing more. The normaliser's character
table (``normalize/tables.py``) and the lexicon's radix table are laid out the same way
for the same reason; this module is the one helper for the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache

BMP = 0x10000
# Planes 0 and 1: every Han character of the BMP, and the emoji of plane 1 that spam
# sprinkles into texts. Planes 2–16 are rare enough to take the slower path.
PLANES_0_AND_1 = 0x20000
# Planes 0–2, for tables with keys among the rarer Han characters of plane 2.
PLANES_0_TO_2 = 0x30000

Value = int | str | None
Table = tuple[Value, ...]


@cache
def _identity(limit: int) -> tuple[int, ...]:
    # One set of int objects shared by every table of this length.
    return tuple(range(limit))


def code_point_table(mapping: Mapping[int, Value], limit: int = BMP) -> Table:
    """``mapping`` (code point → replacement, as ``str.translate`` takes it) as a tuple
    over the code points below ``limit``; every other code point maps to itself."""
    beyond = [code for code in mapping if not 0 <= code < limit]
    if beyond:
        raise ValueError(f"code point {beyond[0]:#x} is outside the table (limit {limit:#x})")
    table: list[Value] = list(_identity(limit))
    for code, value in mapping.items():
        table[code] = value
    return tuple(table)


_MEMO_LIMIT = 1 << 16


class _Memo(dict[int, Value]):
    """A ``str.translate`` mapping filled on first sight of each code point by ``fold``;
    the cap bounds memory on input that walks through all of Unicode (past it, a code
    point is folded on every sight)."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        super().__init__()
        self._fold = fold

    def __missing__(self, code: int) -> str:
        out = self._fold(chr(code))
        if len(self) < _MEMO_LIMIT:
            self[code] = out
        return out


class FoldTranslator:
    """Translates a text character by character through ``fold`` (one character in, a
    string out). The code points below ``limit`` are folded once, into a tuple; a text
    holding any code point at or above it is translated through a memo of ``fold``
    instead, so every character gets ``fold``'s answer either way."""

    def __init__(self, fold: Callable[[str], str], limit: int = PLANES_0_AND_1) -> None:
        self._table: Table = tuple(map(fold, map(chr, range(limit))))
        self._beyond = re.compile(f"[{re.escape(chr(limit))}-\U0010ffff]")
        self._memo = _Memo(fold)

    def __call__(self, text: str) -> str:
        if self._beyond.search(text) is None:
            return text.translate(self._table)
        return text.translate(self._memo)
