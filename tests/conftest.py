"""Fixtures shared by every test directory."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from jingwang.adapters.storage import InMemoryStorage, Role, Storage, issue_key
from jingwang.api import create_app
from jingwang.core.detect.base import NormalizedItem
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Evidence, Finding
from jingwang.settings import Settings

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


POSTGRES_URL = os.environ.get(
    "JINGWANG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def unavailable(reason: str) -> None:
    """Skip for a missing service on a laptop; under ``CI=true`` it is a broken run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true requires it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgresql_url() -> str:
    """The test PostgreSQL server (``JINGWANG_TEST_POSTGRES_URL``, default local ``test``)."""
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except (SQLAlchemyError, ImportError) as exc:
        unavailable(f"PostgreSQL at {POSTGRES_URL} is unusable: {exc}")
    return POSTGRES_URL


@pytest.fixture
def postgresql_engine(postgresql_url: str) -> Iterator[Engine]:
    """An engine on a schema of its own, dropped afterwards: tests never share rows."""
    schema = f"jw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgresql_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(postgresql_url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'jingwang.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_engine(request: pytest.FixtureRequest) -> Engine:
    engine: Engine = request.getfixturevalue(f"{request.param}_engine")
    return engine


# An app over in-memory storage and a one-rule detector with a key for every role: the
# API tests' default, which a directory overrides by defining a fixture of the same name
# (``settings`` above all, which every directory that asks for ``client`` defines).


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


@pytest.fixture
def scanner() -> Scanner:
    return Scanner([AdvertDetector()])


@pytest.fixture
def storage() -> Storage:
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
    """Entered as a context manager, so that the app's lifespan runs as under a server."""
    with TestClient(create_app(settings, scanner, storage)) as test_client:
        yield test_client
