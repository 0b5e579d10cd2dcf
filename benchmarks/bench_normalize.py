"""Throughput of ``normalize()`` against a plain ``str.lower()`` baseline.

Run: ``.venv/bin/python benchmarks/bench_normalize.py [--cpu] [path/to/dev.jsonl]``.
Prints the median over several repeats of µs per document and documents per second,
plus a pyahocorasick scan of the raw text for scale. ``--cpu`` times with the thread's
CPU clock instead of the wall clock, which is steadier on a shared, busy machine.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import ahocorasick

from jingwang.core.normalize import normalize

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "../shared/data/chineseharm/dev.jsonl"
REPEATS = 7
ROUNDS = 5


def load_texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


def median_seconds(
    work: Callable[[str], object], texts: list[str], clock: Callable[[], float] = time.perf_counter
) -> float:
    """Median time of one pass over ``texts``."""
    timings = []
    for _ in range(REPEATS):
        began = clock()
        for _ in range(ROUNDS):
            for text in texts:
                work(text)
        timings.append((clock() - began) / ROUNDS)
    return statistics.median(timings)


def keyword_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in ("微信", "加我", "约炮", "赌博", "色情", "傻逼", "垃圾", "兼职", "刷单", "贷款"):
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def main() -> int:
    args = sys.argv[1:]
    clock = time.perf_counter
    if "--cpu" in args:
        args.remove("--cpu")
        clock = time.thread_time
    path = Path(args[0]) if args else DEFAULT_DATA
    if not path.exists():
        print(f"skipped: {path} not found")
        return 0
    texts = load_texts(path)
    chars = sum(map(len, texts))
    normalize("warm up the tables")  # the first call builds the character table
    automaton = keyword_automaton()
    results = {
        "str.lower (baseline)": median_seconds(str.lower, texts, clock),
        "pyahocorasick scan": median_seconds(lambda t: list(automaton.iter(t)), texts, clock),
        "normalize": median_seconds(normalize, texts, clock),
    }
    print(f"{len(texts)} docs, {chars / len(texts):.1f} chars/doc on average")
    for name, seconds in results.items():
        per_doc = seconds / len(texts)
        print(
            f"{name:24} {per_doc * 1e6:7.2f} µs/doc {len(texts) / seconds:12,.0f} docs/s "
            f"{per_doc / (chars / len(texts)) * 1e8:7.2f} µs/100 chars"
        )
    ratio = results["normalize"] / results["str.lower (baseline)"]
    print(f"normalize costs {ratio:.1f}× str.lower")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
