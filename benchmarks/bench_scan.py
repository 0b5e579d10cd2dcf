"""Scan throughput: jingwang's text path against a plain Aho-Corasick scan, in one run.

    .venv/bin/python benchmarks/bench_scan.py [--repeats 5] [--limit 3000]

Corpus: ChineseHarm-bench train+dev texts from ../shared/data. Dictionary: the houbb
sensitive-word list (64k terms, Apache-2.0) plus jingwang's packaged lexicons, given to
both sides. The baseline is ``pyahocorasick`` ``iter()`` over the raw text, collecting
matches — no normalisation, no homophones, no offsets, no decision. The jingwang text
path is what `jingwang scan --detectors lexicon` does per item: normalise, match the
lexicon (literal, homophone and pinyin), map evidence back, decide. The full pipeline
(every installed detector, the classifier included) is timed too, on the same texts
and on the texts of 80–120 characters, against the "≥ 2,000 docs/s per core on
~100-character texts" target: item by item (as the API scans a request) and in batches
of 256 items, detector by detector (``Scanner.scan_batch``, as ``jingwang scan`` does).
Each figure is the median of ``--repeats`` interleaved runs on one core (this
process); the ratio is the median of the per-repeat ratios. Compare the
ratios, which are stable, more than the absolute rates.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import ahocorasick

from jingwang.core.decide import Decider
from jingwang.core.detect.lexicon import LexiconDetector, load_directories
from jingwang.core.detect.lexicon.loader import packaged_lexicon_dir
from jingwang.core.pipeline import Scanner
from jingwang.core.types import ScanItem

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPUS = [SHARED / "chineseharm" / "train.jsonl", SHARED / "chineseharm" / "dev.jsonl"]
HOUBB = SHARED / "lexicons" / "houbb" / "sensitive_word_dict.txt"


def seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def interleaved_timings(
    runs: dict[str, Callable[[], object]], repeats: int
) -> dict[str, list[float]]:
    """Each repeat times every contender once, back to back, so that a slow spell of a
    shared machine hits the baseline and the contenders alike; ratios are then taken
    within a repeat."""
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            timings[name].append(seconds(run))
    return timings


def houbb_terms() -> list[str]:
    terms = (line.strip() for line in HOUBB.read_text(encoding="utf-8").splitlines())
    # 82 lines of the list carry ASCII control characters; they are not words.
    return sorted({t for t in terms if t and t.isprintable() and "\t" not in t})


def write_extra_lexicon(directory: Path, terms: Sequence[str]) -> None:
    rows = ["term\tlabel\tsubcategory\tweight\tneeds\tflags"]
    rows += [f"{term}\tspam\t\t0.3\t\texact" for term in terms]
    (directory / "houbb.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")


BASELINE = "plain pyahocorasick (baseline)"
# Lines per batch of a one-worker `jingwang scan` (cli/scan_cmd.py).
SCAN_BATCH = 256
LONG_CHARS = (80, 120)


def report(title: str, count: int, timings: dict[str, list[float]]) -> None:
    print(title)
    baseline = timings[BASELINE]
    for name, runs in timings.items():
        median = statistics.median(runs)
        ratio = statistics.median(b / r for b, r in zip(baseline, runs, strict=True))
        rate, latency = count / median, 1e6 * median / count
        print(f"  {name:30s} {rate:10,.0f} docs/s {latency:8.1f} µs/doc  ratio {ratio:5.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--limit", type=int, default=3000, help="texts to scan per repeat")
    args = parser.parse_args(argv)
    if not all(p.exists() for p in [*CORPUS, HOUBB]):
        print(f"skipped: {SHARED} is not beside this checkout", file=sys.stderr)
        return 0
    corpus = [
        json.loads(line)["text"]
        for path in CORPUS
        for line in path.read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    texts = corpus[: args.limit]
    # The classifier issue states its budget for ~100-character texts.
    long_texts = [t for t in corpus if LONG_CHARS[0] <= len(t) <= LONG_CHARS[1]][: args.limit]
    extra_terms = houbb_terms()

    with tempfile.TemporaryDirectory() as tmp:
        write_extra_lexicon(Path(tmp), extra_terms)
        lexicon = LexiconDetector(extra_dirs=[Path(tmp)])
    text_path = Scanner([lexicon], Decider())

    plain = ahocorasick.Automaton()
    all_terms = {e.term.lower() for e in load_directories([packaged_lexicon_dir()])}
    all_terms.update(t.lower() for t in extra_terms)
    for term in all_terms:
        plain.add_word(term, term)
    plain.make_automaton()

    full = Scanner.from_names()
    for warm in (text_path, full):  # build lazy tables before timing
        for text in corpus:
            warm.scan(ScanItem("warm", text=text))

    def run_plain(batch: list[str]) -> Callable[[], None]:
        return lambda: [list(plain.iter(text.lower())) for text in batch]

    def run_scanner(scanner: Scanner, batch: list[str]) -> Callable[[], None]:
        items = [ScanItem(str(i), text=t) for i, t in enumerate(batch)]
        return lambda: [scanner.scan(item) for item in items]

    def run_batched(scanner: Scanner, batch: list[str]) -> Callable[[], None]:
        # As `jingwang scan` does: SCAN_BATCH lines at a time, detector by detector.
        items = [ScanItem(str(i), text=t) for i, t in enumerate(batch)]
        return lambda: [
            scanner.scan_batch(items[i : i + SCAN_BATCH]) for i in range(0, len(items), SCAN_BATCH)
        ]

    print(
        f"dictionary {len(all_terms):,} terms; median of {args.repeats} interleaved repeats, "
        "one core"
    )
    report(
        f"{len(texts)} ChineseHarm texts (mean {statistics.mean(map(len, texts)):.0f} chars)",
        len(texts),
        interleaved_timings(
            {
                BASELINE: run_plain(texts),
                "jingwang text path (lexicon)": run_scanner(text_path, texts),
                "jingwang full pipeline": run_scanner(full, texts),
                "full pipeline, batched": run_batched(full, texts),
            },
            args.repeats,
        ),
    )
    report(
        f"{len(long_texts)} ChineseHarm texts of {LONG_CHARS[0]}–{LONG_CHARS[1]} chars "
        "(full-pipeline target: 2,000 docs/s)",
        len(long_texts),
        interleaved_timings(
            {
                BASELINE: run_plain(long_texts),
                "jingwang full pipeline": run_scanner(full, long_texts),
                "full pipeline, batched": run_batched(full, long_texts),
            },
            args.repeats,
        ),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
