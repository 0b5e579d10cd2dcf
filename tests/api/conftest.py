"""An app over in-memory storage and a one-rule detector, with a key for every role.

Clients are entered as context managers, so that the app's lifespan (which opens the
storage and scanner) runs as it does under a real server.
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


class AdvertDetector:
    """Flags 广告 as spam: just enough to see findings come back."""

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


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'jingwang.db'}",
        mode="dev",
        max_items_per_request=5,
        max_text_chars=200,
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
    """``Authorization`` headers with each role's key."""
    return {role: {"Authorization": f"Bearer {key}"} for role, key in keys.items()}


@pytest.fixture
def client(settings: Settings, scanner: Scanner, storage: Storage) -> Iterator[TestClient]:
    with TestClient(create_app(settings, scanner, storage)) as test_client:
        yield test_client
