"""Worker throughput on Redis Streams and NATS JetStream, beside a bare consume baseline.

For each broker: N events are published to a fresh stream, then consumed by
  baseline  fetch + ack only (the broker's share of the cost),
  worker    the real worker: scan with every detector, enforce in SQLite or PostgreSQL,
            ack after commit.
One process, one core; prints the median of the repeats in events/s.

    python benchmarks/bench_worker.py [--events 500] [--repeats 3] [--database URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from jingwang.adapters.enforcement import EnforcementService, IdentityHasher, NewAccount
from jingwang.adapters.queue import EventQueue, open_queue
from jingwang.adapters.storage import SqlStorage
from jingwang.adapters.worker import EventWorker, WorkerOptions
from jingwang.core.pipeline import Scanner
from jingwang.core.policy import default_policy

URLS = {"redis": "redis://127.0.0.1:6379/0", "nats": "nats://127.0.0.1:4222"}
AT = datetime(2025, 5, 1, tzinfo=UTC)
ACCOUNTS = [f"acct{n}" for n in range(8)]
TEXTS = ["加我微信 wx123456 低价出售银行卡", "周末一起去公园散步吧", "今晚八点直播，点击链接领红包"]


def _service(url: str) -> EnforcementService:
    storage = SqlStorage.from_url(url)
    storage.migrate()
    service = EnforcementService(storage, default_policy(), IdentityHasher("bench"))
    for n, account in enumerate(ACCOUNTS):
        document, phone = f"11010119900307{n:04d}", f"138{n:08d}"
        new = NewAccount(account, "personal", account, document, phone, "d", "ip", AT)
        service.register(new, "bench")
    return service


@contextmanager
def _fresh_database(url: str | None) -> Iterator[str]:
    """A SQLite file of its own, or a schema of its own on the given PostgreSQL server,
    so that every repeat registers the same accounts into empty tables."""
    if url is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    schema = f"jw_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _event(n: int) -> dict[str, str]:
    text = f"{TEXTS[n % len(TEXTS)]} {n}"
    return {"event_id": f"b{n}", "account": ACCOUNTS[n % 8], "at": AT.isoformat(), "text": text}


def _drop(kind: str, stream: str) -> None:
    # Removing the stream through the queue's own client keeps this script broker-neutral.
    if kind == "redis":
        import redis  # noqa: PLC0415

        client = redis.Redis.from_url(URLS[kind])
        client.delete(stream, f"{stream}:dead")
        client.close()
    else:
        import asyncio  # noqa: PLC0415

        import nats  # noqa: PLC0415

        async def delete() -> None:
            connection = await nats.connect(URLS[kind])
            await connection.jetstream().delete_stream(stream)
            await connection.close()

        asyncio.run(delete())


def _work(queue: EventQueue, *, scanner: Scanner, service: EnforcementService) -> None:
    options = WorkerOptions(batch_size=64, wait_s=0.5)
    EventWorker(queue, scanner, service, options).run(threading.Event(), drain=True)


def _consume_only(queue: EventQueue, count: int) -> None:
    done = 0
    while done < count:
        for delivery in queue.fetch(64, 0.5):
            queue.ack(delivery)
            done += 1


def _timed(kind: str, count: int, consume: Callable[[EventQueue], None]) -> float:
    stream = f"jwbench_{uuid.uuid4().hex[:10]}"
    queue = open_queue(kind, URLS[kind], stream=stream)  # type: ignore[arg-type]
    try:
        queue.publish_many(_event(n) for n in range(count))
        start = time.perf_counter()
        consume(queue)
        return count / (time.perf_counter() - start)
    finally:
        queue.close()
        _drop(kind, stream)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    scanner = Scanner.from_names()
    print(f"{args.events} events, median of {args.repeats}, {datetime.now(UTC):%Y-%m-%d}")
    for kind in ("redis", "nats"):
        baseline, worker = [], []
        for _ in range(args.repeats):
            baseline.append(_timed(kind, args.events, lambda q: _consume_only(q, args.events)))
            with _fresh_database(args.database) as url:
                service = _service(url)
                run = partial(_work, scanner=scanner, service=service)
                worker.append(_timed(kind, args.events, run))
                service.storage.close()
        print(
            f"{kind:6} baseline fetch+ack {statistics.median(baseline):8.0f} ev/s   "
            f"worker scan+enforce+ack {statistics.median(worker):6.0f} ev/s"
        )


if __name__ == "__main__":
    main()
