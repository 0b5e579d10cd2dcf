"""Detectors: one protocol, registered through the ``jingwang.detectors`` entry points."""

from jingwang.core.detect.base import (
    Detector,
    Inspection,
    NormalizedItem,
    TextView,
    ViewSource,
    prepare,
)

__all__ = ["Detector", "Inspection", "NormalizedItem", "TextView", "ViewSource", "prepare"]
