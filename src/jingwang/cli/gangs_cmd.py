"""``jingwang simulate registrations`` and ``jingwang gangs detect``."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from jingwang.cli.common import fail_all
from jingwang.core.graph import (
    Gang,
    GangDetector,
    Record,
    RecordError,
    member_scores,
    record_from_dict,
)
from jingwang.simulate.registrations import simulate_registrations, write_simulation

simulate_app = typer.Typer(
    name="simulate", help="Generate synthetic data with ground truth.", no_args_is_help=True
)
gangs_app = typer.Typer(
    name="gangs",
    help="Find bulk-registration gangs and identity abuse in registration logs.",
    no_args_is_help=True,
)
MAX_REPORTED_ERRORS = 10


def register(app: typer.Typer) -> None:
    """Add the ``simulate`` and ``gangs`` command families to ``app``."""
    app.add_typer(simulate_app)
    app.add_typer(gangs_app)


def _peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@simulate_app.command("registrations")
def simulate_registrations_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory to write into.")],
    accounts: Annotated[int, typer.Option(min=1_000, help="Accounts to register.")] = 100_000,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same logs.")] = 0,
) -> None:
    """Write registrations.jsonl (registrations, activity, scan labels) and truth.jsonl."""
    began = time.perf_counter()
    err = Console(stderr=True)
    with Progress(console=err, disable=not err.is_terminal, transient=True) as progress:
        task = progress.add_task("registering", total=accounts)
        simulation = simulate_registrations(
            accounts, seed, progress=lambda done: progress.advance(task, done)
        )
    try:
        log, truth = write_simulation(simulation, output)
    except OSError as exc:
        raise fail_all([f"{output}: cannot write: {exc}"]) from None
    gangs = {row["gang"] for row in simulation.truth if row["gang"]}
    members = sum(1 for row in simulation.truth if row["gang"])
    typer.echo(
        f"wrote {log} ({len(simulation.records)} records) and {truth}: {accounts} accounts, "
        f"{len(gangs)} planted gangs with {members} members, "
        f"{time.perf_counter() - began:.1f} s"
    )


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with path.open(encoding="utf-8") as lines:
            for lineno, line in enumerate(lines, start=1):
                if line.strip():
                    yield lineno, line
    except (OSError, UnicodeDecodeError) as exc:
        raise fail_all([f"{path}: cannot read: {exc}"]) from None


def _parse(line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"not JSON: {exc.msg}") from None


def _records(path: Path) -> Iterator[Record]:
    """Every record of ``path``; bad lines are collected and fail the run together."""
    errors: list[str] = []
    for lineno, line in _lines(path):
        try:
            data = _parse(line)
            if not isinstance(data, dict):
                raise RecordError("expected a JSON object")
            yield record_from_dict(data)
        except RecordError as exc:
            errors.append(f"{path}:{lineno}: {exc}")
            if len(errors) >= MAX_REPORTED_ERRORS:
                break
    if errors:
        raise fail_all(errors)


def _read_truth(path: Path) -> dict[str, str | None]:
    truth: dict[str, str | None] = {}
    for lineno, line in _lines(path):
        try:
            row = _parse(line)
        except RecordError as exc:
            raise fail_all([f"{path}:{lineno}: {exc}"]) from None
        if not isinstance(row, dict) or not isinstance(row.get("account"), str):
            raise fail_all([f"{path}:{lineno}: expected an object with an account"])
        gang = row.get("gang")
        truth[row["account"]] = str(gang) if gang is not None else None
    return truth


def _gangs_table(gangs: list[Gang], top: int) -> Table:
    table = Table(title=f"{len(gangs)} gangs (largest {min(top, len(gangs))})")
    for column in ("gang", "members", "score", "signals"):
        table.add_column(column)
    for gang in gangs[:top]:
        signals = "; ".join(f"{signal.kind}: {signal.detail}" for signal in gang.signals)
        table.add_row(escape(gang.id), str(len(gang.members)), f"{gang.score:g}", escape(signals))
    return table


@gangs_app.command("detect")
def detect(
    log: Annotated[Path, typer.Argument(help="Registration/activity/scan log (JSONL).")],
    truth: Annotated[
        Path | None, typer.Option(help="Ground truth (JSONL: account, gang) for scores.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write every gang with its evidence.")
    ] = None,
    top: Annotated[int, typer.Option(min=0, help="Gangs to list.")] = 10,
) -> None:
    """Build the association graph from LOG and report the gangs found in it."""
    detector = GangDetector()
    began = time.perf_counter()
    try:
        for record in _records(log):
            detector.graph.add(record)
    except RecordError as exc:  # an account registered twice
        raise fail_all([f"{log}: {exc}"]) from None
    built = time.perf_counter()
    gangs = detector.detect()
    detected = time.perf_counter()
    Console(highlight=False, soft_wrap=True).print(_gangs_table(gangs, top))
    flagged = {account for gang in gangs for account in gang.members}
    typer.echo(
        f"{len(detector.graph)} accounts, {len(gangs)} gangs, {len(flagged)} accounts flagged; "
        f"graph {built - began:.1f} s, detection {detected - built:.1f} s, "
        f"peak RSS {_peak_rss_mib():.0f} MiB"
    )
    if output is not None:
        try:
            with output.open("w", encoding="utf-8") as out:
                for gang in gangs:
                    out.write(json.dumps(asdict(gang), ensure_ascii=False) + "\n")
        except OSError as exc:
            raise fail_all([f"{output}: cannot write: {exc}"]) from None
    if truth is not None:
        scores = member_scores(flagged, _read_truth(truth))
        typer.echo(
            f"gang members: precision {scores.precision:.4f}, recall {scores.recall:.4f} "
            f"(TP {scores.true_positives}, FP {scores.false_positives}, "
            f"FN {scores.false_negatives})"
        )
