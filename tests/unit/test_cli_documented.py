"""Every command of the CLI is listed in docs/cli.md, so none ships undocumented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from jingwang.cli.main import app

CLI_DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def command_paths(command: Any, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        yield " ".join(prefix)
        return
    for name, sub in subcommands.items():
        yield from command_paths(sub, (*prefix, name))


COMMANDS = sorted(command_paths(get_command(app)))


def test_the_cli_has_commands() -> None:
    assert {"scan", "detectors", "serve", "demo", "keys create"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_documented(command: str) -> None:
    assert f"`jingwang {command}" in CLI_DOC.read_text(encoding="utf-8")
