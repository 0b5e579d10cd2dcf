"""Schemathesis over the whole OpenAPI document: no request may make the server fail.

A real uvicorn server on 127.0.0.1 runs the app as deployed (every installed detector,
SQL storage) with an admin key; schemathesis generates requests for every operation in
``/openapi.json`` and checks that none gets a 5xx. The run is bounded and derandomised so
that it is quick and repeatable in the suite; ``JINGWANG_SCHEMATHESIS_EXAMPLES=500`` (for
example) explores further, and ``docs/security.md`` gives the CLI command for a long run.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from jingwang.adapters.scanner import configured_scanner  # noqa: E402
from jingwang.adapters.storage import Role, SqlStorage, issue_key  # noqa: E402
from jingwang.api import create_app  # noqa: E402
from jingwang.settings import Settings  # noqa: E402

EXAMPLES = int(os.environ.get("JINGWANG_SCHEMATHESIS_EXAMPLES", "15"))


class _ServerErrors(logging.Handler):
    """Collects the exceptions uvicorn logs for requests that failed."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.exceptions: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.exceptions.append(record.exc_info[1])


SERVER_ERRORS = _ServerErrors()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, SqlStorage]]:
    """(base URL, its storage) of a server that lives for the whole module."""
    directory: Path = tmp_path_factory.mktemp("schemathesis")
    app_settings = Settings(
        database_url=f"sqlite:///{directory / 'jingwang.db'}",
        fetch_links=False,
        hash_list_path=directory / "hashes.tsv",
        rate_limit_per_minute=0,
    )
    storage = SqlStorage.from_url(app_settings.database_url)
    storage.migrate()
    app = create_app(app_settings, configured_scanner(app_settings), storage)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    logging.getLogger("uvicorn.error").addHandler(SERVER_ERRORS)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}", storage
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        storage.close()
        logging.getLogger("uvicorn.error").removeHandler(SERVER_ERRORS)


def _operations() -> Any:
    # The document does not depend on storage or detectors: build it without serving.
    document = create_app(Settings(database_url="sqlite://")).openapi()
    return schemathesis.openapi.from_dict(document)


SCHEMA = _operations()
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}
LABELS = sorted(OPERATIONS)
# Negative cases (invalid on purpose) exist only where there is something to get wrong.
CASES = [(label, GenerationMode.POSITIVE) for label in LABELS] + [
    (label, GenerationMode.NEGATIVE)
    for label, operation in sorted(OPERATIONS.items())
    if operation.body or operation.query or operation.path_parameters or operation.headers
]


def test_every_operation_is_covered() -> None:
    assert len(LABELS) >= 20, LABELS
    assert "POST /v1/scan" in LABELS


@pytest.mark.parametrize(
    ("label", "mode"), CASES, ids=[f"{label}-{mode.value}" for label, mode in CASES]
)
def test_no_server_errors(
    label: str, mode: GenerationMode, live_api: tuple[str, SqlStorage]
) -> None:
    base_url, storage = live_api
    # A key per operation: DELETE /v1/keys/{key_id} may well revoke the one it is sent with.
    admin = issue_key(storage.api_keys, f"schemathesis {label}", Role.ADMIN).secret
    operation = OPERATIONS[label]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        SERVER_ERRORS.exceptions.clear()
        response = case.call(
            base_url=base_url, headers={"Authorization": f"Bearer {admin}"}, timeout=30
        )
        if response.status_code < 500:
            return
        # uvicorn logs the exception just after the 500 has gone out.
        deadline = time.monotonic() + 2
        while not SERVER_ERRORS.exceptions and time.monotonic() < deadline:
            time.sleep(0.01)
        case.validate_response(response, checks=[not_a_server_error])

    run()


AT = "2025-05-01T09:00:00Z"
# Requests that once made the server fail (found by this suite); they must stay fixed.
FORMER_SERVER_ERRORS = {
    "audit after > 2**63": ("GET", f"/v1/audit?after={2**70}", None),
    "scan: image not found": (
        "POST",
        "/v1/scan",
        {"items": [{"id": "m1", "images": ["/no/such/image.png"]}]},
    ),
    "events: image not found": (
        "POST",
        "/v1/events",
        {"event_id": "e1", "account": "a1", "images": ["/no/such/image.png"], "at": AT},
    ),
    "reports: evidence image not found": (
        "POST",
        "/v1/reports",
        {
            "report_id": "r1",
            "reporter": "u1",
            "target": {"type": "account", "id": "a1"},
            "reason": "fraud",
            "evidence": {"images": ["/no/such/image.png"]},
        },
    ),
}


@pytest.mark.parametrize("name", sorted(FORMER_SERVER_ERRORS))
def test_former_server_error_stays_fixed(name: str, live_api: tuple[str, SqlStorage]) -> None:
    base_url, storage = live_api
    method, path, body = FORMER_SERVER_ERRORS[name]
    admin = issue_key(storage.api_keys, f"former {name}", Role.ADMIN).secret
    with httpx.Client(base_url=base_url, timeout=30) as http:
        response = http.request(
            method, path, json=body, headers={"Authorization": f"Bearer {admin}"}
        )
    # /v1/scan answers 200 with an error object in the item's place; the others refuse.
    assert response.status_code < 500, response.text
    assert '"error"' in response.text
