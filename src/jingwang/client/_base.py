"""What the sync and async clients share: configuration, errors, retry decisions."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import httpx
from pydantic import BaseModel

from jingwang import __version__
from jingwang.client._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    RateLimitError,
    error_class,
)
from jingwang.client._operations import Endpoint
from jingwang.client._retry import Backoff, RetryPolicy, parse_retry_after

logger = logging.getLogger("jingwang.client")

T = TypeVar("T")

DEFAULT_BASE_URL: Final = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT_S: Final = 10.0
ENV_BASE_URL: Final = "JINGWANG_URL"
ENV_API_KEY: Final = "JINGWANG_API_KEY"
_ERROR_MESSAGE_CHARS: Final = 200


@dataclass(frozen=True, slots=True)
class Request:
    """One prepared call: what to send and how to read the answer."""

    method: str
    url: str
    params: dict[str, Any] | None
    json: Any
    retry_safe: bool


def prepare(
    endpoint: Endpoint[Any],
    *,
    path: Mapping[str, object] | None = None,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
) -> Request:
    query = {k: v for k, v in (params or {}).items() if v is not None} or None
    return Request(endpoint.method, endpoint.url(**(path or {})), query, json, endpoint.retry_safe)


def settings_from(base_url: str | None, api_key: str | None) -> tuple[str, str | None]:
    """The base URL and key given, else ``JINGWANG_URL`` / ``JINGWANG_API_KEY``."""
    url = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    key = api_key if api_key is not None else os.environ.get(ENV_API_KEY)
    return url.rstrip("/"), key


def default_headers(api_key: str | None, extra: Mapping[str, str] | None) -> dict[str, str]:
    headers = {"User-Agent": f"jingwang-client/{__version__}", "Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    headers.update(extra or {})
    return headers


def as_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(DEFAULT_TIMEOUT_S if timeout is None else timeout)


def error_from(response: httpx.Response) -> APIError:
    """The typed exception for an error response, with the server's code and message."""
    status = response.status_code
    code, message = f"http_{status}", response.text[:_ERROR_MESSAGE_CHARS]
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        detail = body["error"]
        code = str(detail.get("code", code))
        message = str(detail.get("message", message))
    kind = error_class(status)
    common: dict[str, Any] = {
        "method": response.request.method,
        "url": str(response.request.url),
        "headers": dict(response.headers),
    }
    if kind is RateLimitError:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return RateLimitError(status, code, message, retry_after=retry_after, **common)
    return kind(status, code, message, **common)


def transport_error(exc: httpx.TransportError, request: Request) -> APIConnectionError:
    where = f"{request.method} {request.url}"
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{where} timed out: {exc}")
    return APIConnectionError(f"{where} failed: {exc}")


def parse(endpoint: Endpoint[T], response: httpx.Response) -> T:
    model = endpoint.response
    if model is None or not issubclass(model, BaseModel):
        raise TypeError(f"{endpoint.name} returns no model")
    parsed: T = model.model_validate_json(response.content)
    return parsed


class Attempts:
    """The retry bookkeeping of one call: should this failure be retried, after how long?"""

    def __init__(self, policy: RetryPolicy, request: Request, budget_s: float | None) -> None:
        self.policy = policy
        self.request = request
        self.budget_s = budget_s
        self.attempt = 0
        self._backoff: Backoff = policy.backoff()

    def wait_after_response(self, response: httpx.Response, elapsed_s: float) -> float | None:
        """Seconds to wait before retrying, or None to give up."""
        status = response.status_code
        if status not in self.policy.retry_statuses:
            return None
        if status != 429 and not self.request.retry_safe:
            return None
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if retry_after is not None and retry_after > self.policy.max_retry_after_s:
            return None
        return self._next(retry_after, elapsed_s, f"HTTP {status}")

    def wait_after_error(self, exc: httpx.TransportError, elapsed_s: float) -> float | None:
        # A connection never opened sent nothing: always safe to try again.
        if not (self.request.retry_safe or isinstance(exc, httpx.ConnectError)):
            return None
        return self._next(None, elapsed_s, type(exc).__name__)

    def remaining_s(self, elapsed_s: float) -> float | None:
        return None if self.budget_s is None else self.budget_s - elapsed_s

    def _next(self, retry_after: float | None, elapsed_s: float, why: str) -> float | None:
        if self.attempt >= self.policy.max_retries:
            return None
        wait = self._backoff.delay(self.attempt, retry_after)
        remaining = self.remaining_s(elapsed_s)
        if remaining is not None and wait >= remaining:
            return None
        self.attempt += 1
        logger.debug(
            "retrying %s %s in %.3f s (%s, retry %d of %d)",
            self.request.method,
            self.request.url,
            wait,
            why,
            self.attempt,
            self.policy.max_retries,
        )
        return wait

    def timeout(self, default: httpx.Timeout, elapsed_s: float) -> httpx.Timeout:
        """The timeout of the next attempt: the client's, shortened to what is left."""
        remaining = self.remaining_s(elapsed_s)
        if remaining is None:
            return default
        return httpx.Timeout(max(remaining, 0.001))
