"""Evidence spans from the scan, cut into the texts they point at for display."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text; ``labels`` name what flagged it (empty: not evidence)."""

    text: str
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ShownView:
    source: str
    segments: tuple[Segment, ...]
    chain: tuple[str, ...]

    @property
    def kind(self) -> str:
        """``text``, ``ocr``, ``qr`` or ``url``: what part of the item the text came from."""
        return self.source.split(":", 1)[0]

    @property
    def ref(self) -> str:
        """The image or final URL the text came from; empty for the item's own text."""
        return self.source.split(":", 1)[1] if ":" in self.source else ""


def _spans(labels: Iterable[Mapping[str, Any]], source: str) -> list[tuple[int, int, str]]:
    spans = []
    for label in labels:
        for evidence in label.get("evidence", ()):
            if evidence.get("source", "text") == source and evidence["end"] > evidence["start"]:
                spans.append((int(evidence["start"]), int(evidence["end"]), str(label["label"])))
    return spans


def segments(text: str, spans: Iterable[tuple[int, int, str]]) -> tuple[Segment, ...]:
    """``text`` cut at every span boundary; overlapping spans both label their overlap."""
    spans = [(max(0, s), min(len(text), e), label) for s, e, label in spans]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for start, end in pairwise(cuts):
        labels = tuple(sorted({label for s, e, label in spans if s <= start and end <= e}))
        out.append(Segment(text[start:end], labels))
    return tuple(segment for segment in out if segment.text)


def shown_views(verification: Mapping[str, Any]) -> list[ShownView]:
    labels = verification.get("labels", ())
    return [
        ShownView(
            source=view["source"],
            segments=segments(view["text"], _spans(labels, view["source"])),
            chain=tuple(view.get("chain", ())),
        )
        for view in verification.get("views", ())
    ]
