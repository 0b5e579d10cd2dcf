"""Text lines in an image, read with RapidOCR (PP-OCRv4 Chinese models on ONNX Runtime).

The models ship inside the ``rapidocr-onnxruntime`` wheel, so nothing is downloaded at
run time. Creating the engine loads three models (about 16 MB) and takes a noticeable
fraction of a second, so one engine is created lazily and shared by the whole process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from PIL import Image

from jingwang.adapters.images.scaling import shrink

# Larger images are shrunk so that their longer side has this many pixels before OCR.
# Text detection runs at most at DETECTION_MAX_SIDE anyway; the recogniser works on
# crops of the image it is given, and 1600 keeps ordinary chat text (about 30 px high on
# a 1080×2400 screenshot) legible while bounding the cost of phone photos and scans.
OCR_MAX_SIDE: Final = 1600
DETECTION_MAX_SIDE: Final = 960
DEFAULT_MIN_CONFIDENCE: Final = 0.6

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One line of text; ``box`` is its quadrilateral in the original image's pixels."""

    text: str
    box: tuple[Point, Point, Point, Point]
    confidence: float


class OcrEngine:
    """A RapidOCR engine; ``read`` is safe to call from several threads.

    ``threads`` is ONNX Runtime's intra-op thread count (``-1``: one per core). With
    ``jingwang scan --workers N`` set it to about ``cores / N`` to avoid oversubscription.
    """

    def __init__(self, threads: int = -1) -> None:
        # Imported here: loading OpenCV and ONNX Runtime costs time that commands which
        # never read an image should not pay.
        from rapidocr_onnxruntime import RapidOCR  # type: ignore[import-untyped]  # noqa: PLC0415

        self._engine: Any = RapidOCR(
            intra_op_num_threads=threads,
            inter_op_num_threads=1,
            # Detect at most at 960 px on the longer side; the library default scales the
            # *shorter* side up to 736 px, which makes a wide chat strip several times slower.
            det_limit_type="max",
            det_limit_side_len=DETECTION_MAX_SIDE,
            # Every line comes back; ``read`` applies the caller's confidence cut-off.
            text_score=0.0,
        )
        # RapidOCR keeps per-call state on the engine object, so calls are serialised;
        # ONNX Runtime already spreads one call over the cores.
        self._lock = threading.Lock()

    def read(
        self, image: Image.Image, min_confidence: float = DEFAULT_MIN_CONFIDENCE
    ) -> list[OcrLine]:
        """The lines of ``image`` (RGB) read with at least ``min_confidence``, top to bottom."""
        scaled, factor = shrink(image, OCR_MAX_SIDE)
        # RapidOCR follows OpenCV's channel order, blue first.
        pixels = np.ascontiguousarray(np.asarray(scaled)[:, :, ::-1])
        with self._lock:
            result, _timings = self._engine(pixels)
        lines: list[OcrLine] = []
        for box, text, confidence in result or ():
            stripped = str(text).strip()
            if stripped and float(confidence) >= min_confidence:
                lines.append(OcrLine(stripped, _corners(box, factor), float(confidence)))
        return lines


def _corners(box: Any, factor: float) -> tuple[Point, Point, Point, Point]:
    """RapidOCR's four ``[x, y]`` corners, scaled back to the original image."""
    a, b, c, d = ((float(x) * factor, float(y) * factor) for x, y in box)
    return (a, b, c, d)


_shared: OcrEngine | None = None
_shared_lock = threading.Lock()


def shared_engine() -> OcrEngine:
    """The process-wide engine, created on first use."""
    global _shared  # noqa: PLW0603 - a lazily created process-wide singleton
    with _shared_lock:
        if _shared is None:
            _shared = OcrEngine()
        return _shared
