"""``finditer`` for patterns that ``re`` cannot skip through on its own.

``re`` jumps ahead to the next possible start only when a pattern opens with a literal
or a character class. The handle and URL patterns open with look-behinds and keyword
alternations, so ``finditer`` tries them at every position of a text, although only a
few positions can start a match (where a keyword's first character or an ASCII word
begins). A second, simple pattern that finds those positions lets ``re`` skip in C.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def gated_finditer(
    pattern: re.Pattern[str], starts: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    """The matches ``pattern.finditer(text)`` yields, given that each one begins where
    a match of ``starts`` begins, and that no match of ``pattern`` is empty.

    After a failed try the scan resumes where that match of ``starts`` ends, so a
    ``starts`` match must not cover a later position that could begin a match: one
    character, or a run inside which the pattern's look-behind rules out every later
    start (``[a-z0-9]+`` before a look-behind that refuses a letter or digit before it).
    """
    position = 0
    while (candidate := starts.search(text, position)) is not None:
        match = pattern.match(text, candidate.start())
        if match is None:
            position = candidate.end()
        else:
            yield match
            position = match.end()
