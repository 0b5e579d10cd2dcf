"""``jingwang campaigns`` through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jingwang.cli.campaigns_cmd import register

from .conftest import SPAM, UNRELATED, VARIANTS


def _invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["campaigns", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def messages(tmp_path: Path) -> Path:
    rows = [{"id": "spam", "text": SPAM, "account": "a0", "group": "g0"}]
    rows += [
        {"id": n, "text": text, "account": f"a{n}", "at": "2026-03-01T12:00:00+08:00"}
        for n, text in enumerate(VARIANTS.values(), start=1)
    ]
    rows += [{"id": f"normal-{n}", "text": text} for n, text in enumerate(UNRELATED)]
    path = tmp_path / "messages.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return path


def test_index_then_find_confirm_and_list(tmp_path: Path, messages: Path) -> None:
    index = str(tmp_path / "idx")
    code, out, _ = _invoke("index", str(messages), "--index", index)
    assert code == 0, out
    assert "indexed 10" in out
    code, out, _ = _invoke("find", "--text", VARIANTS["different contact"], "--index", index)
    assert code == 0 and "spam" in out and "normal-0" not in out
    code, out, _ = _invoke("find", "--id", "normal-0", "--threshold", "0.6", "--index", index)
    assert code == 0 and "no near-duplicates" in out
    code, out, _ = _invoke("confirm", "spam", "--index", index)
    assert code == 0 and "a5" in out and "shared" in out
    code, out, _ = _invoke("list", env={"JINGWANG_CAMPAIGN_INDEX": index})
    assert code == 0 and "6" in out


def test_bad_lines_are_reported_with_numbers(tmp_path: Path, messages: Path) -> None:
    with messages.open("a") as stream:
        stream.write("not json\n\n")
        stream.write(json.dumps({"id": "x", "text": 5}) + "\n")
        stream.write(json.dumps({"id": "y", "text": SPAM, "at": "yesterday"}) + "\n")
    code, out, err = _invoke("index", str(messages), "--index", str(tmp_path / "idx"))
    assert code == 1
    assert "line 11: not valid JSON" in err
    assert "line 13: 'text' must be a string" in err
    assert "line 14: 'at' is not an ISO 8601 time" in err
    assert "indexed 10" in out


def test_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    index = str(tmp_path / "idx")
    code, _, err = _invoke("find", "--id", "nope", "--index", index)
    assert code == 1 and "not in the campaign index" in err
    code, _, err = _invoke("find", "--index", index)
    assert code == 2 and "exactly one of --text and --id" in err
    code, _, err = _invoke("index", str(tmp_path / "missing.jsonl"), "--index", index)
    assert code == 2 and "cannot read" in err
    (tmp_path / "idx" / "settings.json").write_text("{")
    code, _, err = _invoke("list", "--index", index)
    assert code == 2 and "settings" in err and "Traceback" not in err
