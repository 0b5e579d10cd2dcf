"""Precision, recall and F1 of the article detector on data/articles, per label.

    .venv/bin/python benchmarks/eval_articles.py [--errors]

Each article is scanned by ``ArticleDetector`` and fused by the default ``Decider``; a
label counts as predicted when the decision reports it at the review threshold or
above (the dataset's ``vulgar`` is the contract's ``porn`` label). Dev and train are
reported separately: the weights were fitted on train, so train numbers flatter.
``--errors`` lists every article a label got wrong, with its score; ``--no-kb`` runs
with an empty rumour knowledge base, to show what the patterns alone achieve (some
dataset rumours are variants of seed rumours, as recirculated rumours are).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from jingwang.core.decide import Decider
from jingwang.core.detect.article import ArticleDetector, RumorKnowledgeBase
from jingwang.core.detect.base import prepare
from jingwang.core.io import parse_item
from jingwang.core.types import Decision

DATA = Path(__file__).resolve().parent.parent / "data" / "articles"
# Dataset label → the contract label that reports it.
REPORTED_AS = {"clickbait": "clickbait", "rumor": "rumor", "vulgar": "porn"}


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


def load(split: str) -> list[dict[str, object]]:
    lines = (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def decide_all(rows: list[dict[str, object]], use_kb: bool = True) -> list[Decision]:
    detector = ArticleDetector() if use_kb else ArticleDetector(RumorKnowledgeBase())
    decider = Decider()
    review = decider.thresholds.review
    decisions = []
    for row in rows:
        item = parse_item(row)
        decision = decider.decide(item.id, detector.detect(prepare(item)))
        kept = tuple(result for result in decision.labels if result.score >= review)
        decisions.append(Decision(decision.id, decision.decision, kept))
    return decisions


def evaluate(rows: list[dict[str, object]], use_kb: bool = True) -> dict[str, Scores]:
    decisions = decide_all(rows, use_kb)
    scores = {}
    for name, label in REPORTED_AS.items():
        truth = [row["label"] == name for row in rows]
        predicted = [any(r.label == label for r in d.labels) for d in decisions]
        tp = sum(t and p for t, p in zip(truth, predicted, strict=True))
        precision = tp / max(1, sum(predicted))
        recall = tp / max(1, sum(truth))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[name] = Scores(precision, recall, f1, sum(truth))
    return scores


def print_errors(rows: list[dict[str, object]], use_kb: bool) -> None:
    for row, decision in zip(rows, decide_all(rows, use_kb), strict=True):
        got = {r.label: r.score for r in decision.labels}
        for name, label in REPORTED_AS.items():
            if (row["label"] == name) != (label in got):
                kind = "missed" if row["label"] == name else "false"
                print(f"  {kind:6} {name:9} {row['id']:14} {got} {row.get('title', '')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list misclassified articles")
    parser.add_argument("--no-kb", action="store_true", help="empty rumour knowledge base")
    args = parser.parse_args()
    for split in ("dev", "train"):
        rows = load(split)
        print(f"{split}: {len(rows)} articles")
        print(f"  {'label':10} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}")
        for name, s in evaluate(rows, not args.no_kb).items():
            print(f"  {name:10} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:4d}")
        if args.errors:
            print_errors(rows, not args.no_kb)


if __name__ == "__main__":
    main()
