"""``jingwang keys``, ``serve`` and ``demo`` against a temporary SQLite database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jingwang.adapters.storage import Role, SqlStorage, hash_key
from jingwang.cli import serve_cmd
from jingwang.cli.main import app
from jingwang.core.detect.registry import DetectorLoadError
from jingwang.core.pipeline import Scanner

UNREACHABLE = "postgresql+psycopg://jw:s3cret@127.0.0.1:1/jingwang"


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("JINGWANG_DATABASE_URL", url)
    monkeypatch.delenv("JINGWANG_MODE", raising=False)
    return url


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Calls to uvicorn.run, recorded instead of serving; the scanner has no detectors."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(serve_cmd.uvicorn, "run", lambda app, **options: calls.append(options))
    monkeypatch.setattr(Scanner, "from_names", classmethod(lambda cls, names=None: cls([])))
    return calls


def _stored(database_url: str) -> SqlStorage:
    storage = SqlStorage.from_url(database_url)
    storage.migrate()
    return storage


def test_create_prints_the_key_once_on_stdout(runner: CliRunner, database_url: str) -> None:
    result = runner.invoke(app, ["keys", "create", "--role", "moderator", "--name", "desk"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith("jw_")
    assert "created key 1" in result.stderr
    assert secret not in result.stderr
    key = _stored(database_url).api_keys.find_by_hash(hash_key(secret))
    assert key is not None
    assert (key.name, key.role) == ("desk", Role.MODERATOR)


def test_bad_role_lists_the_roles_and_exits_2(runner: CliRunner, database_url: str) -> None:
    result = runner.invoke(app, ["keys", "create", "--role", "root"])
    assert result.exit_code == 2
    assert all(role.value in result.stderr for role in Role)


def test_overlong_name_exits_2(runner: CliRunner, database_url: str) -> None:
    result = runner.invoke(app, ["keys", "create", "--role", "admin", "--name", "n" * 101])
    assert result.exit_code == 2
    assert "the limit is 100" in result.stderr


def test_list_shows_prefixes_and_revoke_marks_the_key(runner: CliRunner, database_url: str) -> None:
    secret = runner.invoke(app, ["keys", "create", "--role", "service"]).stdout.strip()
    listed = runner.invoke(app, ["keys", "list"])
    assert listed.exit_code == 0
    assert secret[:11] in listed.stdout
    assert secret not in listed.stdout
    revoked = runner.invoke(app, ["keys", "revoke", "1"])
    assert revoked.exit_code == 0
    assert "revoked key 1" in revoked.stdout
    key = _stored(database_url).api_keys.find_by_hash(hash_key(secret))
    assert key is not None
    assert not key.active


def test_revoking_an_unknown_key_exits_1(runner: CliRunner, database_url: str) -> None:
    result = runner.invoke(app, ["keys", "revoke", "42"])
    assert result.exit_code == 1
    assert "no API key with id 42" in result.stderr


@pytest.mark.parametrize("command", [["keys", "list"], ["serve"], ["demo"]])
def test_unreachable_database_is_a_message_not_a_traceback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, served: list[Any], command: list[str]
) -> None:
    monkeypatch.setenv("JINGWANG_DATABASE_URL", UNREACHABLE)
    result = runner.invoke(app, command)
    assert result.exit_code == 1
    assert "is not usable" in result.stderr
    assert "s3cret" not in result.stderr
    assert "Traceback" not in result.output
    assert served == []


def test_prod_mode_refuses_sqlite(
    runner: CliRunner, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JINGWANG_MODE", "prod")
    result = runner.invoke(app, ["keys", "list"])
    assert result.exit_code == 2
    assert "SQLite" in result.stderr


def test_serve_runs_uvicorn_on_the_given_address(
    runner: CliRunner, database_url: str, served: list[dict[str, Any]]
) -> None:
    result = runner.invoke(app, ["serve", "--host", "127.0.0.1", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served == [{"host": "127.0.0.1", "port": 8123, "reload": False, "factory": False}]


def test_serve_reports_detectors_that_fail_to_load(
    runner: CliRunner, database_url: str, served: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(cls: type[Scanner], names: object = None) -> Scanner:
        raise DetectorLoadError("model", ModuleNotFoundError("no model here"))

    monkeypatch.setattr(Scanner, "from_names", classmethod(broken))
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 1
    assert "detector 'model' failed to load" in result.stderr
    assert served == []


def test_demo_prints_a_working_admin_key_and_replaces_the_last_one(
    runner: CliRunner, database_url: str, served: list[dict[str, Any]]
) -> None:
    first = runner.invoke(app, ["demo", "--port", "8124"])
    second = runner.invoke(app, ["demo", "--port", "8124"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert "Demo admin key: jw_" in second.stdout
    assert "curl" in second.stdout
    assert "http://127.0.0.1:8124/v1/scan" in second.stdout
    assert len(served) == 2
    keys = _stored(database_url).api_keys.list()
    assert [(k.name, k.role, k.active) for k in keys] == [
        ("demo admin", Role.ADMIN, False),
        ("demo admin", Role.ADMIN, True),
    ]
    assert keys[1].key_prefix in second.stdout
