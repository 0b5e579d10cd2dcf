"""``jingwang policy``: validate a policy file and replay recorded events under it."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from jingwang.cli.common import fail_all
from jingwang.core.enforcement import (
    AccountOutcome,
    ContentEvent,
    Event,
    EventError,
    OutcomeChange,
    Replay,
    account_outcomes,
    compare,
    event_from_dict,
    replay,
)
from jingwang.core.policy import Policy, PolicyError, default_policy, load_policy

policy_app = typer.Typer(
    name="policy",
    help="Check enforcement policies and simulate them over recorded events.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``policy`` command family to ``app``."""
    app.add_typer(policy_app)


def _policy_or_exit(path: Path | None) -> Policy:
    try:
        return default_policy() if path is None else load_policy(path)
    except PolicyError as exc:
        raise fail_all([issue.render(exc.source) for issue in exc.issues]) from None


@policy_app.command("check")
def check(file: Annotated[Path, typer.Argument(help="The policy YAML file.")]) -> None:
    """Validate FILE; print its version and rule counts, or every error (exit 1)."""
    policy = _policy_or_exit(file)
    subcategory_rules = sum(len(rule.subcategories) for rule in policy.labels.values())
    typer.echo(
        f"OK {file}: policy version {policy.version}: {len(policy.labels)} label rules, "
        f"{subcategory_rules} subcategory rules, {len(policy.escalation)} escalation steps, "
        f"{len(policy.surfaces)} surface rules, {len(policy.capabilities)} capabilities"
    )


def _read_events(path: Path) -> list[Event]:
    """Every event of a JSONL file; any bad line fails the whole run with its number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise fail_all([f"{path}: cannot read: {exc}"]) from None
    events: list[Event] = []
    errors: list[str] = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            events.append(event_from_dict(json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append(f"{path}:{lineno}: invalid JSON: {exc.msg} at column {exc.colno}")
        except EventError as exc:
            errors.append(f"{path}:{lineno}: {exc}")
    if errors:
        raise fail_all(errors)
    return events


def _outcome_dict(outcome: AccountOutcome | None) -> dict[str, Any] | None:
    if outcome is None:
        return None
    return {
        "state": outcome.state,
        "active_weight": outcome.active_weight,
        "actions": dict(outcome.action_counts),
    }


def _actions_text(outcome: AccountOutcome | None) -> str:
    if outcome is None:
        return "—"
    counts = ", ".join(f"{kind}×{count}" for kind, count in outcome.action_counts)
    return f"{outcome.state} (weight {outcome.active_weight}) {counts}".strip()


def _report(
    policy: Policy,
    result: Replay,
    outcomes: dict[str, AccountOutcome],
    event_count: int,
    at: datetime,
) -> dict[str, Any]:
    totals = Counter(action.kind for action in result.actions)
    return {
        "policy_version": policy.version,
        "at": at.isoformat(),
        "events": event_count,
        "actions": dict(sorted(totals.items())),
        "accounts": [
            {"account": account, **(_outcome_dict(outcome) or {})}
            for account, outcome in outcomes.items()
        ],
    }


def _render(report: dict[str, Any], changes: list[OutcomeChange] | None, baseline: str) -> None:
    console = Console()
    console.print(
        f"policy {report['policy_version']}: {report['events']} events replayed, "
        f"status at {report['at']}",
        highlight=False,
    )
    table = Table("account", "state", "weight", "actions", title="Outcome per account")
    for row in report["accounts"]:
        counts = ", ".join(f"{kind}×{count}" for kind, count in row["actions"].items())
        table.add_row(row["account"], row["state"], str(row["active_weight"]), counts)
    console.print(table)
    if changes is None:
        return
    diff = Table("account", f"baseline {baseline}", "this policy", title="Changes")
    for change in changes:
        diff.add_row(
            change.account, _actions_text(change.baseline), _actions_text(change.candidate)
        )
    console.print(diff if changes else "no account's outcome changes against the baseline")


@policy_app.command("simulate")
def simulate(
    events: Annotated[Path, typer.Option("--events", help="Recorded events, one JSON a line.")],
    policy_file: Annotated[
        Path | None, typer.Option("--policy", help="Policy to simulate; default: built-in.")
    ] = None,
    baseline_file: Annotated[
        Path | None, typer.Option("--baseline", help="Policy to compare against.")
    ] = None,
    at: Annotated[
        datetime | None,
        typer.Option(help="Report statuses at this time; default: the last event's time."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Replay EVENTS in time order with the pure engine and report each account's outcome."""
    policy = _policy_or_exit(policy_file)
    baseline_policy = None if baseline_file is None else _policy_or_exit(baseline_file)
    recorded = _read_events(events)
    if at is not None and at.tzinfo is None:
        raise fail_all(["--at needs a UTC offset, e.g. 2025-01-01T00:00:00+00:00"])
    moment = at or max((event.at for event in recorded), default=None)
    if moment is None:
        raise fail_all([f"{events}: no events"])
    # Accounts of content events are reported even when nothing hit them.
    posters = [event.account for event in recorded if isinstance(event, ContentEvent)]
    result = replay(recorded, policy)
    outcomes = account_outcomes(result, posters, moment)
    report = _report(policy, result, outcomes, len(recorded), moment)
    changes = None
    if baseline_policy is not None:
        baseline = account_outcomes(replay(recorded, baseline_policy), posters, moment)
        changes = compare(baseline, outcomes)
        report["baseline_version"] = baseline_policy.version
        report["changes"] = [
            {
                "account": change.account,
                "baseline": _outcome_dict(change.baseline),
                "policy": _outcome_dict(change.candidate),
            }
            for change in changes
        ]
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _render(report, changes, "" if baseline_policy is None else baseline_policy.version)
