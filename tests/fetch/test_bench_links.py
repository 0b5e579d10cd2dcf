"""``benchmarks/bench_links.py`` runs end to end against its loopback server."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_links.py"


def _load():  # the benchmarks are scripts, not a package
    name = "jingwang_bench_links"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SCRIPT)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_every_contender_is_timed(capsys: pytest.CaptureFixture[str]) -> None:
    assert _load().main(["--requests", "3", "--repeats", "1"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    names = [row.split("  ")[1].strip() for row in rows]
    assert names[0] == "plain httpx GET (baseline)" and len(names) == 7
    assert all("/s" in row and "p99" in row for row in rows)
