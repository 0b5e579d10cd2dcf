"""Errors as typed exceptions; an API error carries the server's ``error.code``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final


class JingwangError(Exception):
    """Everything the client raises derives from this."""


class APIConnectionError(JingwangError):
    """The server could not be reached, or the connection broke (after any retries)."""


class APITimeoutError(APIConnectionError):
    """No complete response within the timeout (or the call's total budget)."""


class APIError(JingwangError):
    """The server answered with an error status.

    ``code`` is the server's machine-readable ``error.code`` (``invalid_key``,
    ``account_not_found`` …), ``message`` its human-readable message; ``status_code``
    the HTTP status. A body that is not the API's error shape gets ``code``
    ``http_<status>`` and the body's first characters as ``message``.
    """

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        method: str = "",
        url: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status_code} {code}: {message}")
        self.status_code = status_code
        self.code = code
        self.message = message
        self.method = method
        self.url = url
        self.headers: dict[str, str] = dict(headers or {})


class BadRequestError(APIError):
    """400."""


class AuthenticationError(APIError):
    """401: no key, or an unknown or revoked one (``missing_key``, ``invalid_key``)."""


class PermissionDeniedError(APIError):
    """403: the key's role may not call the endpoint, or the request is refused
    (``forbidden``, ``subject_barred``)."""


class NotFoundError(APIError):
    """404: ``account_not_found``, ``queue_empty`` …"""


class ConflictError(APIError):
    """409: the request contradicts what is stored (``account_exists`` …)."""


class PayloadTooLargeError(APIError):
    """413: the body is over the server's limit."""


class InvalidRequestError(APIError):
    """422: the request breaks the schema (``invalid_request``, ``too_many_items`` …)."""


class RateLimitError(APIError):
    """429 after the retries ran out; ``retry_after`` is the server's wait in seconds."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        *,
        method: str = "",
        url: str = "",
        headers: Mapping[str, str] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(status_code, code, message, method=method, url=url, headers=headers)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx."""


_BY_STATUS: Final[dict[int, type[APIError]]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    422: InvalidRequestError,
    429: RateLimitError,
}


def error_class(status_code: int) -> type[APIError]:
    """The exception class for an error status."""
    if status_code >= 500:
        return ServerError
    return _BY_STATUS.get(status_code, APIError)
