"""Acceptance corpus: the default scanner against hand-written, independently judged cases.

Three layers (see tests/corpus/README.md):

1. the corpus itself is well-formed and covers every label, subcategory and evasion
   type (no scanner needed, always runs);
2. structural invariants of every decision (valid verdict, labels sorted by score,
   evidence spans that index the original text), with whatever detectors load today;
3. quality: aggregate regression floors (violation recall, block recall, false blocks
   on hard negatives, block precision) and a per-case ``must`` list, whose known misses
   are strict expected failures with their reasons.

The acceptance bar (``report.FLOORS``) is fixed and printed, figure by figure, by
``benchmarks/corpus_report.py`` with the error analysis; the suite asserts the
regression floors (``report.REGRESSION_FLOORS``), which only ever move up.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from jingwang.core.io import parse_item
from jingwang.core.labels import SUBCATEGORIES, SURFACES
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Decision
from support import load_module

ROOT = Path(__file__).resolve().parents[2]


report: Any = load_module("jingwang_corpus_report", ROOT / "benchmarks" / "corpus_report.py")

CASES: list[dict[str, Any]] = report.load_cases(Path(__file__).with_name("cases.jsonl"))
BY_ID = {case["id"]: case for case in CASES}
MUST = [case for case in CASES if "must" in case["tags"]]

EVASION_TYPES = (
    "symbols",
    "zero_width",
    "fullwidth",
    "numerals",
    "traditional",
    "lookalike",
    "split",
    "homophone",
    "pinyin",
    "pinyin_initials",
    "emoji",
    "contact",
    "link",
)
MIN_CASES = 240
MIN_PER_SUBCATEGORY = 4
MIN_PER_EVASION = 5
MIN_HARD_NEGATIVES = 70
MIN_MUST = 30


# --------------------------------------------------------------------------- the corpus


def test_corpus_size_and_unique_ids() -> None:
    assert len(CASES) >= MIN_CASES
    ids = Counter(case["id"] for case in CASES)
    assert [i for i, n in ids.items() if n > 1] == []


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_is_well_formed(case: dict[str, Any]) -> None:
    assert set(case) <= {"id", "text", "surface", *report.CASE_ONLY_FIELDS}
    assert isinstance(case["text"], str) and case["text"].strip()
    assert case.get("surface") in (None, *SURFACES)
    assert case["expect"] in report.VERDICTS
    assert isinstance(case["tags"], list) and all(isinstance(t, str) for t in case["tags"])
    label, sub = case["expect_label"], case["expect_subcategory"]
    if case["expect"] == "pass":
        assert label is None and sub is None
    else:
        assert label in SUBCATEGORIES, label
        if SUBCATEGORIES[label]:
            assert sub in SUBCATEGORIES[label], (label, sub)
        else:
            assert sub is None
    if "hard_negative" in case["tags"]:
        assert case["expect"] == "pass"
    for tag in case["tags"]:
        if tag.startswith(report.EVASION_PREFIX):
            assert tag.removeprefix(report.EVASION_PREFIX) in EVASION_TYPES, tag
            assert case["expect"] != "pass", "pass cases tag look-alike noise as noise:<type>"
    if "must" in case["tags"]:
        assert case["expect"] in ("pass", "block"), "must cases have an unambiguous verdict"
    # Every case is a valid contract input object.
    parse_item(report.scan_input(case))


def test_corpus_covers_every_label_and_subcategory() -> None:
    violations = [c for c in CASES if c["expect"] != "pass"]
    per_label = Counter(c["expect_label"] for c in violations)
    per_sub = Counter((c["expect_label"], c["expect_subcategory"]) for c in violations)
    thin = {label: n for label in SUBCATEGORIES if (n := per_label[label]) < MIN_PER_SUBCATEGORY}
    assert thin == {}
    thin_subs = {
        (label, sub): per_sub[label, sub]
        for label, subs in SUBCATEGORIES.items()
        for sub in subs
        if per_sub[label, sub] < MIN_PER_SUBCATEGORY
    }
    assert thin_subs == {}


def test_corpus_covers_every_evasion_type() -> None:
    tags = Counter(t for c in CASES for t in c["tags"] if t.startswith(report.EVASION_PREFIX))
    thin = {
        kind: tags[report.EVASION_PREFIX + kind]
        for kind in EVASION_TYPES
        if tags[report.EVASION_PREFIX + kind] < MIN_PER_EVASION
    }
    assert thin == {}


def test_corpus_has_hard_negatives_and_must_cases() -> None:
    assert sum("hard_negative" in c["tags"] for c in CASES) >= MIN_HARD_NEGATIVES
    assert len(MUST) >= MIN_MUST
    assert {c["expect"] for c in MUST} == {"pass", "block"}


def test_floors_are_the_acceptance_bar() -> None:
    """Guard against quietly weakening the bar."""
    assert report.FLOORS["violation_recall"] == (">=", 0.85)
    assert report.FLOORS["hard_negative_false_block_rate"] == ("<=", 0.03)
    assert report.FLOORS["block_precision"] == (">=", 0.95)
    assert report.FLOORS["block_recall"][1] >= 0.80


# --------------------------------------------------------------------------- the scanner


@pytest.fixture(scope="module")
def decisions() -> dict[str, Decision]:
    try:
        scanner = Scanner.from_names()
    except Exception as exc:
        # Only "not written yet" is an expected failure; any other load error is real.
        if report.missing_module(exc) is None:
            raise
        pytest.xfail(f"a default detector is not importable yet: {exc}")
    if not scanner.detectors:
        pytest.xfail("no detector is registered in this environment yet")
    return {case["id"]: scanner.scan(parse_item(report.scan_input(case))) for case in CASES}


@pytest.fixture(scope="module")
def outcomes(decisions: dict[str, Decision]) -> list[Any]:
    return [report.outcome_of(case, decisions[case["id"]]) for case in CASES]


@pytest.fixture(scope="module")
def any_decisions() -> dict[str, Decision]:
    """Decisions of the default scanner, or of the detectors that load today.

    The structural invariants hold for any set of detectors, so they are checked even
    while a default detector is still missing.
    """
    try:
        scanner = Scanner.from_names()
    except Exception as exc:
        if report.missing_module(exc) is None:
            raise
        scanner = Scanner.from_names(report.importable_detectors())
    if not scanner.detectors:
        pytest.xfail("no detector is importable in this environment yet")
    return {case["id"]: scanner.scan(parse_item(report.scan_input(case))) for case in CASES}


def test_decisions_are_structurally_valid(any_decisions: dict[str, Decision]) -> None:
    decisions = any_decisions
    problems: list[str] = []
    for case in CASES:
        decision = decisions[case["id"]]
        text = case["text"]
        if decision.id != case["id"]:
            problems.append(f"{case['id']}: decision id {decision.id!r}")
        if decision.decision not in report.VERDICTS:
            problems.append(f"{case['id']}: verdict {decision.decision!r}")
        scores = [lr.score for lr in decision.labels]
        if scores != sorted(scores, reverse=True):
            problems.append(f"{case['id']}: labels not sorted by score {scores}")
        for lr in decision.labels:
            if lr.label not in SUBCATEGORIES:
                problems.append(f"{case['id']}: unknown label {lr.label!r}")
            elif lr.subcategory is not None and lr.subcategory not in SUBCATEGORIES[lr.label]:
                problems.append(f"{case['id']}: unknown subcategory {lr.label}/{lr.subcategory}")
            if not 0.0 <= lr.score <= 1.0:
                problems.append(f"{case['id']}: score {lr.score} out of [0, 1]")
            for ev in lr.evidence:
                if ev.source != "text":
                    continue
                if not (0 <= ev.start <= ev.end <= len(text)) or text[ev.start : ev.end] != ev.text:
                    problems.append(
                        f"{case['id']}: evidence {ev.start}:{ev.end} {ev.text!r} "
                        f"!= {text[ev.start : ev.end]!r}"
                    )
    assert problems == []


def test_quality_does_not_regress(outcomes: list[Any]) -> None:
    """The regression floors hold; ``benchmarks/corpus_report.py`` shows the acceptance bar."""
    metrics = report.compute_metrics(outcomes)
    missed = report.floor_failures(metrics, report.REGRESSION_FLOORS)
    failing = report.failures(outcomes)
    detail = "\n".join(
        f"  {o.case['id']}: expect {o.expect} {o.case['expect_label']}, got {o.decision} {o.label}"
        for o in failing[:40]
    )
    assert missed == [], (
        f"{'; '.join(missed)}\n{len(failing)} failing cases (first 40; full list: "
        f".venv/bin/python benchmarks/corpus_report.py):\n{detail}"
    )


# Must cases the current build still gets wrong, each with why. Strict: a fix turns the
# entry red, so that it is taken off this list.
KNOWN_MISSES: dict[str, str] = {
    "neg-15": "quoted insults in a harassment report: reviewed, not passed",
    # Model 1.6.0: the ChineseHarm expert (illicit_ads 0.90) gets P(domain)² = 0.18 of a
    # text its domain gate cannot place, which lifts the main head's 0.62 to 0.67, past
    # the 0.65 review threshold.
    "neg-23": "a colleague's 加我微信聊工作 reads as an advert (review)",
    # The model's dev-chosen fraud review threshold is 0.20 since 1.2.0 (best dev F1; the F1 curve
    # is flat from 0.20 to 0.50, so builds land anywhere in it): a weak fraud reading of
    # this one reaches review. (neg-28, an order-shipped notice, passes since the
    # logistics context of 2026-12-08.)
    "neg-25": "the model reads a market commentary as investment fraud",
    "neg-85": "a second-hand phone sale with a WeChat id reaches review",
}


def _must_param(case: dict[str, Any]) -> Any:
    reason = KNOWN_MISSES.get(case["id"])
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case["id"], marks=marks, id=case["id"])


@pytest.mark.parametrize("case_id", [_must_param(c) for c in MUST])
def test_must_case(case_id: str, decisions: dict[str, Decision]) -> None:
    case = BY_ID[case_id]
    decision = decisions[case_id]
    labels = [(lr.label, lr.subcategory, round(lr.score, 3)) for lr in decision.labels]
    assert decision.decision == case["expect"], f"{case['text']!r}: labels {labels}"
    if case["expect"] != "pass":
        assert decision.labels[0].label == case["expect_label"], f"{case['text']!r}: {labels}"
