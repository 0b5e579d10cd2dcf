"""Images an item references: loading within limits, OCR, QR codes and known-bad hashes."""

from jingwang.adapters.images.hashlist import (
    DEFAULT_HASH_LIST,
    DEFAULT_PDQ_THRESHOLD,
    HashListError,
    HashListFile,
    KnownImage,
)
from jingwang.adapters.images.loading import ImageLimits, load_image
from jingwang.adapters.images.ocr import OcrEngine, OcrLine, shared_engine
from jingwang.adapters.images.pdq import PdqHash, pdq_hash
from jingwang.adapters.images.source import HASH_DETECTOR, ImageOptions, ImageSource
from jingwang.core.detect.base import Inspection

__all__ = [
    "DEFAULT_HASH_LIST",
    "DEFAULT_PDQ_THRESHOLD",
    "HASH_DETECTOR",
    "HashListError",
    "HashListFile",
    "ImageLimits",
    "ImageOptions",
    "ImageSource",
    "Inspection",
    "KnownImage",
    "OcrEngine",
    "OcrLine",
    "PdqHash",
    "load_image",
    "pdq_hash",
    "shared_engine",
]
