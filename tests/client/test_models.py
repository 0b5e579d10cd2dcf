"""The client's models mirror the API's schemas (the client must not import the server)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from pydantic import BaseModel
from tests.client.test_coverage import openapi

from jingwang.client._models import MIRRORED_SCHEMAS

# The client fills these in itself (idempotency keys), so its callers may leave them out.
CLIENT_DEFAULTS = {
    ("EventCreate", "event_id"),
    ("ReportCreate", "report_id"),
    ("AppealCreate", "appeal_id"),
}


def component(name: str) -> dict[str, Any]:
    schemas = openapi()["components"]["schemas"]
    for candidate in (name, f"{name}-Output", f"{name}-Input"):
        if candidate in schemas:
            found: dict[str, Any] = schemas[candidate]
            return found
    pytest.fail(f"the OpenAPI document has no schema {name}")


def enum_values(schema: dict[str, Any]) -> set[Any] | None:
    if "enum" in schema:
        return set(schema["enum"])
    if "const" in schema:
        return {schema["const"]}
    for option in schema.get("anyOf", []):
        values = enum_values(option)
        if values is not None:
            return values
    return None


def resolved(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or what its ``$ref`` (``#/components/schemas/X``, ``#/$defs/X``) names."""
    reference = schema.get("$ref")
    if reference is None:
        return schema
    target: dict[str, Any] = document
    for part in reference.removeprefix("#/").split("/"):
        target = target[part]
    return target


@pytest.mark.parametrize("model", MIRRORED_SCHEMAS, ids=lambda model: model.__name__)
def test_model_matches_the_api_schema(model: type[BaseModel]) -> None:
    server = component(model.__name__)
    client = model.model_json_schema()
    server_fields = set(server.get("properties", {}))
    assert set(client.get("properties", {})) == server_fields
    required = {(model.__name__, f) for f in server.get("required", [])} - CLIENT_DEFAULTS
    assert {(model.__name__, f) for f in client.get("required", [])} == required
    for field, server_field in server.get("properties", {}).items():
        server_enum = enum_values(resolved(server_field, openapi()))
        client_enum = enum_values(resolved(client["properties"][field], client))
        assert client_enum == server_enum, f"{model.__name__}.{field}"


def test_every_schema_the_client_can_meet_is_mirrored() -> None:
    """Request and response bodies of covered operations all have a client model."""
    mirrored = {model.__name__ for model in MIRRORED_SCHEMAS}
    server = {
        name.removesuffix("-Output").removesuffix("-Input")
        for name in openapi()["components"]["schemas"]
    }
    # The scan request's items are free-form (`ScanItem` types them); the validation
    # error shapes are FastAPI's, never sent (errors come as ErrorBody).
    # `Role` is the client's `Role` literal (its values are checked with the fields).
    unmirrored = {"ScanRequest", "HTTPValidationError", "ValidationError", "Role"}
    api_only = server - mirrored - unmirrored
    # Anything else belongs to an endpoint declared later: the coverage test catches it,
    # and its models should land here with it.
    assert not api_only, f"API schemas without a client model: {sorted(api_only)}"


def test_importing_the_client_loads_no_server_code() -> None:
    code = (
        "import sys, jingwang.client\n"
        "heavy = {'fastapi', 'starlette', 'sqlalchemy', 'uvicorn', 'typer', 'jingwang.api',"
        " 'jingwang.adapters', 'jingwang.core'}\n"
        "print(sorted(m for m in sys.modules if m in heavy))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
