"""``jingwang policy check`` and ``simulate`` through Typer's test runner."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jingwang.cli.policy_cmd import register

REPO = Path(__file__).resolve().parents[2]
DEFAULT = REPO / "src/jingwang/resources/policy/default.yaml"
GOLDEN = REPO / "tests/scenarios/golden"

Invoke = Callable[..., tuple[int, str, str]]


@pytest.fixture
def invoke() -> Invoke:
    app = typer.Typer()
    register(app)
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr

    return run


def lenient_policy(tmp_path: Path) -> Path:
    """The default policy without forwarding penalties or evasion aggravation."""
    text = DEFAULT.read_text(encoding="utf-8")
    text = text.replace('version: "2025.2"', 'version: "lenient"')
    text = text.replace("penalise_forwarder: true", "penalise_forwarder: false")
    text = text.replace("restrict: [post_moments, add_friends, create_group]", "restrict: []")
    path = tmp_path / "lenient.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_prints_the_version_and_rule_counts(invoke: Invoke) -> None:
    code, out, _ = invoke("policy", "check", str(DEFAULT))
    assert code == 0
    assert "policy version 2025.2: 9 label rules" in out


def test_check_prints_each_error_and_exits_1(invoke: Invoke, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: v\ncapabilities: [x, x]\nlabels: {}\nescalation: []\n")
    code, _, err = invoke("policy", "check", str(bad))
    assert code == 1
    assert f"{bad}:2: capabilities[1]: 'x' is declared twice" in err
    assert "escalation: needs at least one step" in err
    # The default group rule restricts a capability this file does not declare.
    assert f"{bad}: groups.restrict[0]: 'send_messages' is not in capabilities" in err
    assert err.count("error:") == 12  # nine missing labels, the duplicate, groups, the ladder


def test_simulate_reports_bad_event_lines(invoke: Invoke, tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text('{"event_id": "e", "account": "a", "at": "2025-01-01T00:00:00"}\nnope\n')
    code, _, err = invoke("policy", "simulate", "--events", str(events))
    assert code == 1
    assert f"{events}:1: at: '2025-01-01T00:00:00' needs a UTC offset" in err
    assert f"{events}:2: invalid JSON" in err


def test_simulate_prints_tables(invoke: Invoke, tmp_path: Path) -> None:
    events = str(GOLDEN / "policy_events.jsonl")
    code, out, _ = invoke(
        "policy", "simulate", "--events", events, "--baseline", str(lenient_policy(tmp_path))
    )
    assert code == 0
    assert "Outcome per account" in out
    assert "wx_friend" in out.split("Changes")[1]


def test_simulate_matches_the_golden_report(invoke: Invoke, tmp_path: Path) -> None:
    events = str(GOLDEN / "policy_events.jsonl")
    code, out, _ = invoke(
        "policy",
        "simulate",
        "--events",
        events,
        "--json",
        "--baseline",
        str(lenient_policy(tmp_path)),
    )
    assert code == 0
    golden = GOLDEN / "policy_simulate.json"
    if os.environ.get("JINGWANG_REGEN_GOLDEN") == "1":
        golden.write_text(out, encoding="utf-8")
    assert json.loads(out) == json.loads(golden.read_text(encoding="utf-8")), (
        "simulate output changed; if intended, rerun with JINGWANG_REGEN_GOLDEN=1"
    )
