"""What an item's images say: OCR lines and QR payloads as views, known-bad images as findings.

Each image is opened once per item; its text lines, QR codes and PDQ hash are all
computed from that one decoded copy.

* Every OCR line is its own view with source ``ocr:<image as given>``, so evidence
  offsets index that line, as the contract says. A phrase that wraps onto the next
  line is therefore seen as two texts.
* Every QR payload is a view with source ``qr:<image as given>`` whose text is the
  payload itself, so the link detector treats a URL hidden in a QR code like a typed one.
* A PDQ match against the known-bad list is a finding of detector ``image_hash`` with
  the listed label and an empty evidence span whose source is ``image:<image as given>``.
  Detectors in the core do no I/O, so the match is made here, while the image is open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from PIL import Image

from jingwang.adapters.images.hashlist import DEFAULT_PDQ_THRESHOLD, HashIndex, HashListFile
from jingwang.adapters.images.loading import ImageLimits, load_image
from jingwang.adapters.images.ocr import DEFAULT_MIN_CONFIDENCE, OcrEngine, shared_engine
from jingwang.adapters.images.pdq import pdq_hash
from jingwang.adapters.images.qr import read_qr_codes
from jingwang.core.detect.base import Inspection, TextView
from jingwang.core.normalize import normalize
from jingwang.core.types import Evidence, Finding, ScanItem

HASH_DETECTOR: Final = "image_hash"
# An identical image scores 0.99; the score falls linearly to 0.70 at the threshold, so
# exact and close copies are blocked while borderline ones go to a reviewer.
EXACT_MATCH_SCORE: Final = 0.99
THRESHOLD_MATCH_SCORE: Final = 0.70


@dataclass(frozen=True, slots=True)
class ImageOptions:
    limits: ImageLimits = field(default_factory=ImageLimits)
    ocr: bool = True
    qr: bool = True
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    pdq_threshold: int = DEFAULT_PDQ_THRESHOLD


class ImageSource:
    """A :class:`~jingwang.core.detect.base.ViewSource` for ``images``, with hash findings.

    ``inspect`` returns views and findings in one pass over the images. Raises
    :class:`jingwang.core.io.ItemError` for an image that cannot be used.
    """

    name = "images"

    def __init__(
        self,
        options: ImageOptions | None = None,
        hash_list: HashListFile | None = None,
        engine: OcrEngine | None = None,
    ) -> None:
        self.options = options or ImageOptions()
        self.hash_list = hash_list
        self._engine = engine

    def references(self, item: ScanItem) -> bool:
        return bool(item.images)

    def inspect(self, item: ScanItem) -> Inspection:
        views: list[TextView] = []
        findings: list[Finding] = []
        index = self.hash_list.index() if self.hash_list else HashIndex(())
        for ref in dict.fromkeys(item.images):
            image = load_image(ref, self.options.limits, item.id)
            if index.entries:
                findings.extend(self._hash_findings(ref, image, index))
            views.extend(self._text_views(ref, image))
        return Inspection(tuple(views), tuple(findings))

    def _text_views(self, ref: str, image: Image.Image) -> list[TextView]:
        views: list[TextView] = []
        if self.options.ocr:
            engine = self._engine or shared_engine()
            for line in engine.read(image, self.options.min_confidence):
                views.append(TextView(f"ocr:{ref}", normalize(line.text)))
        if self.options.qr:
            for payload in read_qr_codes(image):
                views.append(TextView(f"qr:{ref}", normalize(payload)))
        return views

    def _hash_findings(self, ref: str, image: Image.Image, index: HashIndex) -> list[Finding]:
        digest = pdq_hash(image)
        if not digest.useful:
            return []
        threshold = self.options.pdq_threshold
        nearest: dict[tuple[str, str | None], int] = {}
        for match in index.matches(digest.hex, threshold):
            nearest.setdefault((match.entry.label, match.entry.subcategory), match.distance)
        return [
            Finding(
                detector=HASH_DETECTOR,
                label=label,
                subcategory=subcategory,
                score=match_score(distance, threshold),
                evidence=(Evidence(0, 0, "", source=f"image:{ref}"),),
                detail=f"pdq:{distance}",
            )
            for (label, subcategory), distance in nearest.items()
        ]


def match_score(distance: int, threshold: int) -> float:
    """The finding score of a match ``distance`` bits away, given the match threshold."""
    if threshold <= 0:
        return EXACT_MATCH_SCORE
    fraction = min(distance / threshold, 1.0)
    return round(EXACT_MATCH_SCORE - (EXACT_MATCH_SCORE - THRESHOLD_MATCH_SCORE) * fraction, 4)
