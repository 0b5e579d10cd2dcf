"""Run one harness under atheris (libFuzzer): ``python fuzz/run.py NAME [libFuzzer args]``.

    .venv/bin/python fuzz/run.py normalize -max_total_time=3600 fuzz/corpus/normalize

NAME is one of the keys of ``harnesses.HARNESSES``. Everything after it goes to
libFuzzer (``-runs=N``, ``-max_total_time=S``, ``-max_len=N``, corpus directories,
``-jobs``/``-workers``). ``JINGWANG_FUZZ_TOLERATE_KNOWN=1`` lets the crashes listed in
``harnesses.KNOWN_BUGS`` through, to look past them for new ones. A crash writes
``crash-<sha1>`` with the input to the current directory; ``python fuzz/run.py NAME
crash-<sha1>`` replays it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["jingwang", "harnesses", "html", "_markupbase", "httpx"]):
    import harnesses


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in harnesses.HARNESSES:
        names = ", ".join(harnesses.HARNESSES)
        sys.exit(f"usage: python fuzz/run.py NAME [libFuzzer args]; NAME is one of: {names}")
    name = sys.argv[1]
    tolerate = os.environ.get("JINGWANG_FUZZ_TOLERATE_KNOWN") == "1"
    target = harnesses.tolerating_known_bugs(name) if tolerate else harnesses.HARNESSES[name]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
