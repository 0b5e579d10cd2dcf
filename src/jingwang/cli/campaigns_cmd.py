"""``jingwang campaigns``: index messages and find near-duplicate campaigns."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, BinaryIO, Final

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from jingwang.adapters.campaigns import CampaignStore, CampaignStoreError
from jingwang.cli.common import fail
from jingwang.core.campaigns import Match, Message, UnknownMessageError

campaigns_app = typer.Typer(
    name="campaigns",
    help="Find the same message pushed by many accounts or groups with small edits.",
    no_args_is_help=True,
)

_BATCH: Final = 5_000
_SHOWN_CHARS: Final = 60
_stderr = Console(stderr=True, highlight=False, soft_wrap=True)

IndexDir = Annotated[
    Path,
    typer.Option(
        "--index",
        envvar="JINGWANG_CAMPAIGN_INDEX",
        help="Index directory (created when absent).",
        file_okay=False,
    ),
]
Threshold = Annotated[
    float | None,
    typer.Option(min=0.01, max=1.0, help="Minimum estimated similarity (default: the index's)."),
]


def register(app: typer.Typer) -> None:
    """Add the ``campaigns`` command family to ``app``."""
    app.add_typer(campaigns_app)


class _LineError(ValueError):
    pass


def _open_store(index: Path) -> CampaignStore:
    try:
        return CampaignStore.open(index)
    except CampaignStoreError as exc:
        raise fail(str(exc), code=2) from None


def _optional_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _LineError(f"'{key}' must be a string")


def _message_from(raw: bytes) -> Message:
    try:
        obj = json.loads(raw)
    except ValueError as exc:
        raise _LineError(f"not valid JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise _LineError("not a JSON object")
    message_id = obj.get("id")
    if isinstance(message_id, bool) or not isinstance(message_id, str | int) or message_id == "":
        raise _LineError("'id' must be a non-empty string or integer")
    text = obj.get("text")
    if not isinstance(text, str):
        raise _LineError("'text' must be a string")
    at_text = _optional_str(obj, "at")
    try:
        at = datetime.fromisoformat(at_text) if at_text else None
    except ValueError:
        raise _LineError(f"'at' is not an ISO 8601 time: {at_text!r}") from None
    return Message(
        str(message_id), text, _optional_str(obj, "account"), _optional_str(obj, "group"), at
    )


def _numbered_lines(stream: BinaryIO, size: int) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based numbers, with a progress bar on a terminal."""
    if not sys.stderr.isatty():
        yield from ((n, raw) for n, raw in enumerate(stream, start=1) if raw.strip())
        return
    columns = (TextColumn("indexing"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, console=_stderr, transient=True) as progress:
        task = progress.add_task("indexing", total=size)
        for lineno, raw in enumerate(stream, start=1):
            progress.update(task, advance=len(raw))
            if raw.strip():
                yield lineno, raw


@campaigns_app.command("index")
def index_messages(
    messages: Annotated[
        Path, typer.Argument(help="JSONL: id, text, and optional account, group, at.")
    ],
    index: IndexDir = Path("jingwang-campaigns"),
) -> None:
    """Add every message of MESSAGES to the index; bad lines are reported (exit 1)."""
    try:
        stream = messages.open("rb")
    except OSError as exc:
        raise fail(f"cannot read {messages}: {exc.strerror}", code=2) from None
    counts = {"indexed": 0, "too_short": 0, "duplicate_id": 0}
    bad_lines = 0
    with _open_store(index) as store, stream:
        batch: list[Message] = []
        for lineno, raw in _numbered_lines(stream, messages.stat().st_size):
            try:
                batch.append(_message_from(raw))
            except _LineError as exc:
                bad_lines += 1
                _stderr.print(f"line {lineno}: {escape(str(exc))}")
            if len(batch) >= _BATCH:
                for outcome in store.add_many(batch):
                    counts[outcome] += 1
                batch = []
        for outcome in store.add_many(batch):
            counts[outcome] += 1
        total = len(store)
    typer.echo(
        f"indexed {counts['indexed']}, too short {counts['too_short']}, "
        f"already indexed {counts['duplicate_id']}; {total} messages in {index}"
    )
    if bad_lines:
        raise fail(f"{bad_lines} bad line(s) in {messages}", code=1)


def _print_matches(matches: list[Match], store: CampaignStore, evidence: bool) -> None:
    if not matches:
        typer.echo("no near-duplicates")
        return
    table = Table("similarity", "id", "account", "group", "text")
    for match in matches:
        message = store.get(match.message_id)
        text = message.text if message else ""
        table.add_row(
            f"{match.similarity:.2f}",
            escape(match.message_id),
            escape(match.account or "-"),
            escape(match.group or "-"),
            escape(_shorten(text)),
        )
        if evidence:
            for fragment in match.shared:
                table.add_row(
                    "",
                    "",
                    "",
                    "",
                    f"[dim]shared {fragment.in_match.start}-"
                    f"{fragment.in_match.end}: {escape(fragment.in_match.text)}[/dim]",
                )
    Console(soft_wrap=True).print(table)


def _shorten(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOWN_CHARS else flat[: _SHOWN_CHARS - 1] + "…"


@campaigns_app.command("find")
def find(
    text: Annotated[str | None, typer.Option(help="Find messages near this text.")] = None,
    message_id: Annotated[
        str | None, typer.Option("--id", help="Find messages near this indexed message.")
    ] = None,
    threshold: Threshold = None,
    index: IndexDir = Path("jingwang-campaigns"),
) -> None:
    """Print the indexed messages near --text or --id, most similar first."""
    if (text is None) == (message_id is None):
        raise fail("give exactly one of --text and --id", code=2)
    with _open_store(index) as store:
        try:
            matches = (
                store.near(text, threshold)
                if text is not None
                else store.near_message(str(message_id), threshold)
            )
        except UnknownMessageError as exc:
            raise fail(str(exc), code=1) from None
        _print_matches(matches, store, evidence=False)


@campaigns_app.command("confirm")
def confirm(
    message_id: Annotated[str, typer.Argument(metavar="ID", help="The confirmed-bad message.")],
    threshold: Threshold = None,
    index: IndexDir = Path("jingwang-campaigns"),
) -> None:
    """Mark ID as bad; print its near-duplicates from other accounts or groups."""
    with _open_store(index) as store:
        try:
            matches = store.confirm_bad(message_id, threshold)
        except UnknownMessageError as exc:
            raise fail(str(exc), code=1) from None
        _print_matches(matches, store, evidence=True)


@campaigns_app.command("list")
def list_campaigns(
    limit: Annotated[int, typer.Option(min=1, help="How many campaigns to show.")] = 10,
    index: IndexDir = Path("jingwang-campaigns"),
) -> None:
    """Print the largest campaigns: size, distinct accounts and groups, first message."""
    with _open_store(index) as store:
        campaigns = store.largest_campaigns(limit)
    if not campaigns:
        typer.echo("no campaigns (no two indexed messages are near-duplicates)")
        return
    table = Table("messages", "accounts", "groups", "bad", "first id", "first text")
    for members in campaigns:
        first = members[0]
        table.add_row(
            str(len(members)),
            str(len({m.account for m in members if m.account is not None})),
            str(len({m.group for m in members if m.group is not None})),
            str(sum(m.bad for m in members)),
            escape(first.message_id),
            escape(_shorten(first.text)),
        )
    Console(soft_wrap=True).print(table)
