"""Throughput of the lexicon detector against a bare Aho-Corasick scan.

    .venv/bin/python benchmarks/bench_lexicon.py [--repeats 7] [--data PATH]

Both sides see the same texts (ChineseHarm-bench dev) and the same term list; the
baseline is ``pyahocorasick`` ``iter()`` over the raw text with no normalisation,
homophones, needs or aggregation, i.e. the floor the detector is paying on top of.
Normalisation is timed separately because detectors receive it already done.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import ahocorasick

from jingwang.core.detect.base import prepare
from jingwang.core.detect.lexicon import LexiconDetector, load_directories
from jingwang.core.detect.lexicon.loader import packaged_lexicon_dir
from jingwang.core.types import ScanItem

DEFAULT_DATA = Path("/work/shared/data/chineseharm/dev.jsonl")


def docs_per_second(run: Callable[[], object], count: int, repeats: int) -> tuple[float, float]:
    """Median and best rate: on a shared machine the best run shows the code's own cost."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return count / statistics.median(timings), count / min(timings)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"skipped: {args.data} not found", file=sys.stderr)
        return 0
    with args.data.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines if line.strip()]

    detector = LexiconDetector()
    items = [prepare(ScanItem(str(i), text=t)) for i, t in enumerate(texts)]
    baseline = ahocorasick.Automaton()
    for entry in load_directories([packaged_lexicon_dir()]):
        baseline.add_word(entry.term.lower(), entry.term)
    baseline.make_automaton()

    def run_detector() -> None:
        for item in items:
            detector.detect(item)

    def run_baseline() -> None:
        for text in texts:
            list(baseline.iter(text))

    def run_prepare() -> None:
        for i, text in enumerate(texts):
            prepare(ScanItem(str(i), text=text))

    mean_chars = statistics.mean(len(t) for t in texts)
    print(f"{len(texts)} texts, mean {mean_chars:.0f} chars, median of {args.repeats} repeats")
    runs = {
        "LexiconDetector.detect": run_detector,
        "pyahocorasick iter (raw text)": run_baseline,
        "normalise (prepare), for reference": run_prepare,
    }
    results = {name: docs_per_second(run, len(texts), args.repeats) for name, run in runs.items()}
    print(f"{'':38s} {'median docs/s':>14s} {'µs/doc':>8s} {'best docs/s':>12s} {'µs/doc':>8s}")
    for name, (median, best) in results.items():
        print(f"{name:38s} {median:14,.0f} {1e6 / median:8.1f} {best:12,.0f} {1e6 / best:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
