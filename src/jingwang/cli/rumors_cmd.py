"""``jingwang rumors``: keep the rumour knowledge base that the article detector matches."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jingwang.adapters.rumors import DEFAULT_PATH, ENV_VAR, RumorStore
from jingwang.cli.common import fail
from jingwang.core.detect.article import KnowledgeBaseError, seed_entries
from jingwang.core.detect.article.detector import KB_STRONG, KB_WEAK

rumors_app = typer.Typer(
    name="rumors",
    help="The rumour knowledge base: known rumours and where they were debunked.",
    no_args_is_help=True,
)

KbPath = Annotated[
    Path,
    typer.Option("--kb", envvar=ENV_VAR, help="Knowledge base file (JSONL).", dir_okay=False),
]
_SHOWN_CHARS = 60


def register(app: typer.Typer) -> None:
    """Add the ``rumors`` command family to ``app``."""
    app.add_typer(rumors_app)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOWN_CHARS else flat[: _SHOWN_CHARS - 1] + "…"


@rumors_app.command("add")
def add(
    text: Annotated[str, typer.Option("--text", help="The rumour as it circulates.")],
    debunk: Annotated[str, typer.Option("--debunk", help="Where it was debunked.")],
    entry_id: Annotated[
        str | None, typer.Option("--id", help="Entry id (default: the next free one).")
    ] = None,
    kb: KbPath = DEFAULT_PATH,
) -> None:
    """Add a rumour with its debunking source."""
    try:
        entry = RumorStore(kb).add(text, debunk, entry_id)
    except KnowledgeBaseError as exc:
        raise fail(str(exc), code=2) from None
    typer.echo(f"added {entry.id}")


@rumors_app.command("list")
def list_entries(
    seed: Annotated[bool, typer.Option("--seed", help="Include the packaged seed.")] = False,
    kb: KbPath = DEFAULT_PATH,
) -> None:
    """List the knowledge base's rumours: id, debunk source, text."""
    try:
        entries = [*seed_entries(), *RumorStore(kb).entries()] if seed else RumorStore(kb).entries()
    except KnowledgeBaseError as exc:
        raise fail(str(exc), code=2) from None
    for entry in entries:
        typer.echo(f"{entry.id}\t{entry.debunk}\t{_short(entry.text)}")
    typer.echo(f"{len(entries)} rumour(s)", err=True)


@rumors_app.command("remove")
def remove(
    entry_id: Annotated[str, typer.Argument(help="Id of the entry.")], kb: KbPath = DEFAULT_PATH
) -> None:
    """Remove a rumour from the knowledge base file."""
    try:
        entry = RumorStore(kb).remove(entry_id)
    except KnowledgeBaseError as exc:
        raise fail(str(exc), code=2) from None
    typer.echo(f"removed {entry.id}")


@rumors_app.command("check")
def check(
    text: Annotated[str, typer.Option("--text", help="Text to look up.")],
    kb: KbPath = DEFAULT_PATH,
) -> None:
    """Find known rumours that TEXT re-publishes (seed and file); exit 1 when one matches."""
    try:
        matches = RumorStore(kb).knowledge_base().match(text, KB_WEAK)
    except KnowledgeBaseError as exc:
        raise fail(str(exc), code=2) from None
    if not matches:
        typer.echo("no known rumour matches")
        return
    for match in matches:
        strength = "same rumour" if match.similarity >= KB_STRONG else "similar"
        typer.echo(
            f"{match.entry.id}\t{match.similarity:.2f}\t{strength}\t{match.entry.debunk}\t"
            f"{_short(match.entry.text)}"
        )
    raise typer.Exit(1)
