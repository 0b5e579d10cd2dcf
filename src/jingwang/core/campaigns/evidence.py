"""Evidence for a near-duplicate: the fragments two messages share, located in both.

Fragments are found on the campaign form (normalised, whitespace removed) so that
``加.微.信`` and ``加微信`` share ``加微信``; each fragment is then mapped back through the
normaliser's offset map to a span of each original text.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final

from jingwang.core.normalize import Normalized, normalize
from jingwang.core.types import Evidence

MIN_FRAGMENT_CHARS: Final = 4
"""Shorter common runs (one word, a digit pair) are coincidence more often than copying."""


@dataclass(frozen=True, slots=True)
class SharedFragment:
    """A run of the campaign form present in both texts, with its span in each original."""

    text: str
    in_query: Evidence
    in_match: Evidence


class _CampaignView:
    """A text's campaign form and, per character of it, its index in the normalised text."""

    def __init__(self, original: str) -> None:
        self.normalized: Normalized = normalize(original)
        kept = [i for i, char in enumerate(self.normalized.text) if not char.isspace()]
        self.positions = kept
        self.text = "".join(self.normalized.text[i] for i in kept)

    def evidence(self, start: int, length: int) -> Evidence:
        first, last = self.positions[start], self.positions[start + length - 1]
        return self.normalized.evidence(first, last + 1)


def shared_fragments(query: str, match: str) -> tuple[SharedFragment, ...]:
    """The common runs of at least ``MIN_FRAGMENT_CHARS`` characters, in query order."""
    left, right = _CampaignView(query), _CampaignView(match)
    matcher = SequenceMatcher(None, left.text, right.text, autojunk=False)
    return tuple(
        SharedFragment(
            text=left.text[block.a : block.a + block.size],
            in_query=left.evidence(block.a, block.size),
            in_match=right.evidence(block.b, block.size),
        )
        for block in matcher.get_matching_blocks()
        if block.size >= MIN_FRAGMENT_CHARS
    )
