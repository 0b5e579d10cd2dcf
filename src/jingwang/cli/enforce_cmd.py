"""``jingwang accounts | actions | audit``: enforcement records from the command line.

The commands work on the configured database (``JINGWANG_DATABASE_URL``) through the
same service as the API, so a measure taken here is audited like one taken over HTTP.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, cast, get_args

import typer
from rich.console import Console
from rich.table import Table

from jingwang.adapters.enforcement import (
    AccountView,
    EnforcementError,
    EnforcementService,
    IdentityHasher,
    ManualAction,
    ManualKind,
    ManualTarget,
    pepper_from_environment,
)
from jingwang.adapters.storage import AuditEntry
from jingwang.cli.common import configured_storage, fail, settings_or_exit
from jingwang.core.policy import default_policy
from jingwang.settings import SettingsError

accounts_app = typer.Typer(name="accounts", help="Inspect accounts.", no_args_is_help=True)
actions_app = typer.Typer(name="actions", help="Take manual measures.", no_args_is_help=True)
audit_app = typer.Typer(name="audit", help="Read and verify the audit log.", no_args_is_help=True)

_TARGET_TYPES = get_args(ManualTarget)
_KINDS = get_args(ManualKind)


@contextmanager
def _service() -> Iterator[EnforcementService]:
    settings = settings_or_exit()
    try:
        hasher = IdentityHasher(pepper_from_environment(settings))
    except SettingsError as exc:
        raise fail(str(exc), code=2) from None
    with configured_storage(settings) as storage:
        try:
            yield EnforcementService(storage, default_policy(), hasher)
        except EnforcementError as exc:
            raise fail(exc.message) from None


def _actor() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        user = "unknown"
    return f"cli:{user}"


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _account_dict(view: AccountView) -> dict[str, Any]:
    record = view.record
    return {
        "id": record.id,
        "kind": record.kind,
        "status": view.status.state,
        "strikes": view.status.active_weight,
        "subject": record.subject_id,
        "phone": record.phone_masked,
        "registered_at": record.registered_at.isoformat(),
        "ban_reason": view.ban_reason,
        "reverification_required": view.reverification_required,
        "restrictions": [
            {"capability": r.capability, "until": r.until.isoformat(), "reason": r.reason}
            for r in view.status.restrictions
        ],
    }


@accounts_app.command("show")
def show_account(
    account_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """An account's status now: state, active strike weight, restrictions in force."""
    with _service() as service:
        view = service.account(account_id)
    if view is None:
        raise fail(f"no account {account_id}")
    shown = _account_dict(view)
    if as_json:
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=2))
        return
    for key in ("id", "kind", "status", "strikes", "subject", "phone", "ban_reason"):
        if shown[key] is not None:
            typer.echo(f"{key}: {shown[key]}")
    if view.reverification_required:
        typer.echo("reverification: required")
    for restriction in view.status.restrictions:
        typer.echo(
            f"restricted: {restriction.capability} until {_when(restriction.until)}"
            f" ({restriction.reason})"
        )


def _parse_target(target: str) -> tuple[ManualTarget, str]:
    kind, _, target_id = target.partition(":")
    if kind not in _TARGET_TYPES or not target_id:
        raise fail(f"--target {target!r}: use account:ID, group:ID or subject:ID", code=2)
    return cast(ManualTarget, kind), target_id


@actions_app.command("apply")
def apply_action(
    target: Annotated[str, typer.Option(help="account:ID, group:ID or subject:ID.")],
    kind: Annotated[str, typer.Option(help=f"One of: {', '.join(_KINDS)}.")],
    reason: Annotated[str, typer.Option(help="Why; stored in the audit log.")],
    capability: Annotated[str | None, typer.Option(help="For restrict.")] = None,
    days: Annotated[int | None, typer.Option(min=1, help="For restrict: how long.")] = None,
) -> None:
    """Apply a manual measure, audited with the current login name as actor."""
    if kind not in _KINDS:
        raise fail(f"--kind {kind!r}: use one of {', '.join(_KINDS)}", code=2)
    target_type, target_id = _parse_target(target)
    until = None if days is None else datetime.now(UTC) + timedelta(days=days)
    manual = ManualAction(cast(ManualKind, kind), target_type, target_id, reason, capability, until)
    with _service() as service:
        records = service.act(manual, _actor())
    for record in records:
        typer.echo(f"{record.kind} {record.target} (action {record.id})")


def _audit_table(entries: list[AuditEntry]) -> Table:
    table = Table("seq", "at", "actor", "what", "target", "reason", title="audit log")
    for entry in entries:
        table.add_row(
            str(entry.seq), _when(entry.at), entry.actor, entry.what, entry.target, entry.reason
        )
    return table


@audit_app.command("list")
def list_audit(
    after: Annotated[int, typer.Option(min=0, help="Entries after this sequence number.")] = 0,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object a line.")] = False,
) -> None:
    """Audit entries in sequence order."""
    with _service() as service:
        entries = service.audit_page(after, limit)
    if as_json:
        for entry in entries:
            fields = asdict(entry) | {"at": entry.at.isoformat(), "evidence": dict(entry.evidence)}
            typer.echo(json.dumps(fields, ensure_ascii=False))
        return
    if not entries:
        typer.echo("no audit entries" + (f" after {after}" if after else ""))
        return
    Console().print(_audit_table(entries))


@audit_app.command("verify")
def verify_audit() -> None:
    """Recompute the hash chain; exit 1 with the first bad sequence number if broken."""
    with _service() as service:
        check = service.verify_audit()
    if not check.ok:
        raise fail(f"audit chain broken at seq {check.first_bad_seq} ({check.checked} checked)")
    typer.echo(f"OK: {check.checked} audit entries, chain intact")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    for sub in (accounts_app, actions_app, audit_app):
        app.add_typer(sub)
