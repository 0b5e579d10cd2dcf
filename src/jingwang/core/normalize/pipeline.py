"""The fast path: normalised text only, with C-level string operations throughout.

Order of the stages (the exact path in ``alignment.py`` follows the same order):

0. separating emoji — inside a Latin-script word (Wei🔥Xin), or the same one between
   single characters (听💧话💧水) — blanked to zero-width spaces, one for one, so
   positions stay (``emoji_words.py``);
1. character table (``str.translate``) — plane-14 invisibles first;
2. separators (``separators.py``);
3. rare rewrites, repeated until nothing changes: split-character recomposition,
   ambiguous financial numerals, collapsed repeats. Repeating to a fixed point is what
   makes ``normalize`` idempotent: one rewrite can enable another (阝击 → 陆 next to a
   numeral → 六).

Most texts take a shortcut through stages 1–2 (``fastpath.py``: ``str.replace`` per
distinct changed character instead of ``str.translate`` per character). Stage 3 runs
only where a gate finds a place where some rewrite could apply: a run of three
repeated characters, or a split-character pair or numeral next to a numeral (looked
for only in texts holding a character that can start one).
"""

from __future__ import annotations

import re
from functools import cache

from jingwang.core.normalize.emoji_words import blank_separating_emoji
from jingwang.core.normalize.fastpath import fold_common
from jingwang.core.normalize.numerals import (
    NUMERAL_GATE,
    NUMERAL_GATE_FIRST_CHARS,
    convert_numerals,
)
from jingwang.core.normalize.repeats import REPEAT_GATE, collapse_repeats
from jingwang.core.normalize.separators import drop_separators
from jingwang.core.normalize.split import recompose, split_rules
from jingwang.core.normalize.tables import BEYOND_TABLE_DELETIONS, char_table


def rewrite_once(text: str) -> str:
    return collapse_repeats(convert_numerals(recompose(text)))


@cache
def _pair_gate() -> re.Pattern[str]:
    """Matches wherever ``recompose`` or ``convert_numerals`` could change the text.

    It starts with a character class so that ``re`` skips ahead in a tight C loop to
    the few candidate characters; the lookarounds then check the character just
    consumed and its neighbours.
    """
    rules = split_rules()
    first = "".join(sorted(rules.gate_first_chars | NUMERAL_GATE_FIRST_CHARS))
    return re.compile(f"[{re.escape(first)}](?:{rules.gate}|{NUMERAL_GATE})")


_REPEAT_GATE = re.compile(REPEAT_GATE, re.DOTALL)


def _has_run_to_collapse(folded: str) -> bool:
    """Whether ``collapse_repeats`` would change ``folded``. ``(.)\\1\\1`` alone also
    finds runs of ASCII letters and digits (10000, www), which are left alone;
    skipping those here keeps such texts off the slow rewrite."""
    found = _REPEAT_GATE.search(folded)
    while found is not None:
        char = found.group(1)
        if not (char.isascii() and char.isalnum()):
            return True
        found = _REPEAT_GATE.search(folded, found.end())
    return False


def apply_char_table(text: str) -> str:
    """Stage 1: every character through the table (plane-14 invisibles deleted first)."""
    if BEYOND_TABLE_DELETIONS.search(text):
        text = BEYOND_TABLE_DELETIONS.sub("", text)
    return text.translate(char_table().translation)


def _fold_with_table(text: str) -> str:
    return drop_separators(apply_char_table(text))


def fold_text(text: str) -> str:
    text = blank_separating_emoji(text)
    common = fold_common(text)
    if common is None:
        folded, may_pair = _fold_with_table(text), True
    else:
        folded, may_pair = common
    # Stage 3, gated: each gate is a superset of where its rewrites apply, so when
    # neither matches, ``rewrite_once`` would return the text unchanged. Two searches,
    # not one with two branches: a pattern that does not start with a character class
    # is tried at every position, which costs several times more.
    runs = _REPEAT_GATE.search(folded) is not None and _has_run_to_collapse(folded)
    pairs = may_pair and _pair_gate().search(folded) is not None
    while runs or pairs:
        # Without pairs, recomposition and numerals would change nothing.
        rewritten = rewrite_once(folded) if pairs else collapse_repeats(folded)
        if rewritten == folded:
            break
        folded = rewritten
        runs = _has_run_to_collapse(folded)
        pairs = _pair_gate().search(folded) is not None
    return folded
