"""The exact path: the same stages as ``pipeline.py``, keeping for every normalised
character the original span it came from and whether reaching it undid an evasion.

It runs only when a caller asks for offsets (``Normalized.span``), i.e. for texts that
matched something — on a corpus of harmful posts, nearly every other text. Stages 1–2
(the character table and the separators) work on stretches of text and on byte
strings read through ``map``: a loop building an object per character cost 60 % of
the lexicon scan. The rare rewrites of stage
3 (split characters, numerals, repeats) touch a few positions, so they run on a list
of cells, and only for texts they change.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import overload

from jingwang.core.normalize.emoji_words import blank_separating_emoji
from jingwang.core.normalize.fastpath import char_class
from jingwang.core.normalize.numerals import AMBIGUOUS_NUMERALS, numeral_positions
from jingwang.core.normalize.pipeline import apply_char_table, rewrite_once
from jingwang.core.normalize.repeats import runs_to_collapse
from jingwang.core.normalize.separators import drop_separators, kept_space_runs
from jingwang.core.normalize.split import recomposition_positions, split_rules
from jingwang.core.normalize.tables import (
    PLANE_14,
    SEPARATOR,
    TABLE_LIMIT,
    char_table,
)

_UNICODE_SIZE = 0x110000
_BMP = 0x10000
# Runs of separators and runs of everything else, alternating.
_STRETCHES = re.compile(f"{SEPARATOR}+|[^{SEPARATOR}]+")
_SEPARATOR_RUNS = re.compile(f"{SEPARATOR}+")


@dataclass(frozen=True, slots=True)
class Alignment:
    """Per normalised character: original ``[starts[i], ends[i])``; ``evasive[i]`` when
    the character itself came from an evasion (look-alike, emoji, recomposed split
    character …); ``gap_before[i]`` when an evasively deleted character (separator,
    zero-width, combining mark) lies between it and the previous normalised character."""

    starts: Sequence[int]
    ends: Sequence[int]
    evasive: bytes
    gap_before: bytes


@dataclass(frozen=True, slots=True)
class _FoldBytes:
    """Indexed by code point over all of Unicode: how many characters it folds to, and
    whether folding it undoes an evasion — ``char_table`` in a form that
    ``map(table.__getitem__, code_points)`` reads at C speed."""

    lengths: bytes
    evasive: bytes


@cache
def _fold_bytes() -> _FoldBytes:
    table = char_table()
    lengths = bytearray(b"\x01") * _UNICODE_SIZE
    for cp, value in enumerate(table.translation):
        if isinstance(value, str):
            lengths[cp] = len(value)
    evasive = bytearray(_UNICODE_SIZE)
    evasive[:TABLE_LIMIT] = table.evasive
    # A character that folds to a separator (no-break, en and em spaces …) leaves no cell
    # of its own: it is dropped, leaving a gap before the next cell, or heads a kept
    # space run, which inherits no evasion. Its flag is never read, and clearing it keeps
    # texts with such spaces on the regular path (a fifth of the irregular texts of the
    # scan benchmark had no other reason to leave it).
    for cp, value in enumerate(table.translation):
        if value == SEPARATOR:
            evasive[cp] = 0
    lengths[PLANE_14.start : PLANE_14.stop] = bytes(len(PLANE_14))
    evasive[PLANE_14.start : PLANE_14.stop] = b"\x01" * len(PLANE_14)
    return _FoldBytes(bytes(lengths), bytes(evasive))


@dataclass(slots=True)
class _Columns:
    """The cells of a text as parallel sequences, one entry per character."""

    starts: Sequence[int]
    ends: Sequence[int]
    evasive: bytes
    gap_before: bytes
    # Every cell is its own original character, without evasion or gap: lets stage 2
    # skip looking the columns up.
    regular: bool = False


@cache
def _irregular_char() -> re.Pattern[str]:
    """Matches any character that does not fold to exactly one character without an
    evasion — every character above the BMP included. A text without one, the usual
    case, keeps its positions through stage 1, found by one C-level search."""
    fold = _fold_bytes()
    regular = (cp for cp in range(_BMP) if fold.lengths[cp] == 1 and not fold.evasive[cp])
    return re.compile(char_class(regular, negate=True))


def _is_regular(original: str) -> bool:
    """Whether every character folds to exactly one character without an evasion."""
    return _irregular_char().search(original) is None


def _fold_characters(original: str) -> tuple[str, _Columns]:
    """Stage 1: the character table, with each cell's original position."""
    text = apply_char_table(original)
    if _is_regular(original):
        size = len(original)
        return text, _Columns(range(size), range(1, size + 1), bytes(size), bytes(size), True)
    fold = _fold_bytes()
    points = list(map(ord, original))
    lengths = bytes(map(fold.lengths.__getitem__, points))
    starts = [i for i, length in enumerate(lengths) for _ in range(length)]
    evasive = bytes(map(fold.evasive.__getitem__, (points[i] for i in starts)))
    # A character's first cell has a gap before it when the character just before it
    # folded to nothing; the other cells of a 1→n fold never do.
    gaps = bytearray(len(starts))
    cell = 0
    for i, length in enumerate(lengths):
        if length:
            gaps[cell] = i > 0 and not lengths[i - 1]
            cell += length
    if len(text) != len(starts):
        raise AssertionError(f"the fold table disagrees with itself on {original!r}")
    return text, _Columns(starts, [start + 1 for start in starts], evasive, bytes(gaps))


def _drop_separators(folded: str, columns: _Columns) -> tuple[str, _Columns]:
    """Stage 2: a kept run of spaces becomes one space spanning the run and inherits
    no evasion; every other separator is dropped, leaving a gap before the next cell.
    The text is walked a stretch at a time (``re.finditer``), not a character."""
    if SEPARATOR not in folded:
        return folded, columns
    runs = dict(kept_space_runs(folded))
    kept: list[int] = []
    gap_cells: list[int] = []  # kept cells with a dropped separator just before them
    run_heads: list[tuple[int, int]] = []  # (kept cell, folded index where its run ends)
    after_dropped = False
    for stretch in _STRETCHES.finditer(folded):
        start, end = stretch.span()
        if folded[start] != SEPARATOR or start in runs:
            if after_dropped:
                gap_cells.append(len(kept))
            if start in runs:
                run_heads.append((len(kept), runs[start]))
                kept.append(start)
            else:
                kept.extend(range(start, end))
            after_dropped = False
        else:
            after_dropped = True
    if columns.regular:
        starts, ends = kept, list(map((1).__add__, kept))
        evasive, gaps = bytearray(len(kept)), bytearray(len(kept))
    else:
        starts = list(map(columns.starts.__getitem__, kept))
        ends = list(map(columns.ends.__getitem__, kept))
        evasive = bytearray(map(columns.evasive.__getitem__, kept))
        gaps = bytearray(map(columns.gap_before.__getitem__, kept))
    for cell, run_end in run_heads:
        ends[cell] = columns.ends[run_end - 1]
        evasive[cell] = gaps[cell] = False
    for cell in gap_cells:
        gaps[cell] = True
    return drop_separators(folded), _Columns(starts, ends, bytes(evasive), bytes(gaps))


class _Shifted(Sequence[int]):
    """``i + offset + shift(i)``, where ``shift`` steps up at ``cuts``; ``overrides``
    replace single entries. The original offsets of a text whose only change was
    dropping runs of separators: a span needs two lookups, so the general path's list
    per character would be built for nothing."""

    __slots__ = ("_cuts", "_length", "_offset", "_overrides", "_shifts")

    def __init__(
        self,
        length: int,
        cuts: list[int],
        shifts: list[int],
        offset: int,
        overrides: dict[int, int],
    ) -> None:
        self._length = length
        self._cuts = cuts
        self._shifts = shifts
        self._offset = offset
        self._overrides = overrides

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        override = self._overrides.get(index)
        if override is not None:
            return override
        return index + self._offset + self._shifts[bisect_right(self._cuts, index) - 1]


def _dropped_runs_alignment(folded: str, length: int) -> Alignment:
    """Stage 2 alone on a regular text (every character folded one to one, none
    evasively): the text is ``folded`` less its separator runs, a kept run standing as
    one space that spans it. Only the runs are walked."""
    cuts, shifts = [0], [0]
    run_ends: dict[int, int] = {}
    gaps = bytearray(length)
    kept = dict(kept_space_runs(folded))
    dropped = 0
    for run in _SEPARATOR_RUNS.finditer(folded):
        start, end = run.span()
        cell = start - dropped
        if start in kept:
            run_ends[cell] = kept[start]
            dropped += kept[start] - start - 1
            cell += 1
        else:
            dropped += end - start
            if cell < length:
                gaps[cell] = True
        cuts.append(cell)
        shifts.append(dropped)
    return Alignment(
        starts=_Shifted(length, cuts, shifts, 0, {}),
        ends=_Shifted(length, cuts, shifts, 1, run_ends),
        evasive=bytes(length),
        gap_before=bytes(gaps),
    )


@dataclass(slots=True)
class _Cell:
    char: str
    start: int
    end: int
    evasive: bool
    gap_before: bool


def _recompose(cells: list[_Cell], text: str) -> bool:
    positions = recomposition_positions(text)
    compositions = split_rules().compositions
    for i in reversed(positions):
        left, right = cells[i], cells[i + 1]
        composite = compositions[left.char + right.char]
        cells[i : i + 2] = [_Cell(composite, left.start, right.end, True, left.gap_before)]
    return bool(positions)


def _convert_numerals(cells: list[_Cell], text: str) -> bool:
    positions = numeral_positions(text)
    for i in positions:
        cells[i].char = AMBIGUOUS_NUMERALS[cells[i].char]
        cells[i].evasive = True
    return bool(positions)


def _collapse_repeats(cells: list[_Cell], text: str) -> bool:
    runs = runs_to_collapse(text)
    for start, end in reversed(runs):
        kept, dropped = cells[start + 1], cells[start + 2 : end]
        kept.end = dropped[-1].end
        kept.evasive = kept.evasive or any(c.evasive or c.gap_before for c in dropped)
        del cells[start + 2 : end]
    return bool(runs)


def _text(cells: list[_Cell]) -> str:
    return "".join(cell.char for cell in cells)


def _rewrite(text: str, columns: _Columns) -> tuple[str, Alignment]:
    """Stage 3, repeated until nothing changes."""
    cells = [
        _Cell(char, start, end, bool(evasive), bool(gap))
        for char, start, end, evasive, gap in zip(
            text,
            columns.starts,
            columns.ends,
            columns.evasive,
            columns.gap_before,
            strict=True,
        )
    ]
    while True:
        changed = _recompose(cells, _text(cells))
        changed = _convert_numerals(cells, _text(cells)) or changed
        changed = _collapse_repeats(cells, _text(cells)) or changed
        if not changed:
            break
    alignment = Alignment(
        starts=tuple(cell.start for cell in cells),
        ends=tuple(cell.end for cell in cells),
        evasive=bytes(cell.evasive for cell in cells),
        gap_before=bytes(cell.gap_before for cell in cells),
    )
    return _text(cells), alignment


def align(original: str) -> tuple[str, Alignment]:
    """Normalise ``original`` the exact way, returning the text and its alignment."""
    original = blank_separating_emoji(original)  # stage 0 keeps every position
    if _is_regular(original):  # the usual case: only separators to account for
        folded = apply_char_table(original)
        text = drop_separators(folded)
        if rewrite_once(text) == text:
            return text, _dropped_runs_alignment(folded, len(text))
    text, columns = _drop_separators(*_fold_characters(original))
    # One round of the string rewrites tells, at C speed, whether stage 3 applies.
    if rewrite_once(text) != text:
        return _rewrite(text, columns)
    alignment = Alignment(
        starts=columns.starts,
        ends=columns.ends,
        evasive=columns.evasive,
        gap_before=columns.gap_before,
    )
    return text, alignment
