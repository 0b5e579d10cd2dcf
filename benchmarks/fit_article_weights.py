"""Fit the article label models on data/articles/train.jsonl and write their weights.

    .venv/bin/python benchmarks/fit_article_weights.py [--check]

One L2-regularised logistic regression per label (clickbait, rumor, vulgar: that label
against every other article) over the features of ``jingwang.core.detect.article``.
The weights go to ``src/jingwang/resources/articles/weights.json`` as plain numbers,
rounded so that diffs stay readable. Only the train split is read; the dev split is
for ``benchmarks/eval_articles.py``. ``--check`` exits 1 when the file is stale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from jingwang.core.detect.article.document import parse_article
from jingwang.core.detect.article.features import FEATURE_NAMES, extract
from jingwang.core.io import parse_item

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "data" / "articles" / "train.jsonl"
WEIGHTS = ROOT / "src" / "jingwang" / "resources" / "articles" / "weights.json"
# Each label sees only the features that describe it: a rumour can be clickbait as well,
# and in a dataset of exclusive labels a shared feature would learn a spurious negative.
LABEL_FEATURES = {
    "clickbait": (
        "bait",
        "promise",
        "deictic",
        "title_ad",
        "uncovered",
        "ad_tail",
        "explain",
        "bait_unmatched",
        "promise_unpaid",
    ),
    "rumor": (
        "chain",
        "urgency",
        "authority",
        "conspiracy",
        "health_claim",
        "harm_event",
        "fake_notice",
        "absolutist",
        "credible",
        "hedge",
    ),
    "vulgar": ("vulgar_title", "vulgar", "vulgar_strong", "safe_context"),
}
# Strong enough regularisation that no single cue word can block on its own.
REGULARISATION_C = 0.5


def feature_matrix(rows: list[dict[str, object]]) -> np.ndarray:
    vectors = []
    for row in rows:
        article = parse_article(parse_item(row))
        if article is None:
            raise SystemExit(f"{row['id']}: not an article")
        values = extract(article).values
        vectors.append([values.get(name, 0.0) for name in FEATURE_NAMES])
    return np.array(vectors, dtype=float)


def fit(rows: list[dict[str, object]]) -> dict[str, object]:
    x = feature_matrix(rows)
    labels: dict[str, object] = {}
    for label, names in LABEL_FEATURES.items():
        columns = [FEATURE_NAMES.index(name) for name in names]
        y = np.array([row["label"] == label for row in rows], dtype=int)
        model = LogisticRegression(C=REGULARISATION_C, max_iter=2000).fit(x[:, columns], y)
        weights = {name: round(float(w), 3) for name, w in zip(names, model.coef_[0], strict=True)}
        labels[label] = {"bias": round(float(model.intercept_[0]), 3), "weights": weights}
    return {"fitted_on": "data/articles/train.jsonl", "labels": labels}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the file")
    args = parser.parse_args()
    rows = [json.loads(line) for line in TRAIN.read_text(encoding="utf-8").splitlines() if line]
    text = json.dumps(fit(rows), ensure_ascii=False, indent=2) + "\n"
    if args.check:
        stale = WEIGHTS.read_text(encoding="utf-8") != text
        print("weights.json is stale" if stale else "weights.json is up to date")
        return int(stale)
    WEIGHTS.write_text(text, encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(ROOT)} from {len(rows)} training articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
