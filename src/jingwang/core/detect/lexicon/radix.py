"""Spell strings over a tiny alphabet so that ``pyahocorasick`` scans stay fast.

pyahocorasick finds a node's child by a linear search over its children. With a
lexicon, the root has hundreds of children (every first character of a term), so every
character of a scanned text that starts no match pays hundreds of comparisons — it was
most of the detector's time. Writing each symbol as two digits in base ``b`` (with
``b * b`` greater than the alphabet) bounds every node's fan-out by ``b`` (about 25).
The two digit positions use disjoint characters, so a key can only match at an even
offset and no match is spurious; offsets divide by two.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Final

DIGITS_PER_SYMBOL: Final = 2
_HIGH_DIGITS: Final = 0x40  # '@' ... DEL: first digit
_LOW_DIGITS: Final = 0xC0  # 'À' ... 'ÿ': second digit; both Latin-1, so strings stay compact
_MAX_BASE: Final = 0x40
_CODE_POINTS: Final = 0x110000


class RadixCode:
    """Two-digit spelling of the symbols of a set of automaton keys.

    Symbols outside the alphabet all become one filler that no key contains.
    """

    def __init__(self, alphabet: Iterable[str]) -> None:
        symbols = sorted(set(alphabet))
        self._rank = {symbol: i + 1 for i, symbol in enumerate(symbols)}  # 0 is the filler
        self.base = math.isqrt(len(symbols)) + 1
        if self.base > _MAX_BASE:
            raise ValueError(f"lexicon alphabet too large ({len(symbols)} symbols)")
        self._spelling = {s: self._digits(rank) for s, rank in self._rank.items()}
        self.filler = self._digits(0)

    def _digits(self, rank: int) -> str:
        high, low = divmod(rank, self.base)
        return chr(_HIGH_DIGITS + high) + chr(_LOW_DIGITS + low)

    def encode(self, key: str) -> str:
        """Spell a key whose symbols are all in the alphabet."""
        return "".join(self._spelling[symbol] for symbol in key)

    def spell(self, symbol: str) -> str:
        """Spell one symbol; the filler when it is outside the alphabet."""
        return self._spelling.get(symbol, self.filler)

    def table(self, coding: Mapping[int, str]) -> tuple[str, ...]:
        """``str.translate`` table for texts: code point ``cp`` is spelled as
        ``coding.get(cp, chr(cp))``, e.g. the code of its syllable.

        A tuple over every code point (about 9 MB) rather than a dict: indexing it is
        about 40 % faster in ``str.translate``, and no code point is left unmapped (an
        unmapped one would be copied as one character and break the alignment).
        """
        spelled = [self.filler] * _CODE_POINTS
        for symbol, spelling in self._spelling.items():
            spelled[ord(symbol)] = spelling
        for cp, symbol in coding.items():
            spelled[cp] = self.spell(symbol)
        return tuple(spelled)
