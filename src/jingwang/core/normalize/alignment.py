"""The exact path: the same stages as ``pipeline.py``, one character at a time, keeping
for every normalised character the original span it came from and whether reaching it
undid an evasion.

It is about a hundred times slower than the fast path and runs only when a caller
asks for offsets (``Normalized.span``), i.e. for the few texts that matched something.
"""

from __future__ import annotations

from dataclasses import dataclass

from jingwang.core.normalize.numerals import AMBIGUOUS_NUMERALS, numeral_positions
from jingwang.core.normalize.repeats import runs_to_collapse
from jingwang.core.normalize.separators import kept_space_runs
from jingwang.core.normalize.split import recomposition_positions, split_rules
from jingwang.core.normalize.tables import SEPARATOR, char_table


@dataclass(frozen=True, slots=True)
class Alignment:
    """Per normalised character: original ``[starts[i], ends[i])``; ``evasive[i]`` when
    the character itself came from an evasion (look-alike, emoji, recomposed split
    character …); ``gap_before[i]`` when an evasively deleted character (separator,
    zero-width, combining mark) lies between it and the previous normalised character."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    evasive: bytes
    gap_before: bytes


@dataclass(slots=True)
class _Cell:
    char: str
    start: int
    end: int
    evasive: bool
    gap_before: bool


def _fold_characters(original: str) -> list[_Cell]:
    table = char_table()
    cells: list[_Cell] = []
    gap = False
    for i, char in enumerate(original):
        value = table.fold(char)
        if not value:
            gap = True
            continue
        evasive = table.is_evasive(char)
        for folded in value:
            cells.append(_Cell(folded, i, i + 1, evasive, gap))
            gap = False
    return cells


def _drop_separators(cells: list[_Cell]) -> list[_Cell]:
    text = "".join(cell.char for cell in cells)
    kept = {start: end for start, end in kept_space_runs(text)}
    result: list[_Cell] = []
    gap = False
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell.char != SEPARATOR:
            result.append(
                _Cell(cell.char, cell.start, cell.end, cell.evasive, cell.gap_before or gap)
            )
            gap = False
            i += 1
        elif i in kept:
            end = kept[i]
            result.append(_Cell(SEPARATOR, cell.start, cells[end - 1].end, False, gap))
            gap = False
            i = end
        else:
            gap = True
            i += 1
    return result


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


def align(original: str) -> tuple[str, Alignment]:
    """Normalise ``original`` the slow way, returning the text and its alignment."""
    cells = _drop_separators(_fold_characters(original))
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
