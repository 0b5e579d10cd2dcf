"""The run-based alignment of stages 1–2 against a plain per-character reference.

``alignment.py`` reads stretches of text and byte strings through ``map`` for speed;
this reference walks one character at a time with ``CharTable.fold`` and
``is_evasive``, the way the definitions read, so any shortcut that drifts from them
shows up as a difference.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jingwang.core.normalize.alignment import (
    _drop_separators,
    _fold_characters,
    _is_regular,
    align,
)
from jingwang.core.normalize.pipeline import apply_char_table
from jingwang.core.normalize.separators import drop_separators, kept_space_runs
from jingwang.core.normalize.tables import SEPARATOR, char_table

# One row per normalised character: (char, start, end, evasive, gap_before).
Row = tuple[str, int, int, bool, bool]


def _reference(original: str) -> list[Row]:
    table = char_table()
    folded: list[Row] = []
    gap = False
    for i, char in enumerate(original):
        value = table.fold(char)
        if not value:
            gap = True
            continue
        for piece in value:
            folded.append((piece, i, i + 1, table.is_evasive(char), gap))
            gap = False
    runs = dict(kept_space_runs("".join(row[0] for row in folded)))
    result: list[Row] = []
    gap = False
    i = 0
    while i < len(folded):
        char, start, end, evasive, gap_before = folded[i]
        if char != SEPARATOR:
            result.append((char, start, end, evasive, gap_before or gap))
            i += 1
        elif i in runs:
            result.append((SEPARATOR, start, folded[runs[i] - 1][2], False, gap))
            i = runs[i]
        else:
            i += 1
            gap = True
            continue
        gap = False
    return result


def _fast(original: str) -> list[Row]:
    text, columns = _drop_separators(*_fold_characters(original))
    return list(
        zip(
            text,
            columns.starts,
            columns.ends,
            map(bool, columns.evasive),
            map(bool, columns.gap_before),
            strict=True,
        )
    )


_EVASIVE_HEAVY = st.text(
    alphabet=st.sampled_from(
        list("微信加V薇abc 12 3１２Ａ①⑴壹貳發女子哈氵")
        + list("，。.!  \t")
        + ["\u200b", "\u0301", "\ufe0f", "🐶", "😂", "🇻", "\U000e0041", "\x00", "\ud800"]
        + ["\xa0", "\u2003", "\u3000", "\xa8"]  # spaces and spacing marks that fold to one
    ),
    max_size=30,
)


@settings(max_examples=400, deadline=None)  # the first call builds the tables
@given(_EVASIVE_HEAVY)
def test_matches_the_reference_on_evasive_text(raw: str) -> None:
    assert _fast(raw) == _reference(raw)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_matches_the_reference_on_any_text(raw: str) -> None:
    assert _fast(raw) == _reference(raw)


def test_a_kept_run_spans_its_spaces_and_a_dropped_one_leaves_a_gap() -> None:
    rows = _fast("ab  cd，微 信")
    assert [row[0] for row in rows] == list("ab cd微信")
    assert rows[2] == (SEPARATOR, 2, 4, False, False)
    assert rows[6] == ("信", 9, 10, False, True)


def _aligned_rows(original: str) -> list[Row] | None:
    """``align``'s rows, or None when stage 3 rewrote the text (beyond the reference)."""
    text, alignment = align(original)
    if text != drop_separators(apply_char_table(original)):
        return None
    return list(
        zip(
            text,
            list(alignment.starts),
            list(alignment.ends),
            map(bool, alignment.evasive),
            map(bool, alignment.gap_before),
            strict=True,
        )
    )


@settings(max_examples=400, deadline=None)
@given(st.one_of(_EVASIVE_HEAVY, st.text(alphabet=st.sampled_from(list("ab12 ，微信.")))))
def test_align_matches_the_reference_whenever_stage_3_is_idle(raw: str) -> None:
    rows = _aligned_rows(raw)
    if rows is not None:
        assert rows == _reference(raw)


def test_the_separator_only_path_indexes_like_a_list() -> None:
    text, alignment = align("ab  cd，微 信")
    assert text == "ab cd微信"
    assert list(alignment.starts) == [0, 1, 2, 4, 5, 7, 9]
    assert list(alignment.ends) == [1, 2, 4, 5, 6, 8, 10]
    assert alignment.starts[-1] == 9 and alignment.ends[1:3] == [2, 4]
    assert alignment.gap_before == bytes([0, 0, 0, 0, 0, 1, 1])
    with pytest.raises(IndexError):
        alignment.starts[7]


@pytest.mark.parametrize("space", ["\xa0", "\u2002", "\u2003", "\u2009", "\u3000"])
def test_odd_spaces_keep_a_text_on_the_separator_only_path(space: str) -> None:
    """A no-break or typographic space folds to a separator like a plain one, so a text
    holding one is as regular as with a plain space and aligns the same."""
    original = f"ab{space}{space}cd，微{space}信"
    assert _is_regular(original)
    assert _aligned_rows(original) == _aligned_rows("ab  cd，微 信") == _reference(original)
