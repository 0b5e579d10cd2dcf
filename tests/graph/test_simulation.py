"""The registration simulator, and gang detection on it against the targets."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jingwang.cli import gangs_cmd
from jingwang.core.graph import GangDetector, Registration, member_scores, record_from_dict
from jingwang.simulate.registrations import Simulation, simulate_registrations


@pytest.fixture(scope="module")
def simulation() -> Simulation:
    return simulate_registrations(20_000, seed=11)


def test_same_seed_same_logs() -> None:
    first, second = simulate_registrations(2_000, seed=5), simulate_registrations(2_000, seed=5)
    assert first.records == second.records and first.truth == second.truth
    assert simulate_registrations(2_000, seed=6).records != first.records


def test_plants_every_gang_kind_and_look_alike(simulation: Simulation) -> None:
    roles = collections.Counter(row["role"] for row in simulation.truth)
    assert set(roles) == {
        "farm", "drip", "raising", "identity", "qr", "trading",
        "family", "campus", "office", "organic",
    }  # fmt: skip
    assert len(simulation.truth) == 20_000
    times = [record["at"] for record in simulation.records]
    assert times == sorted(times)


def test_precision_and_recall_meet_the_targets_at_20k(simulation: Simulation) -> None:
    detector = GangDetector()
    for record in simulation.records:
        detector.graph.add(record_from_dict(record))
    flagged = {account for gang in detector.detect() for account in gang.members}
    scores = member_scores(flagged, {row["account"]: row["gang"] for row in simulation.truth})
    assert scores.recall >= 0.95
    assert scores.precision >= 0.98


def test_held_out_gang_members_are_flagged_on_registration(simulation: Simulation) -> None:
    gang_of = {row["account"]: row["gang"] for row in simulation.truth}
    last_member: dict[str, dict[str, object]] = {}
    for record in simulation.records:
        if record["type"] == "registration" and gang_of[record["account"]]:
            last_member[str(gang_of[record["account"]])] = record
    held_out = {str(record["account"]) for record in last_member.values()}
    detector = GangDetector()
    for record in simulation.records:
        if record["account"] not in held_out:
            detector.graph.add(record_from_dict(record))
    detector.detect()
    flagged = 0
    for record in sorted(last_member.values(), key=lambda record: float(str(record["at"]))):
        reg = record_from_dict(record)
        assert isinstance(reg, Registration)
        flagged += detector.on_registration(reg).flagged
    assert flagged >= 0.9 * len(held_out)


def _cli() -> typer.Typer:
    app = typer.Typer()
    gangs_cmd.register(app)
    return app


def test_cli_simulates_and_detects_with_scores(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(
        _cli(),
        ["simulate", "registrations", "--accounts", "3000", "--seed", "2", "-o", str(tmp_path)],
    )
    assert made.exit_code == 0, made.output
    log, truth = tmp_path / "registrations.jsonl", tmp_path / "truth.jsonl"
    found = runner.invoke(
        _cli(),
        ["gangs", "detect", str(log), "--truth", str(truth), "-o", str(tmp_path / "g.jsonl")],
    )
    assert found.exit_code == 0, found.output
    assert "precision" in found.output and "peak RSS" in found.output
    assert (tmp_path / "g.jsonl").read_text(encoding="utf-8").count("\n") >= 1


def test_cli_reports_bad_input_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "registration", "account": "a"}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["gangs", "detect", str(bad)])
    assert result.exit_code == 1
    assert "bad.jsonl:1: at: expected a time" in result.output
    assert "bad.jsonl:2: not JSON" in result.output
    assert "Traceback" not in result.output
    missing = CliRunner().invoke(_cli(), ["gangs", "detect", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 1 and "cannot read" in missing.output
