"""``benchmarks/cloak_check.py``: the independent cloaks and the report."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support import load_module

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "cloak_check.py"


cloak_check = load_module("jingwang_bench_cloak_check", SCRIPT)
TEXT = "加我微信看精彩视频，每天都有新内容，兼职日结高佣金"


@pytest.mark.parametrize("name", sorted(cloak_check.CLOAKS))
def test_each_cloak_changes_chinese_text_deterministically(name: str) -> None:
    cloak = cloak_check.CLOAKS[name]
    once = cloak(TEXT, random.Random("seed"))
    assert once != TEXT
    assert once == cloak(TEXT, random.Random("seed"))


def test_layout_cloaks_space_out_every_character() -> None:
    assert cloak_check.spaced("加我微信", random.Random(0)) == "加 我 微 信"
    assert cloak_check.vertical("加我微信", random.Random(0)) == "加\n我\n微\n信"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_cloaks_never_raise(text: str) -> None:
    for cloak in cloak_check.CLOAKS.values():
        assert isinstance(cloak(text, random.Random(text)), str)


def test_report_scores_every_cloak(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        {"text": TEXT, "label": "fraud"},
        {"text": "今天天气很好，我们去公园散步吧", "label": "normal"},
    ]
    data = tmp_path / "dev.jsonl"
    data.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    assert cloak_check.main([str(data)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["clean", *cloak_check.CLOAKS]
    assert cloak_check.main([str(tmp_path / "absent.jsonl")]) == 0
