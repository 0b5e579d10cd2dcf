"""Feature extraction shared by training and inference.

The char analyser reproduces scikit-learn's ``TfidfVectorizer(analyzer="char")`` exactly
(runs of two or more whitespace characters become one space, then every n-gram of every
length in the range). The pinyin analyser turns each Han character into its toneless
syllable (from a table stored in the artifact), keeps runs of other letters/digits as
one token, marks every other character as ``|`` and emits token n-grams joined by a
space; it makes homophone evasions (富叶 for 副业, 艾 for 爱) share features.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from functools import lru_cache

_WHITESPACE_RUNS = re.compile(r"\s\s+")
SEPARATOR_TOKEN = "|"


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def char_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """Character n-grams exactly as scikit-learn's ``char`` analyser produces them."""
    text = _WHITESPACE_RUNS.sub(" ", text)
    length = len(text)
    grams: list[str] = []
    for n in range(min_n, min(max_n, length) + 1):
        grams.extend([text[i : i + n] for i in range(length - n + 1)])
    return grams


def surface_form(original: str) -> str:
    """The lightly normalised text (NFKC, lower case) that ``surface`` blocks read.

    Unlike the evasion-aware normaliser it keeps punctuation, spacing, emoji and repeats,
    which carry style (spam layouts, emoji-laden ads) that the normal form drops.
    """
    return unicodedata.normalize("NFKC", original).lower()


def surface_offsets(original: str) -> tuple[str, list[int]]:
    """The surface form and, per surface character, the index of its original character.

    Used to map surface n-grams back to the original text for evidence.
    """
    surface = surface_form(original)
    if len(surface) == len(original):
        return surface, list(range(len(original)))
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(original):
        folded = unicodedata.normalize("NFKC", ch).lower()
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


_MAX_SYLLABLE = 6
_MAX_RUN = 40


@lru_cache(maxsize=4096)
def _segment_cached(run: str, syllables: frozenset[str]) -> tuple[str, ...] | None:
    # Fewest syllables covering the run exactly (dynamic programming), None if impossible.
    n = len(run)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for i in range(n):
        prev = best[i]
        if prev is None:
            continue
        for j in range(min(n, i + _MAX_SYLLABLE), i, -1):
            piece = run[i:j]
            if piece in syllables:
                cand = (*prev, piece)
                cur = best[j]
                if cur is None or len(cand) < len(cur):
                    best[j] = cand
    return best[n]


def segment_pinyin(run: str, syllables: frozenset[str]) -> list[str]:
    """Split a run of latin letters into pinyin syllables (``jianzhi`` → ``jian zhi``).

    Runs that are not a sequence of syllables (``vx``, ``qq``, English words that do not
    split) stay one token.
    """
    if not syllables or not run.isascii() or not run.isalpha() or len(run) > _MAX_RUN:
        return [run]
    parts = _segment_cached(run, syllables)
    return list(parts) if parts else [run]


def pinyin_tokens(
    text: str, table: Mapping[str, str], syllables: Collection[str] = frozenset()
) -> list[str]:
    """One token per Han character (its syllable), per letter/digit run, per other character.

    With ``syllables``, latin-letter runs that spell pinyin are split into syllables, so
    ``jianzhi`` and 兼职 give the same tokens.
    """
    syl = syllables if isinstance(syllables, frozenset) else frozenset(syllables)
    tokens: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            tokens.extend(segment_pinyin("".join(buf), syl))
            buf.clear()

    for ch in text:
        if _is_han(ch):
            flush()
            tokens.append(table.get(ch, ch))
        elif ch.isalnum():
            buf.append(ch)
        else:
            flush()
            tokens.append(SEPARATOR_TOKEN)
    flush()
    return tokens


def pinyin_ngrams(
    text: str,
    table: Mapping[str, str],
    min_n: int,
    max_n: int,
    syllables: Collection[str] = frozenset(),
) -> list[str]:
    """Token n-grams (joined by one space) of :func:`pinyin_tokens`."""
    tokens = pinyin_tokens(text, table, syllables)
    length = len(tokens)
    grams: list[str] = []
    for n in range(min_n, min(max_n, length) + 1):
        if n == 1:
            grams.extend(tokens)
        else:
            grams.extend([" ".join(tokens[i : i + n]) for i in range(length - n + 1)])
    return grams
