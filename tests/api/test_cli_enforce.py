"""``jingwang accounts | actions | audit`` against a temporary SQLite database.

``enforce_cmd`` is mounted on a bare Typer app here, so that the tests do not depend on
how ``main.py`` wires the command families together.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jingwang.adapters.enforcement import (
    EnforcementService,
    IdentityHasher,
    NewAccount,
    pepper_from_environment,
)
from jingwang.adapters.storage import SqlStorage
from jingwang.cli import enforce_cmd
from jingwang.core.policy import default_policy
from jingwang.settings import Settings


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    enforce_cmd.register(app)
    return app


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SqlStorage:
    """A database holding account a1, as the CLI will find it through the environment."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("JINGWANG_DATABASE_URL", url)
    monkeypatch.delenv("JINGWANG_MODE", raising=False)
    storage = SqlStorage.from_url(url)
    storage.migrate()
    hasher = IdentityHasher(pepper_from_environment(Settings()))
    service = EnforcementService(storage, default_policy(), hasher)
    at = datetime(2025, 5, 1, tzinfo=UTC)
    account = NewAccount("a1", "personal", "s1", "110101199003071234", "13812345678", "d", "ip", at)
    service.register(account, "service:test")
    return storage


def test_show_an_account(cli: typer.Typer, runner: CliRunner, storage: SqlStorage) -> None:
    result = runner.invoke(cli, ["accounts", "show", "a1"])
    assert result.exit_code == 0, result.output
    assert "status: active" in result.output
    assert "phone: 138****5678" in result.output
    as_json = runner.invoke(cli, ["accounts", "show", "a1", "--json"])
    assert '"strikes": 0' in as_json.output


def test_apply_a_ban_then_see_it(cli: typer.Typer, runner: CliRunner, storage: SqlStorage) -> None:
    args = ["actions", "apply", "--target", "account:a1", "--kind", "ban", "--reason", "porn"]
    applied = runner.invoke(cli, args)
    assert applied.exit_code == 0, applied.output
    assert applied.output.startswith("ban account:a1")
    shown = runner.invoke(cli, ["accounts", "show", "a1"])
    assert "status: banned" in shown.output
    assert "ban_reason: porn" in shown.output
    table = runner.invoke(cli, ["audit", "list"])
    assert table.exit_code == 0
    lines = runner.invoke(cli, ["audit", "list", "--json", "--after", "1"]).output.splitlines()
    # The ban, and the violation it puts on the subject's record.
    [entry, subject] = [json.loads(line) for line in lines]
    assert (entry["seq"], entry["what"], entry["reason"]) == (2, "ban", "porn")
    assert entry["actor"].startswith("cli:")
    assert subject["what"] == "record_subject_violation"
    assert subject["target"].startswith("subject:")


def test_a_restriction_for_some_days(
    cli: typer.Typer, runner: CliRunner, storage: SqlStorage
) -> None:
    args = ["actions", "apply", "--target", "account:a1", "--kind", "restrict"]
    args += ["--capability", "add_friends", "--days", "3", "--reason", "bulk adds"]
    assert runner.invoke(cli, args).exit_code == 0
    assert "restricted: add_friends until" in runner.invoke(cli, ["accounts", "show", "a1"]).output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["accounts", "show", "nobody"], 1, "no account nobody"),
        (["actions", "apply", "--target", "a1", "--kind", "ban", "--reason", "r"], 2, "account:ID"),
        (
            ["actions", "apply", "--target", "account:a1", "--kind", "nuke", "--reason", "r"],
            2,
            "one of",
        ),
        (
            ["actions", "apply", "--target", "account:zz", "--kind", "ban", "--reason", "r"],
            1,
            "no account:zz",
        ),
        (
            ["actions", "apply", "--target", "account:a1", "--kind", "unban", "--reason", "r"],
            1,
            "not banned",
        ),
        (
            ["actions", "apply", "--target", "account:a1", "--kind", "restrict", "--reason", "r"],
            1,
            "capability",
        ),
    ],
)
def test_errors_are_messages_not_tracebacks(
    cli: typer.Typer,
    runner: CliRunner,
    storage: SqlStorage,
    args: list[str],
    code: int,
    message: str,
) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == code
    assert message in result.output
    assert "Traceback" not in result.output


def test_audit_verify_on_an_intact_log(
    cli: typer.Typer, runner: CliRunner, storage: SqlStorage
) -> None:
    result = runner.invoke(cli, ["audit", "verify"])
    assert (result.exit_code, result.output.strip()) == (0, "OK: 1 audit entries, chain intact")
