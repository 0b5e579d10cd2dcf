"""OpenAPI descriptions of the error responses that routes share."""

from __future__ import annotations

from typing import Any

from jingwang.api.schemas import ErrorBody

AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "No API key, or an unknown or revoked one."},
    403: {"model": ErrorBody, "description": "The key's role may not use this endpoint."},
}
INVALID_REQUEST: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "The request body is malformed."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such resource."},
}
