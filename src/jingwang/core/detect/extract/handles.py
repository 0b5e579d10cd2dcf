"""Collecting repeated sightings of one thing (a handle, a URL) into one finding."""

from __future__ import annotations

from dataclasses import dataclass

from jingwang.core.detect.base import TextView
from jingwang.core.types import Evidence

# A message that repeats its handle a hundred times needs no hundred spans as proof.
MAX_EVIDENCE = 20


@dataclass(slots=True)
class Sighting:
    key: str
    evidence: tuple[Evidence, ...] = ()
    evasive: bool = False


class HandleCollector:
    """Groups evidence by key, in order of first sighting, without duplicate spans."""

    def __init__(self) -> None:
        self._by_key: dict[str, Sighting] = {}
        self._seen: set[tuple[str, str, int, int]] = set()

    def __contains__(self, key: str) -> bool:
        return key in self._by_key

    def add(self, key: str, view: TextView, start: int, end: int, evasive: bool) -> None:
        self.add_evidence(key, Evidence(start, end, view.original[start:end], view.source), evasive)

    def add_evidence(self, key: str, evidence: Evidence, evasive: bool) -> None:
        sighting = self._by_key.setdefault(key, Sighting(key))
        sighting.evasive = sighting.evasive or evasive
        span = (key, evidence.source, evidence.start, evidence.end)
        if span in self._seen or len(sighting.evidence) >= MAX_EVIDENCE:
            return
        self._seen.add(span)
        sighting.evidence = (*sighting.evidence, evidence)

    def handles(self) -> list[Sighting]:
        return list(self._by_key.values())
