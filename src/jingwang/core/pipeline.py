"""The scan pipeline: normalise once, run the detectors, fuse their findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from jingwang.core.decide import Decider
from jingwang.core.detect import registry
from jingwang.core.detect.base import Detector, prepare
from jingwang.core.types import Decision, Finding, ScanItem


class Scanner:
    """Runs a fixed set of detectors over items; safe to share between threads."""

    def __init__(self, detectors: Sequence[Detector], decider: Decider | None = None) -> None:
        self.detectors = tuple(detectors)
        self.decider = decider or Decider()

    @classmethod
    def from_names(cls, names: Iterable[str] | None = None) -> Scanner:
        """A scanner with the named installed detectors (all of them when None)."""
        return cls(registry.load(names))

    def findings(self, item: ScanItem) -> list[Finding]:
        normalized = prepare(item)
        found: list[Finding] = []
        for detector in self.detectors:
            found.extend(detector.detect(normalized))
        return found

    def scan(self, item: ScanItem) -> Decision:
        return self.decider.decide(item.id, self.findings(item))

    def scan_many(self, items: Iterable[ScanItem]) -> Iterator[Decision]:
        for item in items:
            yield self.scan(item)
