"""The scan pipeline: normalise once, run the detectors, fuse their findings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from jingwang.core.decide import Decider
from jingwang.core.detect import registry
from jingwang.core.detect.base import Detector, TextView, ViewSource, prepare
from jingwang.core.types import Decision, Finding, ScanItem


class Scanner:
    """Runs a fixed set of detectors over items; safe to share between threads.

    ``sources`` add views of what an item references (OCR text of its images, landing
    pages of its links) before the detectors run, so every detector sees them too.
    """

    def __init__(
        self,
        detectors: Sequence[Detector],
        decider: Decider | None = None,
        sources: Sequence[ViewSource] = (),
    ) -> None:
        self.detectors = tuple(detectors)
        self.decider = decider or Decider()
        self.sources = tuple(sources)

    @classmethod
    def from_names(
        cls, names: Iterable[str] | None = None, sources: Sequence[ViewSource] = ()
    ) -> Scanner:
        """A scanner with the named installed detectors (all of them when None)."""
        return cls(registry.load(names), sources=sources)

    def reaches_out(self, item: ScanItem) -> bool:
        """Whether scanning ``item`` would read images or follow links (slow, I/O), as
        opposed to scanning its text alone."""
        return any(source.references(item) for source in self.sources)

    def findings(self, item: ScanItem) -> list[Finding]:
        extra: list[TextView] = []
        found: list[Finding] = []
        for source in self.sources:
            inspection = source.inspect(item)
            extra.extend(inspection.views)
            found.extend(inspection.findings)
        normalized = prepare(item, extra)
        for detector in self.detectors:
            found.extend(detector.detect(normalized))
        return found

    def scan(self, item: ScanItem) -> Decision:
        return self.decider.decide(item.id, self.findings(item))

    def scan_many(self, items: Iterable[ScanItem]) -> Iterator[Decision]:
        for item in items:
            yield self.scan(item)
