"""Evasion-aware text normalisation with an offset map back to the original.

``normalize`` folds width, case, compatibility forms, traditional characters,
look-alikes, radicals, circled and financial digits, split characters and emoji;
deletes separators and invisible characters; and collapses long repeats. Detectors
match on ``Normalized.text`` and report evidence through ``span``/``evidence``, which
index the original text; ``is_evasive`` tells whether a match needed an evasion undone.

The text is computed on a fast C-level path (``pipeline.py``). Offsets come from an
exact path (``alignment.py``) that applies the same stages while tracking positions,
run lazily, on the first call that needs them, because many texts match nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from jingwang.core.normalize.alignment import Alignment, align
from jingwang.core.normalize.pipeline import fold_text
from jingwang.core.types import Evidence

__all__ = ["Normalized", "normalize"]


class Normalized:
    """A normalised text and, per normalised character, the original span it came from.

    Treat instances as immutable; the alignment is a cache filled on first use.
    """

    __slots__ = ("_alignment", "original", "text")

    def __init__(self, original: str, text: str) -> None:
        self.original = original
        self.text = text
        self._alignment: Alignment | None = None

    def __repr__(self) -> str:
        return f"Normalized(original={self.original!r}, text={self.text!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Normalized):
            return NotImplemented
        return self.original == other.original and self.text == other.text

    def __hash__(self) -> int:
        return hash((self.original, self.text))

    @property
    def unchanged(self) -> bool:
        """True when normalisation changed nothing, so offsets are the identity."""
        return self.text == self.original

    def _aligned(self) -> Alignment:
        if self._alignment is None:
            text, alignment = align(self.original)
            if text != self.text:
                raise AssertionError(f"fast and exact normalisation disagree on {self.original!r}")
            self._alignment = alignment
        return self._alignment

    @property
    def starts(self) -> Sequence[int]:
        """Original start offset of each normalised character."""
        if self.unchanged:
            return range(len(self.text))
        return self._aligned().starts

    @property
    def ends(self) -> Sequence[int]:
        """Original end offset of each normalised character."""
        if self.unchanged:
            return range(1, len(self.text) + 1)
        return self._aligned().ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` covering normalised ``text[start:end]``.

        An empty range maps to an empty span where the previous character ends.
        """
        if not 0 <= start <= len(self.text) or not start <= end <= len(self.text):
            raise IndexError(f"span ({start}, {end}) outside text of length {len(self.text)}")
        if self.unchanged:
            return start, end
        alignment = self._aligned()
        if start == end:
            position = alignment.ends[start - 1] if start else 0
            return position, position
        return alignment.starts[start], alignment.ends[end - 1]

    def evidence(self, start: int, end: int, source: str = "text") -> Evidence:
        ostart, oend = self.span(start, end)
        return Evidence(ostart, oend, self.original[ostart:oend], source)

    def is_evasive(self, start: int, end: int) -> bool:
        """Whether normalised ``text[start:end]`` was reachable only by undoing an evasion:
        look-alikes, emoji, radicals, circled digits, recomposed split characters, or
        separators / invisible characters deleted between its characters."""
        if self.unchanged or end <= start:
            return False
        alignment = self._aligned()
        return 1 in alignment.evasive[start:end] or 1 in alignment.gap_before[start + 1 : end]


def normalize(text: str) -> Normalized:
    return Normalized(text, fold_text(text))
