"""Cost of the learned classifier's ``predict`` per text, next to plain baselines.

Run: ``.venv/bin/python benchmarks/bench_model.py [--wall] [--repeats N]``.

Times ``LinearModel.predict(normal_form, original)`` (normalisation done beforehand, as
the scan pipeline does it once for all detectors) on ChineseHarm dev and COLD dev from
``../shared/data`` (skipped when absent), and on the texts of 80–120 characters among
them, the size the throughput budget is stated for (≤ ~150 µs per ~100-char text). Also
``predict`` followed by ``top_grams`` for its label, which is what ``ModelDetector`` does.

Baselines in the same run, so a busy machine shifts all rows alike:

* ``str.translate + len`` — a floor: one C pass over the text;
* ``sklearn tfidf + dot`` — scikit-learn's ``TfidfVectorizer.transform`` (char 1–4, the
  model's own surface vocabulary) and a dot product with the main head's surface
  coefficients, one text per call: what the naive scikit-learn path costs for one block.

Figures are medians over repeats of CPU time (``time.thread_time``), steadier than the
wall clock on a shared machine; ``--wall`` uses ``time.perf_counter`` instead.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from jingwang.core.detect.model import default_model_dir
from jingwang.core.model import LinearModel, load_model
from jingwang.core.model.features import surface_form
from jingwang.core.normalize import normalize

try:
    from sklearn.feature_extraction.text import TfidfVectorizer
except ImportError:  # scikit-learn is a training dependency; its baseline is optional
    TfidfVectorizer = None

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DATASETS = {"chineseharm dev": "chineseharm/dev.jsonl", "cold dev": "cold/dev.jsonl"}
MAX_TEXTS = 3000  # per dataset: enough for stable medians, short enough to repeat

Doc = tuple[str, str]  # (normal form, original)


def load_docs(path: Path) -> list[Doc]:
    with path.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines if line.strip()][:MAX_TEXTS]
    docs = []
    for text in texts:
        norm = normalize(text)
        docs.append((norm.text, norm.original))
    return docs


def median_cpu_seconds(
    work: Callable[[Doc], object], docs: Sequence[Doc], repeats: int, clock: Callable[[], float]
) -> float:
    """Median over ``repeats`` of the time of one pass over ``docs``."""
    for doc in docs[:50]:  # warm caches (translation tables, lru caches) outside the timing
        work(doc)
    timings = []
    for _ in range(repeats):
        began = clock()
        for doc in docs:
            work(doc)
        timings.append(clock() - began)
    return statistics.median(timings)


def sklearn_baseline(model: LinearModel, docs: Sequence[Doc]) -> Callable[[Doc], object] | None:
    if TfidfVectorizer is None:
        return None
    block = model.blocks.get("surface")
    main = model.heads[model.fusion["main"]]
    if block is None or block.analyzer != "char" or block.name not in main.coef:
        return None
    vec = TfidfVectorizer(
        analyzer="char",
        ngram_range=(block.min_n, block.max_n),
        lowercase=False,
        sublinear_tf=True,
        vocabulary={gram: i for i, gram in enumerate(block.vocabulary)},
    )
    vec.fit([surface_form(original) for _, original in docs])
    coef = main.coef[block.name]

    def run(doc: Doc) -> object:
        return vec.transform([surface_form(doc[1])]) @ coef

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--wall", action="store_true", help="wall clock instead of CPU time")
    args = parser.parse_args()
    clock = time.perf_counter if args.wall else time.thread_time
    began = time.perf_counter()
    model = load_model(default_model_dir())
    print(f"load_model: {time.perf_counter() - began:.2f} s")

    def predict(doc: Doc) -> object:
        return model.predict(doc[0], doc[1])

    def predict_and_explain(doc: Doc) -> object:
        label = model.predict(doc[0], doc[1]).label
        return model.top_grams(doc[0], label, k=3, original=doc[1], min_len=2)

    ran = False
    for name, rel in DATASETS.items():
        path = SHARED / rel
        if not path.exists():
            print(f"{name}: skipped ({path} not found)")
            continue
        ran = True
        docs = load_docs(path)
        hundred = [d for d in docs if 80 <= len(d[1]) <= 120]
        for subset, rows in ((name, docs), (f"{name}, 80–120 chars", hundred)):
            if not rows:
                continue
            chars = sum(len(d[1]) for d in rows) / len(rows)
            print(f"\n{subset}: {len(rows)} texts, {chars:.1f} chars/text on average")
            cases: dict[str, Callable[[Doc], object]] = {
                "str.translate + len (floor)": lambda d: len(d[1].translate({0x3000: 0x20})),
            }
            baseline = sklearn_baseline(model, rows)
            if baseline is not None:
                cases["sklearn tfidf + dot (1 block)"] = baseline
            cases["predict"] = predict
            cases["predict + top_grams"] = predict_and_explain
            for case, work in cases.items():
                seconds = median_cpu_seconds(work, rows, args.repeats, clock) / len(rows)
                print(
                    f"  {case:32} {seconds * 1e6:9.1f} µs/text {1 / seconds:10,.0f} texts/s "
                    f"{seconds / chars * 1e8:8.1f} µs/100 chars"
                )
    if not ran:
        print("skipped: no dev data under ../shared/data")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
