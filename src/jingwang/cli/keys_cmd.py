"""``jingwang keys``: create, list and revoke API keys in the configured database."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jingwang.adapters.storage import ApiKey, Role, issue_key
from jingwang.adapters.storage.api_keys import MAX_NAME_CHARS
from jingwang.cli.common import configured_storage, fail, settings_or_exit

keys_app = typer.Typer(
    name="keys",
    help="Manage API keys. Only a hash of each key is stored.",
    no_args_is_help=True,
)


@keys_app.command("create")
def create(
    role: Annotated[Role, typer.Option(help="What the key may do.", case_sensitive=False)],
    name: Annotated[str | None, typer.Option(help="A label for people; default: the role.")] = None,
) -> None:
    """Create a key and print it once on stdout (its id and prefix go to stderr)."""
    if name is not None and len(name) > MAX_NAME_CHARS:
        raise fail(f"--name has {len(name)} characters; the limit is {MAX_NAME_CHARS}", code=2)
    with configured_storage(settings_or_exit()) as storage:
        issued = issue_key(storage.api_keys, name or role.value, role)
    record = issued.record
    Console(stderr=True).print(
        f"created key {record.id} ({record.key_prefix}…, role {record.role}); it is shown only now",
        highlight=False,
    )
    typer.echo(issued.secret)


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def _keys_table(keys: list[ApiKey]) -> Table:
    table = Table("id", "name", "role", "prefix", "created", "revoked", title="API keys")
    for key in keys:
        table.add_row(
            str(key.id),
            key.name,
            key.role.value,
            key.key_prefix + "…",
            _when(key.created_at),
            _when(key.revoked_at),
            style="dim" if not key.active else None,
        )
    return table


@keys_app.command("list")
def list_keys() -> None:
    """List keys with their prefixes; the keys themselves are never shown again."""
    with configured_storage(settings_or_exit()) as storage:
        keys = storage.api_keys.list()
    if not keys:
        typer.echo("no API keys yet; create one with: jingwang keys create --role admin")
        return
    Console().print(_keys_table(keys))


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[int, typer.Argument(metavar="ID", help="Id from 'keys list'.")],
) -> None:
    """Revoke a key; requests using it are refused from now on."""
    with configured_storage(settings_or_exit()) as storage:
        key = storage.api_keys.revoke(key_id)
    if key is None:
        raise fail(f"no API key with id {key_id}")
    typer.echo(f"revoked key {key.id} ({key.key_prefix}…)")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(keys_app)
