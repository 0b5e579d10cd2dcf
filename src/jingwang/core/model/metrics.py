"""Classification metrics in plain numpy: accuracy, per-class P/R/F1, macro-F1, confusion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ClassMetrics:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class ClassificationReport:
    labels: tuple[str, ...]
    per_class: tuple[ClassMetrics, ...]
    accuracy: float
    macro_f1: float
    confusion: tuple[tuple[int, ...], ...]  # rows: true label, columns: predicted label
    n: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "labels": list(self.labels),
            "per_class": {
                m.label: {
                    "precision": m.precision,
                    "recall": m.recall,
                    "f1": m.f1,
                    "support": m.support,
                }
                for m in self.per_class
            },
            "confusion_matrix": [list(row) for row in self.confusion],
        }

    def metric(self, label: str) -> ClassMetrics:
        for m in self.per_class:
            if m.label == label:
                return m
        raise KeyError(label)


def _div(a: float, b: float) -> float:
    return a / b if b else 0.0


def classification_report(
    y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str] | None = None
) -> ClassificationReport:
    """Metrics over ``labels`` (default: every label seen, sorted).

    Macro-F1 averages over the labels that occur in ``y_true`` (a label that is only ever
    predicted still shows up in the confusion matrix and per-class table).
    """
    if len(y_true) != len(y_pred):
        raise ValueError("y_true and y_pred differ in length")
    names = tuple(labels) if labels is not None else tuple(sorted(set(y_true) | set(y_pred)))
    pos = {label: i for i, label in enumerate(names)}
    k = len(names)
    matrix = [[0] * k for _ in range(k)]
    for t, p in zip(y_true, y_pred, strict=True):
        if t not in pos or p not in pos:
            raise ValueError(f"label outside the report's labels: {t if t not in pos else p!r}")
        matrix[pos[t]][pos[p]] += 1
    per_class: list[ClassMetrics] = []
    for i, label in enumerate(names):
        tp = matrix[i][i]
        support = sum(matrix[i])
        predicted = sum(row[i] for row in matrix)
        precision = _div(tp, predicted)
        recall = _div(tp, support)
        f1 = _div(2 * precision * recall, precision + recall)
        per_class.append(ClassMetrics(label, precision, recall, f1, support))
    present = [m for m in per_class if m.support > 0]
    n = len(y_true)
    return ClassificationReport(
        labels=names,
        per_class=tuple(per_class),
        accuracy=_div(sum(matrix[i][i] for i in range(k)), n),
        macro_f1=_div(sum(m.f1 for m in present), len(present)),
        confusion=tuple(tuple(row) for row in matrix),
        n=n,
    )
