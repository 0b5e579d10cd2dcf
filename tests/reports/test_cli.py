"""``jingwang report`` against a temporary SQLite database, through CliRunner.

``report_cmd`` is mounted on a bare Typer app, independent of how ``main.py`` wires it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jingwang.adapters.storage import SqlStorage
from jingwang.cli import report_cmd

from .conftest import build_month, history_on

PERIOD = ["--from", "2025-05-01", "--to", "2025-05-31"]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty database, found through the environment."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("JINGWANG_DATABASE_URL", url)
    monkeypatch.delenv("JINGWANG_MODE", raising=False)
    return url


@pytest.fixture
def cli(database: str) -> typer.Typer:
    """The command over a database with the month's history."""
    storage = SqlStorage.from_url(database)
    storage.migrate()
    build_month(history_on(storage))
    storage.close()
    return _bare_app()


def _bare_app() -> typer.Typer:
    app = typer.Typer()
    report_cmd.register(app)
    # A second command keeps Typer from collapsing the app into the single command.
    app.command("noop")(lambda: None)
    return app


def test_json_to_stdout(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["report", *PERIOD, "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["from"] == "2025-05-01"
    assert document["by_label"]["porn"]["accounts"] == 2


@pytest.mark.parametrize(("fmt", "marker"), [("md", "# 净网透明度报告"), ("html", "<svg")])
def test_other_formats_to_a_file(cli: typer.Typer, tmp_path: Path, fmt: str, marker: str) -> None:
    target = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(cli, ["report", *PERIOD, "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert marker in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "2025-05-31", "--to", "2025-05-01"],
        ["--from", "31/05/2025", "--to", "2025-05-31"],
        [*PERIOD, "--format", "pdf"],
    ],
)
def test_usage_errors_exit_2(database: str, args: list[str]) -> None:
    result = CliRunner().invoke(_bare_app(), ["report", *args])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
