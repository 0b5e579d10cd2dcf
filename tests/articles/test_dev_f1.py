"""Acceptance: F1 >= 0.90 per label on the dev split (benchmarks/eval_articles.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "eval_articles.py"
TARGET_F1 = 0.90


def _eval_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_articles", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("label", ["clickbait", "rumor", "vulgar"])
def test_dev_f1_reaches_target(label: str) -> None:
    evaluation = _eval_module()
    scores = evaluation.evaluate(evaluation.load("dev"))
    assert scores[label].f1 >= TARGET_F1, scores[label]


def test_dataset_is_large_enough_with_a_dev_split() -> None:
    evaluation = _eval_module()
    dev, train = evaluation.load("dev"), evaluation.load("train")
    assert len(dev) >= 100 and len(dev) + len(train) >= 300
    assert not {row["id"] for row in dev} & {row["id"] for row in train}
    assert {row["label"] for row in dev} == {"rumor", "clickbait", "vulgar", "normal"}
