"""An app with a stub scanner (看片 is porn, 加微信 is spam) over in-memory or SQLite
storage, a key per role, and builders of registrations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jingwang.adapters.storage import InMemoryStorage, Role, SqlStorage, Storage, issue_key
from jingwang.api import create_app
from jingwang.core.detect.base import NormalizedItem
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Evidence, Finding
from jingwang.settings import Settings

T0 = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
Headers = dict[Role, dict[str, str]]
MakeAccount = Callable[..., dict[str, Any]]


class StubDetector:
    """Flags 看片 as porn and 加微信 as spam, with full confidence."""

    name = "stub"
    labels: tuple[str, ...] = ("porn", "spam")

    def detect(self, item: NormalizedItem) -> list[Finding]:
        findings = []
        for view in item.views:
            for needle, label in (("看片", "porn"), ("加微信", "spam")):
                start = view.original.find(needle)
                if start >= 0:
                    evidence = Evidence(start, start + len(needle), needle, view.source)
                    findings.append(Finding(self.name, label, 0.99, (evidence,)))
        return findings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'jingwang.db'}",
        mode="dev",
        fetch_links=False,
        hash_list_path=tmp_path / "hashes.tsv",
        campaign_index_path=tmp_path / "campaigns",
    )


@pytest.fixture
def scanner() -> Scanner:
    return Scanner([StubDetector()])


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    if request.param == "memory":
        yield InMemoryStorage()
        return
    sql = SqlStorage.from_url(f"sqlite:///{tmp_path / 'gangs.db'}")
    sql.migrate()
    try:
        yield sql
    finally:
        sql.close()


@pytest.fixture
def headers(storage: Storage) -> Headers:
    return {
        role: {"Authorization": f"Bearer {issue_key(storage.api_keys, role.value, role).secret}"}
        for role in Role
    }


@pytest.fixture
def client(settings: Settings, scanner: Scanner, storage: Storage) -> Iterator[TestClient]:
    with TestClient(create_app(settings, scanner, storage)) as test_client:
        yield test_client


@pytest.fixture
def make_account() -> MakeAccount:
    """A registration body with unique identity values unless given."""
    serial = iter(range(1, 10_000))

    def make(account_id: str, **given: Any) -> dict[str, Any]:
        n = next(serial)
        body: dict[str, Any] = {
            "id": account_id,
            "kind": "personal",
            "subject": f"subj-{account_id}",
            "identity_doc": f"DOC{n:06d}",
            "phone": f"139{n * 7919 % 10**8:08d}",
            "device": f"dev-{account_id}",
            "ip": f"10.{n // 200}.{n % 200}.{n % 250 + 1}",
            "registered_at": (T0 + timedelta(days=7 * n)).isoformat(),
            "nickname": f"用户{chr(0x4E00 + n)}",
        }
        return body | given

    return make
