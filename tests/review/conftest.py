"""Review fixtures: stores on every back end, a service over in-memory storage with a
movable clock, and an HTTP app with a key per role and two reviewers.

PostgreSQL comes from ``JINGWANG_TEST_POSTGRES_URL``; each test gets its own schema. It
skips without a server, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from jingwang.adapters.enforcement import EnforcementService, IdentityHasher, NewAccount
from jingwang.adapters.review import ReviewConfig, ReviewService, review_store_for
from jingwang.adapters.storage import InMemoryStorage, Role, SqlStorage, Storage, issue_key
from jingwang.adapters.storage.review import ReviewStore
from jingwang.adapters.storage.review_memory import InMemoryReviewStore
from jingwang.adapters.storage.review_sql import SqlReviewStore
from jingwang.api import create_app
from jingwang.core.detect.base import NormalizedItem
from jingwang.core.pipeline import Scanner
from jingwang.core.policy import default_policy
from jingwang.core.types import Evidence, Finding
from jingwang.settings import Settings

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


class FraudDetector:
    """Flags 刷单 as fraud (0.97: clear-cut) and 兼职 as fraud (0.6: uncertain)."""

    name = "fraud-words"
    labels = ("fraud",)

    def detect(self, item: NormalizedItem) -> list[Finding]:
        findings = []
        for view in item.views:
            for word, score in (("刷单", 0.97), ("兼职", 0.6)):
                start = view.original.find(word)
                if start >= 0:
                    evidence = Evidence(start, start + len(word), word, view.source)
                    findings.append(Finding(self.name, "fraud", score, (evidence,)))
        return findings


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def review_store(request: pytest.FixtureRequest) -> ReviewStore:
    if request.param == "memory":
        return InMemoryReviewStore()
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    SqlStorage(engine).migrate()
    return SqlReviewStore(sessionmaker(engine, expire_on_commit=False))


@pytest.fixture(params=["memory", "sqlite"])
def storage(request: pytest.FixtureRequest) -> Storage:
    if request.param == "memory":
        return InMemoryStorage()
    sql = SqlStorage(request.getfixturevalue("sqlite_engine"))
    sql.migrate()
    return sql


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def scanner() -> Scanner:
    return Scanner([FraudDetector()])


@pytest.fixture
def enforcement(storage: Storage, clock: Clock) -> EnforcementService:
    return EnforcementService(storage, default_policy(), IdentityHasher("test-pepper"), clock)


def new_account(
    account_id: str, subject: str = "s1", doc: str = "110101199001011234"
) -> NewAccount:
    return NewAccount(
        id=account_id,
        kind="personal",
        subject=subject,
        identity_doc=doc,
        phone=f"+86138{abs(hash(account_id)) % 10**8:08d}",
        device=f"dev-{account_id}",
        ip="10.0.0.1",
        registered_at=START - timedelta(days=30),
    )


def make_service(
    storage: Storage,
    scanner: Scanner,
    enforcement: EnforcementService,
    clock: Clock,
    second_review_rate: float = 0.0,
) -> ReviewService:
    config = ReviewConfig(second_review_rate=second_review_rate, seed=7)
    return ReviewService(
        review_store_for(storage), storage, scanner, enforcement, clock=clock, config=config
    )


@pytest.fixture
def review(
    storage: Storage, scanner: Scanner, enforcement: EnforcementService, clock: Clock
) -> ReviewService:
    enforcement.register(new_account("a1"), "admin:test")
    return make_service(storage, scanner, enforcement, clock)


# --- HTTP -------------------------------------------------------------------------------

Headers = dict[str, dict[str, str]]


@pytest.fixture
def http_storage() -> InMemoryStorage:
    return InMemoryStorage()


@pytest.fixture
def http_headers(http_storage: InMemoryStorage) -> Headers:
    """A key per role, plus a second and third reviewer (``reviewer2``, ``reviewer3``)."""
    keys = {role.value: issue_key(http_storage.api_keys, role.value, role) for role in Role}
    for extra in ("reviewer2", "reviewer3"):
        keys[extra] = issue_key(http_storage.api_keys, extra, Role.REVIEWER)
    return {name: {"Authorization": f"Bearer {key.secret}"} for name, key in keys.items()}


@pytest.fixture
def client(
    tmp_path: Path,
    http_storage: InMemoryStorage,
    scanner: Scanner,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[TestClient]:
    # Second reviews are tested on the service; here every first decision is final.
    monkeypatch.setenv("JINGWANG_REVIEW_SECOND_REVIEW_RATE", "0")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}", mode="dev")
    app = create_app(settings, scanner, http_storage, clock=clock)
    with TestClient(app) as test_client:
        yield test_client
