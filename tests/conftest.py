"""Fixtures shared by every test directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Scans in tests never follow links to the internet; tests/fetch drives the resolver
# against its own loopback server explicitly.
os.environ.setdefault("JINGWANG_FETCH_LINKS", "0")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def shared_data_path(*parts: str) -> Path:
    """A file under ../shared/data, skipping the test when a user's clone lacks it."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing, but CI runs with ../shared beside the checkout")
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path
