"""An app over in-memory storage with a key for every role, for the security suite.

Clients are entered as context managers so that the app's lifespan (storage, scanner,
rate limiter) runs as it does under a real server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jingwang.settings import Settings

PEPPER = "test-pepper-0123456789-abcdefghijklmnop"


@pytest.fixture(autouse=True)
def pepper(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("JINGWANG_IDENTITY_PEPPER", PEPPER)
    return PEPPER


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'jingwang.db'}",
        mode="dev",
        max_text_chars=200,
        fetch_links=False,
        hash_list_path=tmp_path / "hashes.tsv",
    )
