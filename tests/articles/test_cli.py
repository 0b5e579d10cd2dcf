"""``jingwang rumors`` through Typer's test runner, with a file-backed knowledge base."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from jingwang.adapters.rumors import RumorStore
from jingwang.cli.rumors_cmd import register

RUMOUR = "城东菜市场卖的猪肉全是注水病死猪肉，吃了会食物中毒，家里有老人小孩的赶快转发提醒"


def _invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["rumors", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_add_list_check_remove(tmp_path: Path) -> None:
    kb = str(tmp_path / "kb.jsonl")
    code, out, _ = _invoke("add", "--text", RUMOUR, "--debunk", "示例市场监管 2025-06", "--kb", kb)
    assert code == 0 and "added r-" in out
    code, out, _ = _invoke(
        "add", "--text", RUMOUR, "--debunk", "另一个", "--id", "pork", "--kb", kb
    )
    assert code == 0 and "added pork" in out
    code, out, _ = _invoke("list", env={"JINGWANG_RUMOR_KB": kb})
    assert code == 0 and out.count("\n") == 2 and "示例市场监管 2025-06" in out
    code, out, _ = _invoke("list", "--seed", "--kb", kb)
    assert "seed-001" in out
    edited = "听说城东菜市场的猪肉都是注水的病死猪肉，吃了会食物中毒，家里有小孩的赶紧转发"
    code, out, _ = _invoke("check", "--text", edited, "--kb", kb)
    assert code == 1 and "pork" in out and "示例市场监管" in out
    code, out, _ = _invoke("remove", "pork", "--kb", kb)
    assert code == 0 and "removed pork" in out
    assert [entry.id for entry in RumorStore(Path(kb)).entries()] == ["r-0023"]


def test_check_without_a_match_exits_zero(tmp_path: Path) -> None:
    code, out, _ = _invoke(
        "check", "--text", "今天天气晴朗，适合出门散步。", "--kb", str(tmp_path / "none.jsonl")
    )
    assert code == 0 and "no known rumour" in out


def test_errors_exit_two(tmp_path: Path) -> None:
    kb = str(tmp_path / "kb.jsonl")
    code, _, err = _invoke("remove", "nope", "--kb", kb)
    assert code == 2 and "no entry" in err
    code, _, err = _invoke("remove", "seed-001", "--kb", kb)
    assert code == 2 and "seed" in err
    code, _, err = _invoke("add", "--text", "太短", "--debunk", "x", "--kb", kb)
    assert code == 2 and "too short" in err
    code, _, err = _invoke("add", "--text", RUMOUR, "--debunk", "x", "--id", "seed-001", "--kb", kb)
    assert code == 2 and "already exists" in err
    Path(kb).write_text("not json\n", encoding="utf-8")
    code, _, err = _invoke("list", "--kb", kb)
    assert code == 2 and "kb.jsonl:1" in err
