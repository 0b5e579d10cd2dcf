"""Kill -9 a worker mid-stream: a second worker finishes, and each event counts once.

Real brokers, real worker processes started through the CLI, one SQLite file shared by
both workers. The first worker dies holding received, unacked messages — some already
committed, some not; the second takes them over after the redelivery time.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import nats
import pytest
import redis
from sqlalchemy import create_engine, text
from tests.workers.conftest import drop_stream, event, register_accounts, service_for

from jingwang.adapters.queue import open_queue

EVENTS = 100
ACCOUNTS = 20
REDELIVER_S = 1.0
WORKER_SCRIPT = (
    "import typer; from jingwang.cli import worker_cmd; app = typer.Typer(); "
    "worker_cmd.register(app); app()"
)


def start_worker(
    kind: str, url: str, stream: str, name: str, database: str
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "JINGWANG_DATABASE_URL": database,
        "JINGWANG_FETCH_LINKS": "0",
        "JINGWANG_QUEUE": kind,
        "JINGWANG_QUEUE_URL": url,
    }
    command = [sys.executable, "-c", WORKER_SCRIPT, "worker", "--stream", stream]
    command += ["--consumer", name, "--redeliver-after", str(REDELIVER_S), "--batch", "10"]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def unsettled_redis(url: str, stream: str) -> int:
    client = redis.Redis.from_url(url)
    (group,) = client.xinfo_groups(stream)
    client.close()
    return int(group["pending"]) + int(group["lag"] or 0)


async def _unsettled_nats(url: str, stream: str) -> int:
    connection = await nats.connect(url)
    info = await connection.jetstream().consumer_info(stream, "workers")
    await connection.close()
    return int(info.num_pending or 0) + int(info.num_ack_pending or 0)


def unsettled(kind: str, url: str, stream: str) -> int:
    """Messages of the group not yet acked, received or not."""
    if kind == "redis":
        return unsettled_redis(url, stream)
    return asyncio.run(_unsettled_nats(url, stream))


@pytest.fixture(params=["redis", "nats"])
def broker(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, str]]:
    kind: str = request.param
    url: str = request.getfixturevalue(f"{kind}_url")
    stream = f"jwkill_{uuid.uuid4().hex[:12]}"
    yield kind, url, stream
    drop_stream(kind, url, stream)


def test_killed_worker_loses_nothing_and_repeats_nothing(
    broker: tuple[str, str, str], tmp_path: Path
) -> None:
    kind, url, stream = broker
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    service = service_for(database)
    accounts = register_accounts(service, ACCOUNTS)
    publisher = open_queue(kind, url, stream=stream)  # type: ignore[arg-type]
    ids = [f"k{n:04d}" for n in range(EVENTS)]
    publisher.publish_many(event(i, accounts[n % ACCOUNTS]) for n, i in enumerate(ids))
    publisher.close()
    engine = create_engine(database)

    def stored() -> int:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM content_events")).scalar_one())

    first = start_worker(kind, url, stream, "first", database)
    second: subprocess.Popen[str] | None = None
    try:
        wait_for(lambda: stored() >= 25 or first.poll() is not None, 60, "the first worker")
        assert first.poll() is None, first.stderr.read() if first.stderr else ""
        first.send_signal(signal.SIGKILL)
        first.wait()
        done_at_kill = stored()
        assert done_at_kill < EVENTS, "the first worker was to die mid-stream"
        second = start_worker(kind, url, stream, "second", database)
        wait_for(lambda: unsettled(kind, url, stream) == 0, 60, "the queue to settle")
        second.send_signal(signal.SIGTERM)
        out, err = second.communicate(timeout=30)
        assert second.returncode == 0, err
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    stats = json.loads(out)
    with engine.connect() as connection:
        recorded = connection.execute(text("SELECT event_id FROM content_events")).scalars().all()
        repeated = connection.execute(
            text(
                "SELECT count(*) FROM (SELECT event_id, kind, target_id FROM enforcement_actions "
                "WHERE event_id IS NOT NULL GROUP BY event_id, kind, target_id "
                "HAVING count(*) > 1) AS twice"
            )
        ).scalar_one()
        audited = connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        actions = connection.execute(text("SELECT count(*) FROM enforcement_actions")).scalar_one()
    engine.dispose()
    assert sorted(recorded) == ids  # none lost, none stored twice (event_id is the key)
    assert repeated == 0  # no measure taken twice for one event
    # One audit entry per action plus one per registration: nothing enforced off the books.
    assert audited == actions + ACCOUNTS
    assert service.verify_audit().ok
    assert stats["dead_letters"] == 0 and stats["failures"] == 0
    # The second worker enforced exactly what the first had not committed; what the
    # first committed without acking came back to it as duplicates.
    assert stats["processed"] == EVENTS - done_at_kill
