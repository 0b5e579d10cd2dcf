"""Runs of three or more identical characters collapse to two (哈哈哈哈 → 哈哈).

Two, not one, so that the result is stable and real reduplications (哈哈, 谢谢) survive.
ASCII letters and digits are left alone: 13888888888 is a phone number and www starts
a host name.
"""

from __future__ import annotations

import re

_RUN_OF_THREE_OR_MORE = re.compile(r"(.)\1\1+", re.DOTALL)
# For ``pipeline.py``'s gate: matches wherever ``runs_to_collapse`` may find a run.
REPEAT_GATE = r"(.)\1\1"


def _is_ascii_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def runs_to_collapse(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each run that ``collapse_repeats`` shortens to two characters."""
    return [
        match.span()
        for match in _RUN_OF_THREE_OR_MORE.finditer(text)
        if not _is_ascii_word_char(match.group(1))
    ]


def _collapse(match: re.Match[str]) -> str:
    char = match.group(1)
    return match.group() if _is_ascii_word_char(char) else char + char


def collapse_repeats(text: str) -> str:
    return _RUN_OF_THREE_OR_MORE.sub(_collapse, text)
