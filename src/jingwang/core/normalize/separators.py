"""Which separators survive: only a single space between two ASCII letters/digits.

After the character table every separator (punctuation, symbol, whitespace, unmapped
emoji) is an ASCII space. Spammers put them between Chinese characters to break
keywords (微.信, 加 V), so they are deleted; but a run of them between two ASCII
letters or digits becomes one space, so that Latin words and digit groups stay apart
("hello world", "138 1234 5678").
"""

from __future__ import annotations

import re

from jingwang.core.normalize.tables import SEPARATOR

# Starts with the space itself rather than the lookbehind, so that ``re`` jumps from
# space to space instead of trying every position; "(?<=x )" then checks the space
# just consumed and the character before it.
_SPACES_BETWEEN_WORD_CHARS = re.compile(r" (?<=[0-9a-z] ) *(?=[0-9a-z])")
_WORD_CHAR_THEN_SPACE = re.compile(r"[0-9a-z] ")
# A control character: the table turns every control into a space, so none is left
# in folded text to be confused with this placeholder.
_KEPT_SPACE = "\x00"


def drop_separators(folded: str) -> str:
    """Delete separator spaces, keeping one space between ASCII words."""
    if SEPARATOR not in folded:
        return folded
    if _WORD_CHAR_THEN_SPACE.search(folded):
        folded = _SPACES_BETWEEN_WORD_CHARS.sub(_KEPT_SPACE, folded)
        return folded.replace(SEPARATOR, "").replace(_KEPT_SPACE, SEPARATOR)
    return folded.replace(SEPARATOR, "")


def kept_space_runs(folded: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each space run that ``drop_separators`` keeps as one space."""
    if not _WORD_CHAR_THEN_SPACE.search(folded):  # a cheap search rules most texts out
        return []
    return [match.span() for match in _SPACES_BETWEEN_WORD_CHARS.finditer(folded)]
