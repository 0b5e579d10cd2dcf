"""The article cue lexicon (``resources/articles/cues.tsv``): regular expressions by feature."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Final

_HEADER: Final = ("feature", "pattern")


class CueFormatError(ValueError):
    """A malformed row of the cue lexicon; the message names its line."""


@dataclass(frozen=True, slots=True)
class CueHit:
    feature: str
    start: int
    end: int
    text: str


def parse_cues(content: str) -> dict[str, re.Pattern[str]]:
    """One alternation per feature; a bad row raises :class:`CueFormatError`."""
    alternatives: dict[str, list[str]] = defaultdict(list)
    header_seen = False
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = tuple(line.split("\t"))
        if not header_seen:
            if columns != _HEADER:
                raise CueFormatError(f"line {number}: header must be feature<TAB>pattern")
            header_seen = True
            continue
        if len(columns) != len(_HEADER) or not all(columns):
            raise CueFormatError(f"line {number}: expected feature<TAB>pattern")
        feature, pattern = columns
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CueFormatError(f"line {number}: bad pattern {pattern!r}: {exc}") from None
        alternatives[feature].append(f"(?:{pattern})")
    return {feature: re.compile("|".join(parts)) for feature, parts in alternatives.items()}


@cache
def packaged_cues() -> dict[str, re.Pattern[str]]:
    resource = files("jingwang").joinpath("resources", "articles", "cues.tsv")
    return parse_cues(resource.read_text(encoding="utf-8"))


def find(feature: str, text: str, start: int = 0) -> list[CueHit]:
    """Non-overlapping hits of ``feature`` in ``text[start:]`` (positions index ``text``)."""
    pattern = packaged_cues().get(feature)
    if pattern is None:
        return []
    return [
        CueHit(feature, m.start(), m.end(), m.group())
        for m in pattern.finditer(text, start)
        if m.end() > m.start()
    ]
