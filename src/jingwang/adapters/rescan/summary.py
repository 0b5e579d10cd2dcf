"""What a rescan changed: decisions against the stored ones, overall and by label."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jingwang.adapters.storage import EventRecord


def _label_names(labels: Iterable[Mapping[str, Any]]) -> set[str]:
    return {str(label["label"]) for label in labels}


@dataclass(slots=True)
class RescanSummary:
    rescanned: int = 0
    # Archived events with no stored decision: never enforced, or enforced elsewhere.
    not_stored: int = 0
    changed: int = 0
    # "pass->block": how many decisions moved that way.
    transitions: Counter[str] = field(default_factory=Counter)
    labels_added: Counter[str] = field(default_factory=Counter)
    labels_removed: Counter[str] = field(default_factory=Counter)
    # Archived events the scanner refused (invalid content): no new decision.
    invalid: int = 0

    def add(
        self, stored: EventRecord | None, decision: str, labels: Iterable[Mapping[str, Any]]
    ) -> bool:
        """Count one new decision; returns whether it differs from the stored one."""
        self.rescanned += 1
        if stored is None:
            self.not_stored += 1
            return False
        old, new = _label_names(stored.labels), _label_names(labels)
        changed = stored.decision != decision or old != new
        if changed:
            self.changed += 1
            if stored.decision != decision:
                self.transitions[f"{stored.decision}->{decision}"] += 1
            self.labels_added.update(new - old)
            self.labels_removed.update(old - new)
        return changed

    def to_dict(self) -> dict[str, Any]:
        return {
            "rescanned": self.rescanned,
            "not_stored": self.not_stored,
            "invalid": self.invalid,
            "changed": self.changed,
            "transitions": dict(sorted(self.transitions.items())),
            "labels_added": dict(sorted(self.labels_added.items())),
            "labels_removed": dict(sorted(self.labels_removed.items())),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RescanSummary:
        return cls(
            rescanned=int(data["rescanned"]),
            not_stored=int(data["not_stored"]),
            invalid=int(data["invalid"]),
            changed=int(data["changed"]),
            transitions=Counter(data["transitions"]),
            labels_added=Counter(data["labels_added"]),
            labels_removed=Counter(data["labels_removed"]),
        )
