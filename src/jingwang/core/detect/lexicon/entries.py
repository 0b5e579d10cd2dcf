"""What one lexicon row means once parsed: a term, what it indicates and when."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from jingwang.core.types import FindingKind

# Signal labels are facts for the decision layer, not contract labels; terms of
# ``signals.tsv`` carry one of these, and ``needs`` conditions may name them.
SIGNAL_LABELS: Final[frozenset[str]] = frozenset({"contact", "price", "news_context"})

# ``exact``: never matched through homophones, pinyin or initials (short or common terms).
# ``homophone``: a two-character term is also matched by sound (longer terms always are).
# ``initials``: also matched as pinyin initials even when shorter than three syllables.
# ``sub``: ASCII edges may touch other letters/digits (no word-boundary check).
FLAGS: Final[frozenset[str]] = frozenset({"exact", "homophone", "initials", "sub"})

Quantifier = Literal["any", "all"]


@dataclass(frozen=True, slots=True)
class Needs:
    """A context condition: ``any`` / ``all`` of the named signals must be nearby."""

    quantifier: Quantifier
    signals: tuple[str, ...]

    def satisfied(self, present: frozenset[str]) -> bool:
        if self.quantifier == "any":
            return any(signal in present for signal in self.signals)
        return all(signal in present for signal in self.signals)


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One lexicon row. ``origin`` is ``file:line`` so that reviewers can trace a hit;
    ``kind`` follows from the label (a stored field: it is read per match)."""

    term: str
    label: str
    subcategory: str | None
    weight: float
    needs: Needs | None
    flags: frozenset[str]
    origin: str
    kind: FindingKind = field(init=False)

    def __post_init__(self) -> None:
        kind: FindingKind = "signal" if self.label in SIGNAL_LABELS else "violation"
        object.__setattr__(self, "kind", kind)
