"""The fast path: normalised text only, with C-level string operations throughout.

Order of the stages (the exact path in ``alignment.py`` follows the same order):

1. character table (``str.translate``) — plane-14 invisibles first;
2. separators (``separators.py``);
3. rare rewrites, repeated until nothing changes: split-character recomposition,
   ambiguous financial numerals, collapsed repeats. Each starts with a regex gate, so
   ordinary text pays for three scans and no Python-level loop. Repeating to a fixed
   point is what makes ``normalize`` idempotent: one rewrite can enable another
   (阝击 → 陆 next to a numeral → 六).
"""

from __future__ import annotations

from jingwang.core.normalize.numerals import convert_numerals
from jingwang.core.normalize.repeats import collapse_repeats
from jingwang.core.normalize.separators import drop_separators
from jingwang.core.normalize.split import recompose
from jingwang.core.normalize.tables import BEYOND_TABLE_DELETIONS, char_table


def rewrite_once(text: str) -> str:
    return collapse_repeats(convert_numerals(recompose(text)))


def fold_text(text: str) -> str:
    if BEYOND_TABLE_DELETIONS.search(text):
        text = BEYOND_TABLE_DELETIONS.sub("", text)
    folded = drop_separators(text.translate(char_table().translation))
    while True:
        rewritten = rewrite_once(folded)
        if rewritten == folded:
            return folded
        folded = rewritten
