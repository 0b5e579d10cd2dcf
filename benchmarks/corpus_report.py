"""Error-analysis report over the acceptance corpus (``tests/corpus/cases.jsonl``).

    .venv/bin/python benchmarks/corpus_report.py [--cases PATH] [--detectors a,b]
                                                 [--plain] [--failures N]

Prints the headline figures that ``tests/corpus/test_corpus.py`` asserts floors on,
precision/recall per label, per subcategory and per evasion tag, the confusion of
expected against actual decisions, and the failing cases (id, expected, got, top label,
text). Uses Rich tables when Rich is installed and ``--plain`` is not given.

The metric functions below are pure and are imported by the corpus test, so the test
and the report always compute the same numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jingwang.core.detect import registry
from jingwang.core.io import parse_item
from jingwang.core.pipeline import Scanner

try:
    from rich.console import Console
    from rich.table import Table
except ImportError:  # pragma: no cover - rich is a dependency; --plain works without it
    Console = None  # type: ignore[assignment,misc]
    Table = None  # type: ignore[assignment,misc]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CASES = ROOT / "tests" / "corpus" / "cases.jsonl"
VERDICTS = ("pass", "review", "block")
VIOLATION = frozenset({"review", "block"})
HARD_NEGATIVE = "hard_negative"
EVASION_PREFIX = "evasion:"
CASE_ONLY_FIELDS = ("expect", "expect_label", "expect_subcategory", "tags")

# The acceptance bar (see tests/corpus/README.md). Do not lower these to make a run pass.
# The acceptance bar of the foundation issue. The report shows each figure against it.
FLOORS: dict[str, tuple[str, float]] = {
    "violation_recall": (">=", 0.85),
    "block_recall": (">=", 0.80),
    "hard_negative_false_block_rate": ("<=", 0.03),
    "block_precision": (">=", 0.95),
}
# What the current build measured, less a small margin: the test suite holds every
# change to these so that quality never silently slips back. Raise them as the
# detectors improve; the acceptance bar above stays where it is.
REGRESSION_FLOORS: dict[str, tuple[str, float]] = {
    "violation_recall": (">=", 0.88),
    "block_recall": (">=", 0.86),
    "hard_negative_false_block_rate": ("<=", 0.04),
    "block_precision": (">=", 0.95),
}


# --------------------------------------------------------------------------- loading


def load_cases(path: Path = DEFAULT_CASES) -> list[dict[str, Any]]:
    """The corpus, one dict per non-blank line, in file order."""
    cases: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - corpus is checked in
                raise ValueError(f"{path}:{lineno}: {exc}") from exc
    return cases


def scan_input(case: dict[str, Any]) -> dict[str, Any]:
    """The contract input object of a case (the case minus its expectations)."""
    return {k: v for k, v in case.items() if k not in CASE_ONLY_FIELDS}


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Outcome:
    """What the scanner said about one case, reduced to what the metrics need."""

    case: dict[str, Any]
    decision: str
    label: str | None = None
    subcategory: str | None = None
    score: float = 0.0
    labels: tuple[tuple[str, str | None, float], ...] = ()

    @property
    def expect(self) -> str:
        return str(self.case["expect"])

    @property
    def flagged(self) -> bool:
        return self.decision in VIOLATION

    @property
    def expects_violation(self) -> bool:
        return self.expect in VIOLATION

    @property
    def right_label(self) -> bool:
        return self.flagged and self.label == self.case.get("expect_label")

    @property
    def right_subcategory(self) -> bool:
        want = self.case.get("expect_subcategory")
        return self.right_label and (want is None or self.subcategory == want)

    @property
    def caught(self) -> bool:
        """A violation flagged (review or block) with the right primary label."""
        return self.expects_violation and self.right_label

    @property
    def correct(self) -> bool:
        if self.decision != self.expect:
            return False
        return not self.expects_violation or self.right_label


def outcome_of(case: dict[str, Any], decision: Any) -> Outcome:
    """Build an :class:`Outcome` from a ``jingwang.core.types.Decision``."""
    labels = tuple((lr.label, lr.subcategory, float(lr.score)) for lr in decision.labels)
    top = labels[0] if labels else (None, None, 0.0)
    return Outcome(case, decision.decision, top[0], top[1], top[2], labels)


# --------------------------------------------------------------------------- metrics


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass
class Metrics:
    total: int
    violations: int
    expect_block: int
    hard_negatives: int
    blocked: int
    violation_recall: float | None
    block_recall: float | None
    hard_negative_false_block_rate: float | None
    hard_negative_false_flag_rate: float | None
    block_precision: float | None
    strict_block_precision: float | None
    subcategory_accuracy: float | None
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["confusion"] = {f"{e}->{g}": n for (e, g), n in sorted(self.confusion.items())}
        return out


def compute_metrics(outcomes: Sequence[Outcome]) -> Metrics:
    """Headline figures.

    - violation recall: cases expecting review/block that got review/block *and* whose
      first label is the expected label;
    - block recall: cases expecting block that got block;
    - false-block rate on hard negatives: hard negatives that got block (the false-flag
      rate also counts review);
    - block precision: blocked cases that are violations (expect review or block);
      the strict variant counts only cases expecting block.
    """
    violations = [o for o in outcomes if o.expects_violation]
    expect_block = [o for o in outcomes if o.expect == "block"]
    hard = [o for o in outcomes if HARD_NEGATIVE in o.case.get("tags", ())]
    blocked = [o for o in outcomes if o.decision == "block"]
    caught = [o for o in violations if o.caught]
    confusion = Counter((o.expect, o.decision) for o in outcomes)
    with_sub = [o for o in caught if o.case.get("expect_subcategory")]
    return Metrics(
        total=len(outcomes),
        violations=len(violations),
        expect_block=len(expect_block),
        hard_negatives=len(hard),
        blocked=len(blocked),
        violation_recall=_ratio(len(caught), len(violations)),
        block_recall=_ratio(sum(o.decision == "block" for o in expect_block), len(expect_block)),
        hard_negative_false_block_rate=_ratio(sum(o.decision == "block" for o in hard), len(hard)),
        hard_negative_false_flag_rate=_ratio(sum(o.flagged for o in hard), len(hard)),
        block_precision=_ratio(sum(o.expects_violation for o in blocked), len(blocked)),
        strict_block_precision=_ratio(sum(o.expect == "block" for o in blocked), len(blocked)),
        subcategory_accuracy=_ratio(sum(o.right_subcategory for o in with_sub), len(with_sub)),
        confusion=dict(confusion),
    )


def floor_failures(
    metrics: Metrics, floors: dict[str, tuple[str, float]] | None = None
) -> list[str]:
    """The floors (the acceptance bar by default) that ``metrics`` misses, as sentences."""
    failures: list[str] = []
    for name, (op, bound) in (FLOORS if floors is None else floors).items():
        value = getattr(metrics, name)
        if value is None:
            continue
        ok = value >= bound if op == ">=" else value <= bound
        if not ok:
            failures.append(f"{name} = {value:.3f}, floor {op} {bound}")
    return failures


@dataclass
class Row:
    key: str
    support: int  # cases expecting a violation with this key
    predicted: int  # flagged cases whose primary label (or subcategory) is this key
    true_positive_pred: int  # of ``predicted``, those that really are this key
    caught: int  # of ``support``, flagged with the right label (and subcategory)
    blocked: int  # of ``support``, blocked

    @property
    def precision(self) -> float | None:
        return _ratio(self.true_positive_pred, self.predicted)

    @property
    def recall(self) -> float | None:
        return _ratio(self.caught, self.support)


def per_label(outcomes: Sequence[Outcome]) -> list[Row]:
    keys = sorted(
        {str(o.case["expect_label"]) for o in outcomes if o.expects_violation}
        | {o.label for o in outcomes if o.flagged and o.label}
    )
    rows = []
    for key in keys:
        support = [o for o in outcomes if o.expects_violation and o.case["expect_label"] == key]
        pred = [o for o in outcomes if o.flagged and o.label == key]
        rows.append(
            Row(
                key,
                len(support),
                len(pred),
                sum(o.expects_violation and o.case["expect_label"] == key for o in pred),
                sum(o.caught for o in support),
                sum(o.decision == "block" for o in support),
            )
        )
    return rows


def _sub_key(label: str | None, sub: str | None) -> str:
    return f"{label}/{sub or '-'}"


def per_subcategory(outcomes: Sequence[Outcome]) -> list[Row]:
    def expected_key(o: Outcome) -> str:
        return _sub_key(o.case["expect_label"], o.case.get("expect_subcategory"))

    keys = sorted(
        {expected_key(o) for o in outcomes if o.expects_violation}
        | {_sub_key(o.label, o.subcategory) for o in outcomes if o.flagged}
    )
    rows = []
    for key in keys:
        support = [o for o in outcomes if o.expects_violation and expected_key(o) == key]
        pred = [o for o in outcomes if o.flagged and _sub_key(o.label, o.subcategory) == key]
        rows.append(
            Row(
                key,
                len(support),
                len(pred),
                sum(o.expects_violation and expected_key(o) == key for o in pred),
                sum(o.caught and o.right_subcategory for o in support),
                sum(o.decision == "block" for o in support),
            )
        )
    return rows


@dataclass
class TagRow:
    tag: str
    violations: int
    caught: int
    blocked: int
    negatives: int
    false_flags: int

    @property
    def recall(self) -> float | None:
        return _ratio(self.caught, self.violations)


def per_tag(outcomes: Sequence[Outcome], prefix: str = EVASION_PREFIX) -> list[TagRow]:
    """Recall per evasion tag, and false flags among pass cases carrying the tag."""
    by_tag: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        for tag in o.case.get("tags", ()):
            if tag.startswith(prefix):
                by_tag[tag].append(o)
    rows = []
    for tag in sorted(by_tag):
        group = by_tag[tag]
        viol = [o for o in group if o.expects_violation]
        neg = [o for o in group if not o.expects_violation]
        rows.append(
            TagRow(
                tag,
                len(viol),
                sum(o.caught for o in viol),
                sum(o.decision == "block" for o in viol),
                len(neg),
                sum(o.flagged for o in neg),
            )
        )
    return rows


def failures(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """Cases whose decision differs from the expected one, or flagged with the wrong label."""
    return [o for o in outcomes if not o.correct]


# --------------------------------------------------------------------------- scanning


def run_scanner(
    cases: Sequence[dict[str, Any]], detectors: Sequence[str] | None = None
) -> tuple[list[Outcome], list[str]]:
    """Scan every case; return the outcomes and the detector names that ran."""
    scanner = Scanner.from_names(detectors)
    names = [getattr(d, "name", type(d).__name__) for d in scanner.detectors]
    outcomes = [outcome_of(case, scanner.scan(parse_item(scan_input(case)))) for case in cases]
    return outcomes, names


def missing_module(exc: BaseException) -> ModuleNotFoundError | None:
    """The ``ModuleNotFoundError`` behind a detector load failure, if that is its cause."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ModuleNotFoundError):
            return seen
        seen = seen.__cause__
    return None


def importable_detectors() -> list[str]:
    """Installed detectors that load today (for a partial run while others are missing)."""
    names = []
    for name in registry.available():
        try:
            registry.load([name])
        except Exception as exc:
            print(f"detector {name!r} not loadable: {exc}", file=sys.stderr)
        else:
            names.append(name)
    return names


# --------------------------------------------------------------------------- printing


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _short(text: str, width: int = 70) -> str:
    """One line, invisible characters escaped (\\u200b), cut to ``width``."""
    flat = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text.replace("\n", " ⏎ "))
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class _Printer:
    def __init__(self, plain: bool) -> None:
        self.console: Any = None
        if not plain and Console is not None:
            self.console = Console()

    def heading(self, text: str) -> None:
        if self.console is not None:
            self.console.rule(f"[bold]{text}")
        else:
            print(f"\n== {text} ==")

    def line(self, text: str) -> None:
        if self.console is not None:
            self.console.print(text, markup=False, highlight=False)
        else:
            print(text)

    def table(self, title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        rows = [[str(c) for c in row] for row in rows]
        if self.console is not None:
            table = Table(title=title, show_lines=False)
            for i, col in enumerate(columns):
                table.add_column(col, justify="left" if i == 0 or col == "text" else "right")
            for row in rows:
                table.add_row(*row)
            self.console.print(table)
            return
        widths = [len(c) for c in columns]
        for row in rows:
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
        print(f"\n{title}")
        print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
        print("  ".join("-" * w for w in widths))
        for row in rows:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def print_report(
    outcomes: Sequence[Outcome], detectors: Sequence[str], plain: bool, max_failures: int
) -> Metrics:
    out = _Printer(plain)
    metrics = compute_metrics(outcomes)
    out.heading("jingwang acceptance corpus")
    out.line(f"detectors: {', '.join(detectors) or '(none)'}")
    out.line(
        f"cases: {metrics.total}  violations: {metrics.violations}  "
        f"expect block: {metrics.expect_block}  hard negatives: {metrics.hard_negatives}"
    )
    headline = [
        ("violation_recall", metrics.violation_recall),
        ("block_recall", metrics.block_recall),
        ("hard_negative_false_block_rate", metrics.hard_negative_false_block_rate),
        ("hard_negative_false_flag_rate", metrics.hard_negative_false_flag_rate),
        ("block_precision", metrics.block_precision),
        ("strict_block_precision", metrics.strict_block_precision),
        ("subcategory_accuracy", metrics.subcategory_accuracy),
    ]
    rows = []
    for name, value in headline:
        floor = FLOORS.get(name)
        if floor is None or value is None:
            status = ""
        else:
            op, bound = floor
            ok = value >= bound if op == ">=" else value <= bound
            status = f"{'ok' if ok else 'FAIL'} ({op} {bound})"
        rows.append((name, _fmt(value), status))
    out.table("Headline figures", ("metric", "value", "floor"), rows)

    out.table(
        "Per label (support = cases expecting a violation with this label)",
        ("label", "support", "predicted", "precision", "recall", "blocked"),
        (
            (r.key, r.support, r.predicted, _fmt(r.precision), _fmt(r.recall), r.blocked)
            for r in per_label(outcomes)
        ),
    )
    out.table(
        "Per subcategory (recall needs label and subcategory right)",
        ("label/subcategory", "support", "predicted", "precision", "recall", "blocked"),
        (
            (r.key, r.support, r.predicted, _fmt(r.precision), _fmt(r.recall), r.blocked)
            for r in per_subcategory(outcomes)
        ),
    )
    out.table(
        "Per evasion tag",
        ("tag", "violations", "caught", "recall", "blocked", "negatives", "false flags"),
        (
            (t.tag, t.violations, t.caught, _fmt(t.recall), t.blocked, t.negatives, t.false_flags)
            for t in per_tag(outcomes)
        ),
    )
    out.table(
        "Confusion (rows: expected, columns: got)",
        ("expect \\ got", *VERDICTS),
        ((e, *(metrics.confusion.get((e, g), 0) for g in VERDICTS)) for e in VERDICTS),
    )
    failing = failures(outcomes)
    shown = failing if max_failures < 0 else failing[:max_failures]
    out.table(
        f"Failing cases ({len(failing)}; showing {len(shown)})",
        ("id", "expect", "got", "top label", "text"),
        (
            (
                o.case["id"],
                o.expect
                + (
                    f" {_sub_key(o.case['expect_label'], o.case.get('expect_subcategory'))}"
                    if o.expects_violation
                    else ""
                ),
                o.decision,
                f"{_sub_key(o.label, o.subcategory)} {o.score:.2f}" if o.label else "—",
                _short(o.case.get("text", "")),
            )
            for o in shown
        ),
    )
    missed = floor_failures(metrics)
    if missed:
        out.line("floors missed: " + "; ".join(missed))
    else:
        out.line("all acceptance floors met")
    return metrics


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--detectors", help="comma-separated detector names (default: all)")
    parser.add_argument("--plain", action="store_true", help="plain-text tables, no Rich")
    parser.add_argument("--failures", type=int, default=200, help="failing cases to list (-1: all)")
    parser.add_argument("--json", type=Path, help="also write the headline figures as JSON here")
    args = parser.parse_args(argv)

    cases = load_cases(args.cases)
    names = args.detectors.split(",") if args.detectors else None
    try:
        outcomes, ran = run_scanner(cases, names)
    except Exception as exc:
        if names is not None or missing_module(exc) is None:
            raise
        partial = importable_detectors()
        print(
            f"default scanner not loadable ({exc}); running the importable detectors only: "
            f"{', '.join(partial) or '(none)'} — figures are NOT the acceptance figures",
            file=sys.stderr,
        )
        if not partial:
            return 2
        outcomes, ran = run_scanner(cases, partial)
    metrics = print_report(outcomes, ran, args.plain, args.failures)
    if args.json:
        args.json.write_text(json.dumps(metrics.as_dict(), indent=2, ensure_ascii=False))
    return 0 if not floor_failures(metrics) else 1


if __name__ == "__main__":
    sys.exit(main())
