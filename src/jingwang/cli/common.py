"""Helpers every command family shares: errors without tracebacks, settings, storage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from jingwang.adapters.storage import SqlStorage, StorageError
from jingwang.settings import Settings, SettingsError, load_settings


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` to stderr and return the exit to raise."""
    Console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
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
        storage = SqlStorage.from_url(settings.database_url)
    except StorageError as exc:
        raise fail(str(exc)) from None
    try:
        storage.migrate()
        yield storage
    except StorageError as exc:
        raise fail(str(exc)) from None
    finally:
        storage.close()
