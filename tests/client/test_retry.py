"""Retries, backoff and Retry-After, against a tiny ASGI app served on loopback."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from starlette.types import Receive, Scope, Send
from tests.client.conftest import free_port, serve

from jingwang.client import (
    NO_RETRIES,
    APIConnectionError,
    APITimeoutError,
    AsyncClient,
    Client,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from jingwang.client._retry import Backoff, parse_retry_after

AT = datetime(2025, 5, 1, tzinfo=UTC)
SCAN_OK = {"results": [{"id": "m1", "decision": "pass", "labels": []}]}
OUTCOME_OK = {"event_id": "e1", "decision": "pass", "labels": [], "actions": []}
FAST = RetryPolicy(max_retries=3, backoff_base_s=0.01, max_backoff_s=0.02, seed=7)


@dataclass
class Step:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    delay_s: float = 0.0


@dataclass
class Script:
    """The next answers, in order; once used up, 200 with a body fitting the path."""

    steps: list[Step] = field(default_factory=list)
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path = scope["path"]
        if path == "/ping":
            step = Step(200, body=b"{}")
        else:
            self.requests.append((scope["method"], path, body))
            step = self.steps.pop(0) if self.steps else Step(200)
        if step.delay_s:
            await asyncio.sleep(step.delay_s)
        if step.body is not None:
            payload = step.body
        elif step.status == 200:
            payload = json.dumps(OUTCOME_OK if path == "/v1/events" else SCAN_OK).encode()
        else:
            error = {"code": f"e{step.status}", "message": "scripted"}
            payload = json.dumps({"error": error}).encode()
        headers = [(b"content-type", b"application/json")]
        headers += [(k.lower().encode(), v.encode()) for k, v in step.headers.items()]
        await send({"type": "http.response.start", "status": step.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


@pytest.fixture(scope="module")
def scripted() -> Iterator[tuple[str, Script]]:
    script = Script()
    served = serve(script, health_path="/ping")
    try:
        yield served.url, script
    finally:
        served.stop()


@pytest.fixture
def app(scripted: tuple[str, Script]) -> tuple[str, Script]:
    url, script = scripted
    script.steps.clear()
    script.requests.clear()
    return url, script


def scan(client: Client) -> Any:
    return client.scan([{"id": "m1", "text": "你好"}])


def test_429_is_retried_after_the_servers_retry_after(app: tuple[str, Script]) -> None:
    url, script = app
    script.steps = [Step(429, {"Retry-After": "1"})]
    with Client(url, "k", retry=FAST) as client:
        started = time.monotonic()
        assert scan(client)[0].ok
        assert time.monotonic() - started >= 0.95
    assert len(script.requests) == 2


def test_retry_after_as_an_http_date(app: tuple[str, Script]) -> None:
    url, script = app
    past = format_datetime(datetime.now(UTC) - timedelta(minutes=1), usegmt=True)
    script.steps = [Step(503, {"Retry-After": past}), Step(429, {"Retry-After": "0"})]
    with Client(url, "k", retry=FAST) as client:
        assert scan(client)[0].ok
    assert len(script.requests) == 3


def test_429_is_retried_even_for_requests_without_an_idempotency_key(
    app: tuple[str, Script],
) -> None:
    url, script = app
    script.steps = [Step(429, {"Retry-After": "0"}), Step(201, body=b"{}")]
    with Client(url, "k", retry=FAST) as client:
        client.keys.revoke(1) if False else None
        with pytest.raises(Exception):  # noqa: B017 - the 201 body is not an account
            client.accounts.register(account())
    assert [method for method, _, _ in script.requests] == ["POST", "POST"]


def account() -> dict[str, Any]:
    return {
        "id": "a1",
        "kind": "personal",
        "subject": "s1",
        "identity_doc": "D",
        "phone": "1",
        "device": "d",
        "ip": "203.0.113.7",
        "registered_at": AT,
    }


def test_5xx_is_retried_only_when_the_request_is_safe_to_repeat(app: tuple[str, Script]) -> None:
    url, script = app
    script.steps = [Step(503), Step(502)]
    with Client(url, "k", retry=FAST) as client:
        outcome = client.events.create({"account": "a1", "text": "hi", "at": AT})
        assert outcome.event_id == "e1"
        sent = [json.loads(body)["event_id"] for _, _, body in script.requests]
        assert len(sent) == 3 and len(set(sent)) == 1, "one idempotency key for every attempt"

        script.requests.clear()
        script.steps = [Step(503)]
        with pytest.raises(ServerError) as caught:
            client.accounts.register(account())
        assert (caught.value.status_code, caught.value.code) == (503, "e503")
        assert len(script.requests) == 1


def test_retries_stop_at_the_limit(app: tuple[str, Script]) -> None:
    url, script = app
    script.steps = [Step(429, {"Retry-After": "0"})] * 10
    with Client(url, "k", retry=FAST) as client, pytest.raises(RateLimitError) as caught:
        scan(client)
    assert caught.value.retry_after == 0 and caught.value.code == "e429"
    assert len(script.requests) == FAST.max_retries + 1
    script.requests.clear()
    with Client(url, "k", retry=NO_RETRIES) as client, pytest.raises(RateLimitError):
        scan(client)
    assert len(script.requests) == 1


def test_a_retry_after_beyond_the_cap_or_the_budget_is_not_waited_for(
    app: tuple[str, Script],
) -> None:
    url, script = app
    capped = RetryPolicy(max_retry_after_s=5, seed=1)
    script.steps = [Step(429, {"Retry-After": "120"})]
    with Client(url, "k", retry=capped) as client:
        started = time.monotonic()
        with pytest.raises(RateLimitError) as caught:
            scan(client)
        assert caught.value.retry_after == 120
        script.steps = [Step(503, {"Retry-After": "2"})]
        with pytest.raises(ServerError):
            client.scan([{"id": "m1", "text": "x"}], timeout=0.5)
        assert time.monotonic() - started < 1.0


def test_timeouts_are_retried_for_safe_requests_only(app: tuple[str, Script]) -> None:
    url, script = app
    script.steps = [Step(200, delay_s=0.5), Step(200, body=json.dumps(SCAN_OK).encode())]
    with Client(url, "k", timeout=0.2, retry=FAST) as client:
        assert scan(client)[0].ok
        assert len(script.requests) == 2
        script.requests.clear()
        script.steps = [Step(200, delay_s=0.5)]
        with pytest.raises(APITimeoutError):
            client.accounts.register(account())
        assert len(script.requests) == 1


def test_the_scan_budget_bounds_the_whole_call(app: tuple[str, Script]) -> None:
    url, script = app
    script.steps = [Step(200, delay_s=1.0)]
    with Client(url, "k", retry=FAST) as client:
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            client.scan([{"id": "m1", "text": "x"}], timeout=0.3)
        assert time.monotonic() - started < 0.9


def test_an_unreachable_server_is_a_connection_error() -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"
    with Client(unreachable, "k", retry=FAST) as client, pytest.raises(APIConnectionError):
        scan(client)


def test_a_body_that_is_not_the_error_shape(app: tuple[str, Script]) -> None:
    url, script = app
    script.steps = [Step(502, body=b"<html>bad gateway</html>")] * 5
    with Client(url, "k", retry=NO_RETRIES) as client, pytest.raises(ServerError) as caught:
        scan(client)
    assert caught.value.code == "http_502" and "bad gateway" in caught.value.message


def test_backoff_is_exponential_with_seeded_jitter(app: tuple[str, Script]) -> None:
    policy = RetryPolicy(max_retries=4, backoff_base_s=0.1, max_backoff_s=0.3, jitter=0.5, seed=3)
    schedule = Backoff(policy)
    delays = [schedule.delay(n) for n in range(4)]
    again = Backoff(policy)
    assert delays == [again.delay(n) for n in range(4)]
    for attempt, delay in enumerate(delays):
        ceiling = min(0.3, 0.1 * 2**attempt)
        assert ceiling * 0.5 <= delay <= ceiling
    assert Backoff(policy).delay(0, retry_after=2.5) == 2.5

    url, script = app
    script.steps = [Step(503)] * 4
    slept: list[float] = []
    with Client(url, "k", retry=policy) as client:
        client._sleep = slept.append  # type: ignore[method-assign]
        assert scan(client)[0].ok
    assert slept == delays


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        ("0.5", 0.5),
        ("", None),
        (None, None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_in_the_future() -> None:
    now = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("Thu, 01 May 2025 12:00:30 GMT", now) == 30.0


def test_the_async_client_retries_the_same_way(app: tuple[str, Script]) -> None:
    url, script = app
    script.steps = [Step(429, {"Retry-After": "0"}), Step(503)]

    async def run() -> None:
        async with AsyncClient(url, "k", retry=FAST) as client:
            outcome = await client.events.create({"account": "a1", "text": "hi", "at": AT})
            assert outcome.event_id == "e1"
            script.steps = [Step(503)]
            with pytest.raises(ServerError):
                await client.accounts.register(account())
            script.steps = [Step(200, delay_s=1.0)]
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await client.scan([{"id": "m1", "text": "x"}], timeout=0.3)
            assert time.monotonic() - started < 0.9

    asyncio.run(run())
    assert [path for _, path, _ in script.requests].count("/v1/events") == 3
