"""A small, pickle-free linear text classifier: features, inference, artifact format, metrics.

Everything here is pure numpy so that the scan path needs no scikit-learn; training
(``jingwang.training``) writes artifacts that :func:`load_model` reads back.
"""

from jingwang.core.model.artifact import ArtifactError, load_model, save_model
from jingwang.core.model.features import char_ngrams, pinyin_ngrams, pinyin_tokens
from jingwang.core.model.linear import Block, Head, LinearModel, Prediction, Space
from jingwang.core.model.metrics import ClassificationReport, classification_report

__all__ = [
    "ArtifactError",
    "Block",
    "ClassificationReport",
    "Head",
    "LinearModel",
    "Prediction",
    "Space",
    "char_ngrams",
    "classification_report",
    "load_model",
    "pinyin_ngrams",
    "pinyin_tokens",
    "save_model",
]
