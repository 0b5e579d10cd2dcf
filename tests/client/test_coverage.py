"""Every operation of the API's OpenAPI document has a method in both clients.

A new endpoint without client support fails here: declare it in
``jingwang/client/_operations.py`` and implement it in ``_client.py`` and ``_async.py``.
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import Any

import pytest

from jingwang.api import create_app
from jingwang.client import AsyncClient, Client
from jingwang.client._operations import ENDPOINT_ATTRIBUTE, ENDPOINTS, Endpoint
from jingwang.settings import Settings

HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}
# Not the public API: the reviewer console's pages, the probe, the docs themselves.
EXCLUDED_PREFIXES = ("/console",)
EXCLUDED_PATHS = {"/healthz", "/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"}


@cache
def openapi() -> dict[str, Any]:
    schema: dict[str, Any] = create_app(Settings(mode="dev")).openapi()
    return schema


def public_operations() -> set[tuple[str, str]]:
    operations = set()
    for path, item in openapi()["paths"].items():
        if path in EXCLUDED_PATHS or path.startswith(EXCLUDED_PREFIXES):
            continue
        operations |= {(method.upper(), path) for method in item if method in HTTP_METHODS}
    return operations


def resolve(client: object, name: str) -> Any:
    target = client
    for part in name.split("."):
        target = getattr(target, part)
    return target


def test_the_document_has_the_public_resources() -> None:
    """A guard against an empty document making the comparison vacuous."""
    paths = {path for _, path in public_operations()}
    for expected in ("/v1/scan", "/v1/events", "/v1/accounts/{account_id}", "/v1/reviews"):
        assert expected in paths


def test_every_public_operation_has_a_client_endpoint() -> None:
    missing = sorted(public_operations() - set(ENDPOINTS))
    assert not missing, f"operations without client support: {missing}"


def test_every_client_endpoint_exists_on_the_server() -> None:
    served = {
        (method.upper(), path)
        for path, item in openapi()["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }
    stale = sorted(set(ENDPOINTS) - served)
    assert not stale, f"client endpoints the server no longer has: {stale}"


@pytest.mark.parametrize("client_class", [Client, AsyncClient])
@pytest.mark.parametrize("endpoint", list(ENDPOINTS.values()), ids=lambda e: e.name)
def test_each_client_implements_each_endpoint_under_its_name(
    client_class: type[Client] | type[AsyncClient], endpoint: Endpoint[Any]
) -> None:
    client = client_class("http://127.0.0.1:9", api_key="jw_test")
    method = resolve(client, endpoint.name)
    assert getattr(method, ENDPOINT_ATTRIBUTE, None) is endpoint
    assert inspect.iscoroutinefunction(method) == (client_class is AsyncClient)


def test_sync_and_async_methods_take_the_same_arguments() -> None:
    sync, asynchronous = Client(api_key="k"), AsyncClient(api_key="k")
    for endpoint in ENDPOINTS.values():
        sync_signature = inspect.signature(resolve(sync, endpoint.name))
        async_signature = inspect.signature(resolve(asynchronous, endpoint.name))
        assert list(sync_signature.parameters) == list(async_signature.parameters), endpoint.name


def test_retry_safety_follows_the_idempotency_keys() -> None:
    safe_posts = {e.name for e in ENDPOINTS.values() if e.method == "POST" and e.retry_safe}
    assert safe_posts == {
        "scan",
        "events.create",
        "reports.create",
        "appeals.create",
        "campaigns.near",
        "campaigns.confirm",
    }
    assert all(e.retry_safe for e in ENDPOINTS.values() if e.method in {"GET", "DELETE"})
