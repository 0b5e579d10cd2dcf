"""Helpers shared by the article tests."""

from __future__ import annotations

from jingwang.core.decide import Decider
from jingwang.core.detect.article import ArticleDetector
from jingwang.core.detect.base import prepare
from jingwang.core.types import Decision, Finding, ScanItem

DETECTOR = ArticleDetector()


def article(text: str, title: str | None = None, surface: str | None = "article") -> ScanItem:
    return ScanItem("a1", text=text, surface=surface, title=title)


def findings(item: ScanItem, detector: ArticleDetector = DETECTOR) -> list[Finding]:
    return detector.detect(prepare(item))


def decide(item: ScanItem, detector: ArticleDetector = DETECTOR) -> Decision:
    return Decider().decide(item.id, findings(item, detector))


def label_scores(decision: Decision) -> dict[str, float]:
    return {result.label: result.score for result in decision.labels}


def assert_evidence_valid(item: ScanItem, found: list[Finding]) -> None:
    for finding in found:
        for evidence in finding.evidence:
            original = item.title if evidence.source == "title" else item.text
            assert original is not None, evidence
            assert original[evidence.start : evidence.end] == evidence.text, evidence
            assert evidence.text, evidence
