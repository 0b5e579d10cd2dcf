"""``benchmarks/bench_links.py`` runs end to end against its loopback server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_links.py"


def test_every_contender_is_timed() -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--requests", "3", "--repeats", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    rows = run.stdout.splitlines()[1:]
    names = [row.split("  ")[1].strip() for row in rows]
    assert names[0] == "plain httpx GET (baseline)" and len(names) == 7
    assert all("/s" in row and "p99" in row for row in rows)
