"""Scanning a report's evidence, keeping the texts the scan read for reviewers to see."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from jingwang.core.detect.base import TextView, prepare
from jingwang.core.io import decision_to_dict
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Decision, Finding, ScanItem

# A report is verified without a person only when the pipeline blocks it with at least
# this score: below it, a wrong strike costs more than the wait for a reviewer.
CLEAR_CUT_SCORE: Final = 0.9


def scan_evidence(
    scanner: Scanner, item_id: str, evidence: Mapping[str, Any]
) -> tuple[Decision, dict[str, Any]]:
    """The decision on the evidence, and a JSON-able record of it for the case: the
    contract's output plus every text the detectors read (the report's own text, OCR
    lines of its images, landing pages with their redirect chains)."""
    item = ScanItem(
        id=item_id,
        text=evidence.get("text") or None,
        images=tuple(evidence.get("images") or ()),
    )
    extra: list[TextView] = []
    found: list[Finding] = []
    # The same steps as Scanner.findings, keeping the views the sources derived.
    for source in scanner.sources:
        inspection = source.inspect(item)
        extra.extend(inspection.views)
        found.extend(inspection.findings)
    normalized = prepare(item, extra)
    for detector in scanner.detectors:
        found.extend(detector.detect(normalized))
    decision = scanner.decider.decide(item.id, found)
    views = [
        {"source": view.source, "text": view.original, "chain": list(view.chain)}
        for view in normalized.views
    ]
    return decision, {**decision_to_dict(decision), "views": views}


def is_clear_cut(decision: Decision) -> bool:
    return decision.decision == "block" and any(
        label.score >= CLEAR_CUT_SCORE for label in decision.labels
    )


def has_content(evidence: Mapping[str, Any]) -> bool:
    return bool(evidence.get("text") or evidence.get("images"))
