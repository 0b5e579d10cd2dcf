"""An app over in-memory storage with a key for every role, for the security suite.

Clients are entered as context managers so that the app's lifespan (storage, scanner,
rate limiter) runs as it does under a real server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jingwang.adapters.storage import InMemoryStorage, Role, Storage, issue_key
from jingwang.api import create_app
from jingwang.core.detect.base import NormalizedItem
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Evidence, Finding
from jingwang.settings import Settings

PEPPER = "test-pepper-0123456789-abcdefghijklmnop"


class AdvertDetector:
    """Flags 广告 as spam: enough for scans and events to produce findings and actions."""

    name = "advert"
    labels = ("spam",)

    def detect(self, item: NormalizedItem) -> list[Finding]:
        findings = []
        for view in item.views:
            start = view.original.find("广告")
            if start >= 0:
                evidence = Evidence(start, start + 2, "广告", view.source)
                findings.append(Finding(self.name, "spam", 0.95, (evidence,)))
        return findings


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


@pytest.fixture
def scanner() -> Scanner:
    return Scanner([AdvertDetector()])


@pytest.fixture
def storage() -> InMemoryStorage:
    return InMemoryStorage()


@pytest.fixture
def keys(storage: Storage) -> dict[Role, str]:
    """One active key per role."""
    return {role: issue_key(storage.api_keys, role.value, role).secret for role in Role}


@pytest.fixture
def headers(keys: dict[Role, str]) -> dict[Role, dict[str, str]]:
    return {role: {"Authorization": f"Bearer {key}"} for role, key in keys.items()}


@pytest.fixture
def client(settings: Settings, scanner: Scanner, storage: Storage) -> Iterator[TestClient]:
    with TestClient(create_app(settings, scanner, storage)) as test_client:
        yield test_client
