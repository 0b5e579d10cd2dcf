"""Helpers every command family shares: errors without tracebacks, settings, storage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from jingwang.adapters.storage import PoolOptions, SqlStorage, StorageError
from jingwang.settings import Settings, SettingsError, load_settings


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` to stderr and return the exit to raise."""
    return fail_all([message], code)


def fail_all(messages: list[str], code: int = 1) -> typer.Exit:
    """Print each message as an error line on stderr and return the exit to raise.

    Messages are escaped (a path or a parser's complaint may contain ``[...]``, which
    Rich would read as markup) and never wrapped, so that each stays one greppable line.
    """
    console = Console(stderr=True, highlight=False, soft_wrap=True)
    for message in messages:
        console.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)


def settings_or_exit() -> Settings:
    """The settings from the environment; refused ones exit with 2, like usage errors."""
    try:
        return load_settings()
    except SettingsError as exc:
        raise fail(str(exc), code=2) from None


@contextmanager
def configured_storage(settings: Settings) -> Iterator[SqlStorage]:
    """The settings' database, migrated; a database that cannot be used exits with 1."""
    try:
        storage = SqlStorage.from_url(settings.database_url, PoolOptions.from_settings(settings))
    except StorageError as exc:
        raise fail(str(exc)) from None
    try:
        storage.migrate()
        yield storage
    except StorageError as exc:
        raise fail(str(exc)) from None
    finally:
        storage.close()
