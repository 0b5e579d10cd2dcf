"""Plain data of the campaign index: messages in, matches out, and the index settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from jingwang.core.campaigns.evidence import SharedFragment

AddOutcome = Literal["indexed", "too_short", "duplicate_id"]


@dataclass(frozen=True, slots=True)
class Message:
    """A posted message as the index keeps it; ``text`` is the original text."""

    message_id: str
    text: str
    account: str | None = None
    group: str | None = None
    at: datetime | None = None
    bad: bool = False

    def same_poster(self, other: Message) -> bool:
        """Whether both were posted by the same account in the same group (or chat)."""
        return self.account == other.account and self.group == other.group


@dataclass(frozen=True, slots=True)
class Match:
    """An indexed message near a query, with the estimated Jaccard similarity of their
    shingle sets and, from ``confirm_bad``, the fragments they share."""

    message_id: str
    account: str | None
    group: str | None
    similarity: float
    bad: bool = False
    shared: tuple[SharedFragment, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexSettings:
    """How signatures are computed and compared; fixed when an index is created.

    ``threshold`` is the default for queries and the similarity at which two messages
    join one campaign. With 42 bands of 3 rows, a pair at similarity 0.5 becomes an
    LSH candidate with probability 0.996 and a pair at 0.4 with 0.93; below ~0.35,
    queries miss matches (see docs/campaigns.md).
    """

    num_perm: int = 128
    bands: int = 42
    rows: int = 3
    seed: int = 1
    threshold: float = 0.5

    def __post_init__(self) -> None:
        if self.bands < 1 or self.rows < 1 or self.bands * self.rows > self.num_perm:
            raise ValueError("bands * rows must be between 1 and num_perm")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
