"""``GET /v1/transparency`` and ``/console/transparency`` over HTTP: formats and roles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jingwang.adapters.storage import Role, issue_key
from jingwang.api import create_app
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings

from .conftest import History, may

PERIOD = {"from": "2025-05-01", "to": "2025-05-31"}


@pytest.fixture
def client(memory_month: History, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}", mode="dev")
    memory_month.clock.now = may(31)
    app = create_app(settings, Scanner([]), memory_month.service.storage, clock=memory_month.clock)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def auth(memory_month: History) -> dict[Role, dict[str, str]]:
    keys = memory_month.service.storage.api_keys
    return {
        role: {"Authorization": f"Bearer {issue_key(keys, role.value, role).secret}"}
        for role in Role
    }


@pytest.mark.parametrize(
    ("fmt", "media_type", "marker"),
    [
        ("json", "application/json", '"by_label"'),
        ("md", "text/markdown", "## 按违规类别"),
        ("html", "text/html", "<svg"),
    ],
)
def test_each_format(
    client: TestClient, auth: dict[Role, dict[str, str]], fmt: str, media_type: str, marker: str
) -> None:
    response = client.get(
        "/v1/transparency", params=PERIOD | {"format": fmt}, headers=auth[Role.ADMIN]
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert marker in response.text


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.MODERATOR, 200), (Role.REVIEWER, 403), (Role.SERVICE, 403)],
)
def test_only_admins_and_moderators(
    client: TestClient, auth: dict[Role, dict[str, str]], role: Role, status: int
) -> None:
    assert client.get("/v1/transparency", params=PERIOD, headers=auth[role]).status_code == status
    assert client.get("/console/transparency", headers=auth[role]).status_code == status


def test_without_a_key_401(client: TestClient) -> None:
    assert client.get("/v1/transparency", params=PERIOD).status_code == 401
    assert client.get("/console/transparency").status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2025-05-31", "to": "2025-05-01"},
        {"from": "yesterday", "to": "2025-05-01"},
        {"to": "2025-05-01"},
        PERIOD | {"format": "pdf"},
    ],
)
def test_bad_requests_are_422(
    client: TestClient, auth: dict[Role, dict[str, str]], params: dict[str, str]
) -> None:
    response = client.get("/v1/transparency", params=params, headers=auth[Role.ADMIN])
    assert response.status_code == 422
    assert response.json()["error"]["code"] in {"invalid_period", "invalid_request"}


def test_the_console_page_defaults_to_the_last_seven_days(
    client: TestClient, auth: dict[Role, dict[str, str]]
) -> None:
    response = client.get("/console/transparency", headers=auth[Role.MODERATOR])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'name="from" value="2025-05-25"' in response.text
    assert 'name="to" value="2025-05-31"' in response.text
    chosen = client.get("/console/transparency", params=PERIOD, headers=auth[Role.MODERATOR])
    assert "违禁品营销" in chosen.text and "<form" in chosen.text
