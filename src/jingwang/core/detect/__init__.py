"""Detectors: one protocol, registered through the ``jingwang.detectors`` entry points."""

from jingwang.core.detect.base import Detector, NormalizedItem, TextView, ViewSource, prepare

__all__ = ["Detector", "NormalizedItem", "TextView", "ViewSource", "prepare"]
