"""The detector protocol and the normalised view of an item that detectors receive."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from jingwang.core.normalize import Normalized, normalize
from jingwang.core.types import Finding, ScanItem


@dataclass(frozen=True, slots=True)
class TextView:
    """One text of an item (its body, an OCR line, a landing page) and its normal form.

    ``source`` is what evidence from this view carries: ``text``, ``ocr:<image>`` or
    ``url:<final URL>``. ``chain`` is the redirect chain that led to a landing page
    (first URL to final URL), empty for other views.
    """

    source: str
    normalized: Normalized
    chain: tuple[str, ...] = ()

    @property
    def original(self) -> str:
        return self.normalized.original


@dataclass(frozen=True, slots=True)
class NormalizedItem:
    item: ScanItem
    views: tuple[TextView, ...]


def prepare(item: ScanItem, extra_views: Sequence[TextView] = ()) -> NormalizedItem:
    """Normalise an item's text once so that every detector shares the work."""
    views: list[TextView] = []
    if item.text:
        views.append(TextView("text", normalize(item.text)))
    views.extend(extra_views)
    return NormalizedItem(item, tuple(views))


@dataclass(frozen=True, slots=True)
class Inspection:
    """What a source derived from an item's references: extra views for every detector,
    and findings it could only make while holding the referenced object (a perceptual
    hash match needs the decoded image)."""

    views: tuple[TextView, ...] = ()
    findings: tuple[Finding, ...] = ()


@runtime_checkable
class ViewSource(Protocol):
    """Inspects what an item references: OCR of its images, the landing pages of its
    links. Implementations do I/O and so live in the adapters; they raise
    :class:`jingwang.core.io.ItemError` when a reference cannot be used (an unreadable
    image, a malformed URL), which the item's caller reports as an error object.
    """

    name: str

    def references(self, item: ScanItem) -> bool:
        """Whether ``inspect`` has anything to do for this item (an image to read, a
        link to follow); a caller keeps items without references off its thread pool."""
        ...

    def inspect(self, item: ScanItem) -> Inspection: ...


@runtime_checkable
class Detector(Protocol):
    """A detector is stateless after construction, thread-safe and deterministic.

    ``detect`` never raises on odd input and every evidence span it returns indexes the
    original text of the view it came from.
    """

    name: str
    labels: tuple[str, ...]

    def detect(self, item: NormalizedItem) -> list[Finding]: ...


@runtime_checkable
class BatchDetector(Detector, Protocol):
    """A detector that is faster on many items at once (the classifier does its numpy
    work once per batch instead of once per text).

    ``detect_batch(items)[k]`` equals ``detect(items[k])``; the scanner hands it the
    items of a batch together and falls back to ``detect`` item by item if it raises.
    """

    def detect_batch(self, items: Sequence[NormalizedItem]) -> list[list[Finding]]: ...
