"""Gang-member precision and recall against ground truth."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MemberScores:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        members = self.true_positives + self.false_negatives
        return self.true_positives / members if members else 1.0


def member_scores(flagged: Collection[str], truth: Mapping[str, str | None]) -> MemberScores:
    """Scores of ``flagged`` accounts against ``truth`` (account → gang id or ``None``);
    accounts missing from the truth count as not gang members."""
    flagged_set = set(flagged)
    members = {account for account, gang in truth.items() if gang is not None}
    true_positives = len(flagged_set & members)
    return MemberScores(
        true_positives, len(flagged_set) - true_positives, len(members) - true_positives
    )
