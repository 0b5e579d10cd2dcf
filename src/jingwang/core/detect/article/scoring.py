"""Logistic label models over article features, weights read from a packaged JSON file.

``resources/articles/weights.json`` holds, per label, a bias and one weight per feature;
it is fitted on ``data/articles/train.jsonl`` by ``benchmarks/fit_article_weights.py``
(no pickles: the file is plain numbers that can be read and reviewed).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from jingwang.core.detect.article.features import FEATURE_NAMES, Features


@dataclass(frozen=True, slots=True)
class LabelModel:
    bias: float
    weights: dict[str, float]

    def score(self, features: Features) -> float:
        z = self.bias + sum(w * features.values.get(n, 0.0) for n, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))

    def reasons(self, features: Features) -> list[str]:
        """Features that pushed this score up, strongest first."""
        pushes = {n: w * features.values.get(n, 0.0) for n, w in self.weights.items()}
        return sorted((n for n, p in pushes.items() if p > 0), key=lambda n: -pushes[n])


def parse_models(obj: Any) -> dict[str, LabelModel]:
    if not isinstance(obj, dict) or not isinstance(obj.get("labels"), dict):
        raise ValueError("weights file must be an object with a 'labels' object")
    models: dict[str, LabelModel] = {}
    for label, spec in obj["labels"].items():
        weights = {str(k): float(v) for k, v in spec["weights"].items()}
        unknown = set(weights) - set(FEATURE_NAMES)
        if unknown:
            raise ValueError(f"weights for unknown features: {sorted(unknown)}")
        models[str(label)] = LabelModel(float(spec["bias"]), weights)
    return models


@cache
def packaged_models() -> dict[str, LabelModel]:
    resource = files("jingwang").joinpath("resources", "articles", "weights.json")
    return parse_models(json.loads(resource.read_text(encoding="utf-8")))
