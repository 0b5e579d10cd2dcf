"""The app as a whole: health, error shape, OpenAPI, and start-up over a real database."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jingwang.adapters.storage import InMemoryStorage, Role, SqlStorage, StorageError, issue_key
from jingwang.api import create_app
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings


class UnreachableStorage(InMemoryStorage):
    def ping(self) -> bool:
        return False


def test_healthz_needs_no_key(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer(
    settings: Settings, scanner: Scanner
) -> None:
    with TestClient(create_app(settings, scanner, UnreachableStorage())) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_unknown_paths_get_the_error_shape(client: TestClient) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not Found"}}


def test_openapi_documents_every_endpoint_and_bearer_auth(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/healthz", "/v1/scan", "/v1/keys", "/v1/keys/{key_id}"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    schemas = spec["components"]["schemas"]
    assert schemas["ScanRequest"]["examples"]
    assert "ErrorBody" in schemas
    scan_responses = spec["paths"]["/v1/scan"]["post"]["responses"]
    assert scan_responses["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    assert client.get("/docs").status_code == 200


def test_creating_the_app_connects_to_nothing(scanner: Scanner) -> None:
    settings = Settings(database_url="postgresql+psycopg://jw@127.0.0.1:1/jingwang")
    app = create_app(settings, scanner)
    with pytest.raises(StorageError), TestClient(app):
        pass


def test_app_migrates_its_database_at_start_up(settings: Settings, scanner: Scanner) -> None:
    with TestClient(create_app(settings, scanner)) as client:
        assert client.get("/healthz").status_code == 200
    storage = SqlStorage.from_url(settings.database_url)
    key = issue_key(storage.api_keys, "svc", Role.SERVICE).secret
    storage.close()
    with TestClient(create_app(settings, scanner)) as client:
        response = client.post(
            "/v1/scan",
            json={"items": [{"id": "m1", "text": "广告"}]},
            headers={"Authorization": f"Bearer {key}"},
        )
    assert response.json()["results"][0]["decision"] == "block"
    assert Path(settings.database_url.removeprefix("sqlite:///")).exists()


def test_start_up_objects_are_frozen_out_of_garbage_collection(
    settings: Settings, scanner: Scanner
) -> None:
    gc.unfreeze()
    try:
        with TestClient(create_app(settings, scanner, InMemoryStorage())):
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
