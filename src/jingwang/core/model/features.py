"""Feature extraction shared by training and inference.

The char analyser reproduces scikit-learn's ``TfidfVectorizer(analyzer="char")`` exactly
(runs of two or more whitespace characters become one space, then every n-gram of every
length in the range). The pinyin analyser turns each Han character into its toneless
syllable (from a table stored in the artifact), keeps runs of other letters/digits as
one token, marks every other character as ``|`` and emits token n-grams joined by a
space; it makes homophone evasions (富叶 for 副业, 艾 for 爱) share features. The initials
analyser writes each Han character, and each pinyin syllable spelled in letters, as its
first letter, keeps other ASCII letters and digits (any other character becomes a space),
then takes character n-grams: 加微信, 加wx, jiaweixin and jwx all read ``jwx``, so words
cut down to their pinyin initials keep their features.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cache, lru_cache
from itertools import pairwise
from typing import NamedTuple

from jingwang.core.normalize.emoji_words import EMOJI_INSIDE_LATIN_WORD
from jingwang.core.normalize.scripts import HAN_CLASS, is_han
from jingwang.core.normalize.tables import traditional_to_simplified
from jingwang.core.translation import PLANES_0_TO_2, FoldTranslator, Table, code_point_table

WHITESPACE_RUNS = re.compile(r"\s\s+")
SEPARATOR_TOKEN = "|"


def char_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """Character n-grams exactly as scikit-learn's ``char`` analyser produces them."""
    text = WHITESPACE_RUNS.sub(" ", text)
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


@cache
def _simplified_translation() -> Table:
    mapping = {ord(t): s for t, s in traditional_to_simplified().items()}
    return code_point_table(mapping, PLANES_0_TO_2)


def simplify_script(surface: str) -> str:
    """Traditional characters written simplified, one character for one (OpenCC's table),
    so lengths and positions stay as they are. Applied to :func:`surface_form` it gives the
    ``simplified`` view: 繁體 spam reads like its simplified twin while punctuation,
    spacing and emoji keep their style."""
    return surface.translate(_simplified_translation())


# Clause punctuation as the surface form writes it (NFKC folds ，！？ to ASCII, … to ...).
_PUNCTUATION = re.escape(",.!?;:~。、·・")
_SPACE_BETWEEN_HAN = re.compile(f"(?<=[{HAN_CLASS}])\\s+(?=[{HAN_CLASS}])")
_INNER_SPACE = re.compile(r"(?<=\S)\s+(?=\S)")
_BETWEEN_HAN = re.compile(f"(?<=[{HAN_CLASS}])[\\s{_PUNCTUATION}]+(?=[{HAN_CLASS}])")
# Punctuation, with any whitespace around it, between two Han characters.
_PUNCTUATION_BETWEEN_HAN = re.compile(
    f"(?<=[{HAN_CLASS}])\\s*[{_PUNCTUATION}][\\s{_PUNCTUATION}]*(?=[{HAN_CLASS}])"
)
_HAN = re.compile(f"[{HAN_CLASS}]")
_ANY_SPACE = re.compile(r"\s")
# A text with whitespace in at least this share of the gaps between its visible
# characters is written spaced out (加 我 v 1 8 4, one character per line): ordinary
# Latin-script prose has one gap in five or six.
_SPACED_OUT_SHARE = 0.5
_SPACED_OUT_MIN_CHARS = 4
# A text with punctuation in at least this share of the gaps between its Han characters
# is punctuated out (加，我。微、信). Measured on the training files (ChineseHarm, COLD,
# chat): a median text has punctuation in 6 % of those gaps, 1 in 100 texts in 20 %,
# 3 in 1,000 in 25 % or more; punctuation inserted after 30 % of the characters puts
# three in four texts past 25 %.
_PUNCTUATED_OUT_SHARE = 0.25
_PUNCTUATED_OUT_MIN_HAN = 6


def _spaced_out(text: str) -> bool:
    runs = _INNER_SPACE.findall(text)
    if not runs:
        return False
    visible = len(text.strip()) - sum(map(len, runs))
    return visible >= _SPACED_OUT_MIN_CHARS and len(runs) >= _SPACED_OUT_SHARE * (visible - 1)


def _punctuated_out(text: str) -> bool:
    gaps = len(_PUNCTUATION_BETWEEN_HAN.findall(text))
    if not gaps:
        return False
    han = len(text) - len(_HAN.sub("", text))
    return han >= _PUNCTUATED_OUT_MIN_HAN and gaps >= _PUNCTUATED_OUT_SHARE * (han - 1)


def _compaction(text: str) -> re.Pattern[str] | None:
    """The runs :func:`compact_spacing` deletes from ``text``; None when it keeps it whole."""
    emoji = EMOJI_INSIDE_LATIN_WORD.search(text) is not None
    if (
        not emoji
        and _ANY_SPACE.search(text) is None
        and _PUNCTUATION_BETWEEN_HAN.search(text) is None
    ):
        return None  # most short texts: nothing to look at
    runs = [_INNER_SPACE if _spaced_out(text) else _SPACE_BETWEEN_HAN]
    if _punctuated_out(text):
        # Whitespace and punctuation between Han characters; all inner whitespace stays
        # deleted when the text is spaced out too.
        runs = [_BETWEEN_HAN] if runs[0] is _SPACE_BETWEEN_HAN else [_BETWEEN_HAN, *runs]
    if emoji:
        runs.insert(0, EMOJI_INSIDE_LATIN_WORD)
    return _either(*runs)


@cache
def _either(*patterns: re.Pattern[str]) -> re.Pattern[str]:
    """One pattern matching what any of ``patterns`` matches, tried in order."""
    if len(patterns) == 1:
        return patterns[0]
    return re.compile("|".join(p.pattern for p in patterns))


def _deleted_runs(text: str) -> tuple[tuple[int, int], ...]:
    """The spans :func:`compact_spacing` deletes from ``text``, in order."""
    compaction = _compaction(text)
    if compaction is None:
        return ()
    return tuple(run.span() for run in compaction.finditer(text))


def _without(text: str, runs: Sequence[tuple[int, int]]) -> str:
    if not runs:
        return text
    pieces: list[str] = []
    last = 0
    for start, end in runs:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def compact_spacing(text: str) -> str:
    """Whitespace between two Han characters deleted; all whitespace between visible
    characters when the text is written spaced out; whitespace and punctuation between
    two Han characters when it is punctuated out. Chinese puts no spaces between
    characters, and a clause of two or three characters is rare, so such runs are an
    evasion (加 我 微 信, one character per line, 加，我。微、信) that would otherwise
    break every n-gram, while spacing and punctuation elsewhere keep their style. Emoji
    inside a Latin-script word (wei🔥xin) go too, as the normaliser drops them. Applied to
    the ``simplified`` view it gives the ``compact`` view."""
    return _without(text, _deleted_runs(text))


class _Views(NamedTuple):
    surface: str
    simplified: str
    compact: str
    deleted: tuple[tuple[int, int], ...]  # the spans of ``simplified`` that ``compact`` drops


# How many texts' views are remembered: the classifier reads a text's views to score it,
# then again to map its evidence n-grams back to the original, and scores up to this many
# texts together before it looks for evidence.
VIEWS_REMEMBERED = 64


@lru_cache(maxsize=VIEWS_REMEMBERED)
def _views(original: str) -> _Views:
    surface = surface_form(original)
    simplified = simplify_script(surface)
    deleted = _deleted_runs(simplified)
    return _Views(surface, simplified, _without(simplified, deleted), deleted)


def surface_views(original: str) -> dict[str, str]:
    """The ``surface``, ``simplified`` and ``compact`` forms of ``original``, each built
    on the one before."""
    views = _views(original)
    return {"surface": views.surface, "simplified": views.simplified, "compact": views.compact}


def view_offsets(original: str, view: str) -> tuple[str, Sequence[int]]:
    """The ``surface``, ``simplified`` or ``compact`` form and, per character of it, the
    index of its original character."""
    views = _views(original)
    origin = _surface_origin(original, views.surface)
    if view == "surface":
        return views.surface, origin
    if view == "simplified" or not views.deleted:
        return views.simplified, origin
    kept: list[int] = []
    last = 0
    for start, end in views.deleted:
        kept.extend(origin[last:start])
        last = end
    kept.extend(origin[last:])
    return views.compact, kept


def surface_offsets(original: str) -> tuple[str, Sequence[int]]:
    """The surface form and, per surface character, the index of its original character.

    Used to map surface n-grams back to the original text for evidence.
    """
    surface = surface_form(original)
    return surface, _surface_origin(original, surface)


def _surface_origin(original: str, surface: str) -> Sequence[int]:
    """Per character of ``surface`` (the surface form of ``original``), the index of the
    original character it comes from."""
    if len(surface) == len(original):
        return range(len(original))
    # NFKC composes a character with the combining marks after it, so each such cluster
    # is folded on its own and all it gives maps to the cluster's first character.
    origin: list[int] = []
    cluster = 0
    for i in range(1, len(original) + 1):
        if i == len(original) or not unicodedata.combining(original[i]):
            origin.extend([cluster] * len(surface_form(original[cluster:i])))
            cluster = i
    # Clusters that fold differently on their own than in the text (rare: Hangul jamo)
    # still leave one index per surface character.
    del origin[len(surface) :]
    origin.extend([len(original) - 1] * (len(surface) - len(origin)))
    return origin


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
        if is_han(ch):
            flush()
            tokens.append(table.get(ch, ch))
        elif ch.isalnum():
            buf.append(ch)
        else:
            flush()
            tokens.append(SEPARATOR_TOKEN)
    flush()
    return tokens


def token_ngrams(tokens: Sequence[str], min_n: int, max_n: int) -> list[str]:
    """Token n-grams joined by one space, shortest first (the order scikit-learn uses)."""
    length = len(tokens)
    grams: list[str] = []
    for n in range(min_n, min(max_n, length) + 1):
        if n == 1:
            grams.extend(tokens)
        elif n == 2:
            # Pairwise concatenation is markedly cheaper than join over a slice per gram.
            grams.extend([a + " " + b for a, b in pairwise(tokens)])
        else:
            grams.extend([" ".join(tokens[i : i + n]) for i in range(length - n + 1)])
    return grams


def pinyin_ngrams(
    text: str,
    table: Mapping[str, str],
    min_n: int,
    max_n: int,
    syllables: Collection[str] = frozenset(),
) -> list[str]:
    """Token n-grams (joined by one space) of :func:`pinyin_tokens`."""
    return token_ngrams(pinyin_tokens(text, table, syllables), min_n, max_n)


_ASCII_LETTER = re.compile(r"[A-Za-z]")
_LETTER_RUN = re.compile(r"[A-Za-z]+")


def _token_fold(table: Mapping[str, str]) -> Callable[[str], str]:
    """A Han character becomes its padded syllable, any other non-alphanumeric character
    the padded separator, and letters/digits stay themselves (so they stay glued into
    runs)."""

    def fold(ch: str) -> str:
        if is_han(ch):
            return f" {table.get(ch, ch)} "
        if ch.isalnum():
            return ch
        return f" {SEPARATOR_TOKEN} "

    return fold


def _initials_fold(table: Mapping[str, str]) -> Callable[[str], str]:
    """The per-character fold of :class:`InitialsFolder`."""

    def fold(ch: str) -> str:
        if is_han(ch):
            syllable = table.get(ch)
            return syllable[0] if syllable else " "
        if ch.isascii() and ch.isalnum():
            return ch.lower()
        return " "

    return fold


class PinyinTokenizer:
    """A fast :func:`pinyin_tokens` for one fixed table (what inference uses).

    One ``str.translate`` pads every token with spaces, ``str.split`` cuts them apart, and
    only texts with latin letters pay for the syllable segmentation of letter runs. The
    output equals :func:`pinyin_tokens` for every text, which is what keeps inference
    identical to training. A table or syllable set that would break the shortcut (an empty
    or spaced value, or a syllable that segmentation would split) uses the reference.
    """

    def __init__(self, table: Mapping[str, str], syllables: Collection[str] = frozenset()) -> None:
        self._table = dict(table)
        self._syllables = frozenset(syllables)
        self._translate = FoldTranslator(_token_fold(self._table))
        # Splitting on whitespace is exact when every value is one non-empty, space-free
        # token; letting Han syllables through segment_pinyin, and passing syllables by
        # unsegmented, are exact when every value and syllable segments to itself.
        values = set(self._table.values())
        self._exact = all(
            value and not any(c.isspace() for c in value) for value in values
        ) and all(
            segment_pinyin(value, self._syllables) == [value] for value in values | self._syllables
        )

    def __call__(self, text: str) -> list[str]:
        if not self._exact:
            return pinyin_tokens(text, self._table, self._syllables)
        tokens = self._translate(text).split()
        if not self._syllables or _ASCII_LETTER.search(text) is None:
            return tokens
        out: list[str] = []
        syllables = self._syllables
        for token in tokens:
            # A syllable, and anything not ASCII, segments to itself (checked at __init__).
            if token in syllables or not token.isascii():
                out.append(token)
            else:
                out.extend(segment_pinyin(token, syllables))
        return out


class InitialsFolder:
    """Writes a text as pinyin initials: each Han character as its syllable's first letter
    (a character without one, and anything but an ASCII letter or digit, as a space); a
    run of ASCII letters that spells pinyin syllables as their initials (weixin → wx),
    any other run lower-cased. One folder per table keeps its translation between calls."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self._translate = FoldTranslator(_initials_fold(dict(table)))
        self._syllables = frozenset(table.values())

    def __call__(self, text: str) -> str:
        if _ASCII_LETTER.search(text) is not None:
            text = _LETTER_RUN.sub(self._run_initials, text)
        return self._translate(text)

    def _run_initials(self, run: re.Match[str]) -> str:
        parts = segment_pinyin(run.group().lower(), self._syllables)
        if all(part in self._syllables for part in parts):
            return "".join(part[0] for part in parts)
        return run.group()
