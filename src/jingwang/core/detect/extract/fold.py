"""Length-preserving character folding and the text passes detectors scan.

The shared normaliser deletes separators and rewrites characters, which is right for
lexicon matching but loses the structure that handles, URLs and keyword runs are made
of (spaces inside ids, ``|`` between stuffed titles). Detectors therefore scan a
lightly folded copy of the original first — one ``str.translate`` with a table whose
every value is a single character, so offsets need no map — and, for evasions only the
full normaliser undoes (look-alikes, traditional forms), its output as a second pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from jingwang.core.detect.base import TextView
from jingwang.core.translation import Table, code_point_table

SpanMap = Callable[[int, int], tuple[int, int]]


def _width_and_case() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code + 32)
        table[code + 0xFEE0] = chr(code + 32)
    return table


_WIDTH_AND_CASE: Mapping[int, str] = _width_and_case()
# Tables indexed by code point (jingwang.core.translation): folding is one C-level
# ``str.translate`` per text pass, several passes per item.
BASE_FOLD: Table = code_point_table(_WIDTH_AND_CASE)


def fold_table(extra: Mapping[str, str]) -> Table:
    """``BASE_FOLD`` extended by ``extra``; every replacement must be one character."""
    table = dict(_WIDTH_AND_CASE)
    for source, target in extra.items():
        if len(source) != 1 or len(target) != 1:
            raise ValueError(f"fold entries must map one character to one: {source!r}")
        table[ord(source)] = target
    return code_point_table(table)


def _identity(start: int, end: int) -> tuple[int, int]:
    return start, end


@dataclass(frozen=True, slots=True)
class TextPass:
    """A text to scan and how its spans map back to the view's original text.

    ``unfolded`` is the same text before folding (same length), for case-sensitive
    parts such as a share link's path. ``via_normalizer`` is true for the pass over the
    shared normaliser's output: a match found only there needed an evasion-undoing step.
    """

    text: str
    unfolded: str
    to_original: SpanMap
    via_normalizer: bool


def text_passes(view: TextView, table: Table) -> list[TextPass]:
    """The folded original, then the folded normaliser output when it says more.

    Mapping a span of the second pass makes the normaliser compute its offset map, the
    slow part of normalising; callers skip second-pass matches they already have.
    """
    folded = view.original.translate(table)
    passes = [TextPass(folded, view.original, _identity, False)]
    normalized = view.normalized
    if normalized.text:
        renormalized = normalized.text.translate(table)
        if renormalized != folded:
            passes.append(TextPass(renormalized, normalized.text, normalized.span, True))
    return passes
