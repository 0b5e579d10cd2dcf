"""Acceptance: F1 >= 0.90 per label on the dev split (benchmarks/eval_articles.py)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from support import load_module

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "eval_articles.py"
TARGET_F1 = 0.90


def _eval_module() -> ModuleType:
    return load_module("eval_articles", SCRIPT)


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
