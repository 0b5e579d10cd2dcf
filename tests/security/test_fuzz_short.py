"""Short runs of the fuzz harnesses in ``fuzz/``: hypothesis always, atheris when installed.

The long, coverage-guided runs are documented in ``docs/security.md``. Crashes already
reported but not yet fixed are listed in ``harnesses.KNOWN_BUGS``: the runs here look
past them, and a strict xfail per bug turns red once its fix lands, so that the entry
is removed and the harness checks that input again.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support import load_module

FUZZ_DIR = Path(__file__).resolve().parents[2] / "fuzz"


harnesses = load_module("jingwang_fuzz_harnesses", FUZZ_DIR / "harnesses.py")
NAMES = sorted(harnesses.HARNESSES)

# Bytes as the fuzzer makes them, and UTF-8 text (lone surrogates included, as JSON
# escapes deliver them) with the markup and URL pieces the parsers branch on.
_PIECES = st.sampled_from(
    [
        "http://",
        "https://",
        "www.",
        ".com",
        "点",
        "。",
        "/",
        "<![",
        "<meta ",
        "charset=",
        "<script>",
        "location=",
        '"',
        "{",
        "}",
        '"id"',
        ":",
        ",",
        "\\ud800",
        "%",
        "@",
        "\n",
    ]
)
_TEXT = st.lists(st.one_of(st.text(max_size=20), _PIECES), max_size=20).map("".join)
INPUTS = st.one_of(
    st.binary(max_size=400),
    _TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.tuples(st.binary(min_size=1, max_size=1), _TEXT).map(
        lambda pair: pair[0] + pair[1].encode("utf-8", "surrogatepass")
    ),
)


@pytest.mark.parametrize("name", NAMES)
def test_harness_with_hypothesis(name: str) -> None:
    target = harnesses.tolerating_known_bugs(name)

    @given(data=INPUTS)
    @settings(
        max_examples=int(os.environ.get("JINGWANG_FUZZ_EXAMPLES", "200")),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(data: bytes) -> None:
        target(data)

    run()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "seed",
    [b"", b"\x00", "加我薇信 pan点baidu点com/s/1x 看片".encode(), b'{"id":"1","text":"x"}'],
)
def test_harness_on_seeds(name: str, seed: bytes) -> None:
    harnesses.HARNESSES[name](seed)


@pytest.mark.parametrize(
    ("bug", "name"),
    [(bug, name) for bug, names in harnesses.KNOWN_BUG_HARNESSES.items() for name in names],
)
@pytest.mark.xfail(strict=True, reason="reported, not fixed yet: see harnesses.KNOWN_BUGS")
def test_known_bug_still_crashes(bug: str, name: str) -> None:
    data, _ = harnesses.KNOWN_BUGS[bug]
    harnesses.HARNESSES[name](data)


@pytest.mark.parametrize("crash", sorted(harnesses.FIXED_CRASHES))
def test_fixed_crash_stays_fixed(crash: str) -> None:
    name, data = harnesses.FIXED_CRASHES[crash]
    harnesses.HARNESSES[name](data)


@pytest.mark.parametrize("bug", sorted(harnesses.KNOWN_BUGS))
def test_known_bugs_are_recognised(bug: str) -> None:
    """The tolerance matches exactly the crash of each known input, nothing broader."""
    data, matcher = harnesses.KNOWN_BUGS[bug]
    for name in harnesses.KNOWN_BUG_HARNESSES[bug]:
        try:
            harnesses.HARNESSES[name](data)
        except Exception as exc:
            assert matcher(exc), exc
        harnesses.tolerating_known_bugs(name)(data)
    assert not matcher(ValueError("unrelated"))


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_harness_with_atheris(name: str, tmp_path: Path) -> None:
    if importlib.util.find_spec("atheris") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("atheris is not installed (CI=true requires it)")
        pytest.skip("atheris is not installed")
    env = {**os.environ, "JINGWANG_FUZZ_TOLERATE_KNOWN": "1"}
    done = subprocess.run(
        [sys.executable, str(FUZZ_DIR / "run.py"), name, "-runs=1000", "-seed=1", "-max_len=256"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    assert "Done 1000 runs" in output, output[-2000:]
    assert not list(tmp_path.glob("crash-*"))
