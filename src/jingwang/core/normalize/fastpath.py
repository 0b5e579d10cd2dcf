"""The common path: fold a text with ``str.replace`` instead of ``str.translate``.

``str.translate`` costs 35–45 ns per character, because CPython boxes every code point
above 256 into a fresh int to index the table. Yet a typical text holds only a few
distinct characters that the table changes: separators (，。？！ …), a capital or two,
now and then a 繁体 character or an emoji word. Everything else maps to itself.

So this path finds those characters with one regex search each (a negated character
class, resuming where the last search stopped) and rewrites every copy of each at
once with ``str.replace``, which runs at memchr speed. Separators are deleted,
capitals lowered at the end, and characters whose replacement is plain Han text
(發 → 发, 🐶 → 狗) replaced. Separator runs between two ASCII words, which survive as
one space, are marked first. Anything else — deletions (zero-width characters),
replacements with letters or digits (Ａ → a, ① → 1), characters above the table —
sends the text back to the table, because it could change which separator runs
survive.

The same searches note whether the text holds a character where a split character or
an ambiguous numeral may start (女, 氵, 拾 …), so that two texts in three skip that gate.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from jingwang.core.normalize.numerals import NUMERAL_GATE_FIRST_CHARS
from jingwang.core.normalize.split import split_rules
from jingwang.core.normalize.tables import (
    BEYOND_TABLE_DELETIONS,
    SEPARATOR,
    TABLE_LIMIT,
    char_table,
)

_BMP = 0x10000
_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_WORD_CHARS = frozenset(map(ord, string.digits + string.ascii_letters))
_WORD_CHAR_CLASS = "[0-9A-Za-z]"
_WORD_CHAR = re.compile(_WORD_CHAR_CLASS)
# Stands for a kept separator run until the other separators are gone. A private-use
# character: the table keeps it as it is, so the searches pass over it; a text that
# already holds one goes to the table instead.
_KEPT_RUN = "\ue000"
# Deleted before the first search, as they occur in most Chinese texts.
_COMMON_SEPARATORS = ("，", "。")


def char_class(code_points: Iterable[int], negate: bool = False) -> str:
    """A regex character class for ``code_points``, as ranges of ``\\uXXXX`` escapes.

    Keep it to the BMP: ``re`` compiles BMP members into a 64 Ki bitmap tested in
    constant time, but checks members above it one by one, after the bitmap missed.
    """
    points = sorted(set(code_points))
    if points and points[-1] >= _BMP:
        raise ValueError("char_class takes BMP code points only")
    parts: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        first, last = points[i], points[j]
        parts.append(f"\\u{first:04x}" if first == last else f"\\u{first:04x}-\\u{last:04x}")
        i = j + 1
    return "[" + ("^" if negate else "") + "".join(parts) + "]"


@dataclass(frozen=True, slots=True)
class CommonPath:
    separators: frozenset[str]  # every copy is deleted (unless in a marked run)
    wide_separators: frozenset[str]  # the separators above the BMP
    replacements: dict[str, str]  # every copy is replaced by plain Han text
    rewrite_starts: frozenset[str]  # where split characters or numerals may start
    # Indexed by [seen a capital][seen a rewrite start]: what has been seen once need
    # not stop the search again.
    stops: tuple[tuple[re.Pattern[str], re.Pattern[str]], tuple[re.Pattern[str], re.Pattern[str]]]
    word_char_then_separator: re.Pattern[str]
    kept_run: re.Pattern[str]


@cache
def common_path() -> CommonPath:
    """Build the classes and patterns once (about half a second), then share them."""
    translation = char_table().translation
    # Kept: mapped to itself and left alone by ``str.lower``, so that lower-casing the
    # whole text touches only the capitals.
    kept = {
        cp
        for cp in range(_BMP)
        if isinstance(translation[cp], int) and chr(cp).lower() == chr(cp) and cp != ord(SEPARATOR)
    }
    plain_han = {chr(cp) for cp in kept - _ASCII_WORD_CHARS} - {_KEPT_RUN}
    separators = {SEPARATOR}  # the table keeps the space as it is, as a separator
    replacements: dict[str, str] = {}
    for cp in range(TABLE_LIMIT):
        value = translation[cp]
        if isinstance(value, str) and value:
            if value.strip(SEPARATOR) == "":
                separators.add(chr(cp))
            elif plain_han.issuperset(value) and not BEYOND_TABLE_DELETIONS.match(chr(cp)):
                replacements[chr(cp)] = value
    for capital in _CAPITALS:
        if translation[ord(capital)] != capital.lower():
            raise AssertionError(f"the table folds {capital!r} to {translation[ord(capital)]!r}")
    if not separators.issuperset(_COMMON_SEPARATORS):
        raise AssertionError("the common separators must be separators")
    rewrite_starts = {
        ord(c) for c in split_rules().gate_first_chars | NUMERAL_GATE_FIRST_CHARS
    } & kept
    capitals = set(map(ord, _CAPITALS))

    def stop(allowed: set[int]) -> re.Pattern[str]:
        # Negated: a Han character is found in the bitmap at once, while a positive
        # class of the (fewer) other characters would miss and fall through. Code
        # points above the BMP are outside it, so they stop the search too.
        return re.compile(char_class(allowed, negate=True))

    separator = char_class(ord(c) for c in separators if ord(c) < _BMP)
    return CommonPath(
        separators=frozenset(separators),
        wide_separators=frozenset(c for c in separators if ord(c) >= _BMP),
        replacements=replacements,
        rewrite_starts=frozenset(map(chr, rewrite_starts)),
        stops=(
            (stop(kept - rewrite_starts), stop(kept)),
            (stop((kept - rewrite_starts) | capitals), stop(kept | capitals)),
        ),
        word_char_then_separator=re.compile(_WORD_CHAR_CLASS + separator),
        # Starts with a plain character class, not a lookbehind, so that ``re`` skips
        # non-candidates in a tight C loop; "(?<=x.)" then looks at the separator just
        # consumed and the character before it.
        kept_run=re.compile(
            f"{separator}(?<={_WORD_CHAR_CLASS}.){separator}*(?={_WORD_CHAR_CLASS})", re.DOTALL
        ),
    )


def fold_common(text: str) -> tuple[str, bool] | None:
    """``drop_separators(text.translate(table))``, and whether it holds a character
    where a split character or a numeral may start; ``None`` where this path cannot
    tell (then the caller uses the table)."""
    path = common_path()
    marked = False
    # Only a text with ASCII characters can have a separator run between ASCII words.
    if text.encode("ascii", "ignore") and path.word_char_then_separator.search(text):
        if _KEPT_RUN in text:
            return None
        text = path.kept_run.sub(_KEPT_RUN, text)
        marked = True
    # With the runs that survive marked, deleting separators one distinct character
    # at a time is the same as deleting the other runs.
    for separator in _COMMON_SEPARATORS:
        text = text.replace(separator, "")
    separators = path.separators
    replacements = path.replacements
    lower = rewrites = False
    stop = path.stops[lower][rewrites]
    position = 0
    while (found := stop.search(text, position)) is not None:
        char = found.group()
        position = found.start()
        if char in separators:
            if char in path.wide_separators and _WORD_CHAR.search(text):
                # The run patterns above see only the BMP, so a run between two ASCII
                # words that holds this separator (0, NUL, 𝌀, 0) went unmarked.
                return None
            text = text.replace(char, "")
        elif char in replacements:
            text = text.replace(char, replacements[char])
        elif char in path.rewrite_starts and not rewrites:
            rewrites = True
            stop = path.stops[lower][rewrites]
        elif char in _CAPITALS and not lower:
            lower = True
            stop = path.stops[lower][rewrites]
        else:
            return None
    if marked:
        text = text.replace(_KEPT_RUN, SEPARATOR)
    return (text.lower() if lower else text), rewrites
