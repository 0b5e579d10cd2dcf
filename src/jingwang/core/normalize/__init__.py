"""Evasion-aware text normalisation with an offset map back to the original.

Interim identity-ish implementation; the full normaliser replaces it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from jingwang.core.types import Evidence


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and, per normalised character, the original span it came from."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` covering normalised ``text[start:end]`` (``end > start``)."""
        return self.starts[start], self.ends[end - 1]

    def evidence(self, start: int, end: int, source: str = "text") -> Evidence:
        ostart, oend = self.span(start, end)
        return Evidence(ostart, oend, self.original[ostart:oend], source)

    def is_evasive(self, start: int, end: int) -> bool:
        ostart, oend = self.span(start, end)
        return (oend - ostart) != (end - start)


def normalize(text: str) -> Normalized:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        out = unicodedata.normalize("NFKC", ch).lower()
        for c in out:
            chars.append(c)
            starts.append(i)
            ends.append(i + 1)
    return Normalized(text, "".join(chars), tuple(starts), tuple(ends))
