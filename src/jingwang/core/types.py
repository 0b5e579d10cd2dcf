"""Plain data passed between the stages of a scan: items in, findings, decisions out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["pass", "review", "block"]
FindingKind = Literal["violation", "signal"]


@dataclass(frozen=True, slots=True)
class ScanItem:
    """One input object of ``jingwang scan`` / ``POST /v1/scan`` after validation."""

    id: str
    text: str | None = None
    images: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    surface: str | None = None
    account: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of an original text: ``original[start:end] == text``."""

    start: int
    end: int
    text: str
    source: str = "text"


@dataclass(frozen=True, slots=True)
class Finding:
    """What one detector saw.

    ``kind == "violation"`` findings carry a contract label (``porn``, ``fraud`` …) and
    a score in [0, 1]. ``kind == "signal"`` findings carry facts the decision layer
    weighs (``contact``, ``url``, ``price``, ``news_context`` …) and are never reported
    as labels themselves. ``evasion`` is true when the match was only possible through
    an evasion-undoing path (inserted symbols, homophones, pinyin, look-alikes …).
    """

    detector: str
    label: str
    score: float
    evidence: tuple[Evidence, ...] = ()
    subcategory: str | None = None
    kind: FindingKind = "violation"
    evasion: bool = False
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class LabelResult:
    label: str
    score: float
    subcategory: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome for one item: a verdict and labels sorted by score, highest first."""

    id: str
    decision: Verdict
    labels: tuple[LabelResult, ...] = ()
    evasion: bool = False
    findings: tuple[Finding, ...] = field(default=(), compare=False)
