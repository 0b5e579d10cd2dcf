"""The worker loop over the in-process queue, with the real scanner and a SQL database."""

from __future__ import annotations

import os
import signal
import threading
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from tests.workers.conftest import T0, event, register_accounts, service_for

from jingwang.adapters.enforcement import EnforcementService
from jingwang.adapters.queue import InMemoryQueue
from jingwang.adapters.worker import EventWorker, WorkerOptions, stop_on_signals
from jingwang.core.detect.base import NormalizedItem
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Finding, ScanItem


@pytest.fixture
def service(sqlite_database: str) -> EnforcementService:
    enforcement = service_for(sqlite_database)
    register_accounts(enforcement, 2)
    return enforcement


def worker_for(
    queue: InMemoryQueue, scanner: Scanner, service: EnforcementService, **options: Any
) -> EventWorker:
    return EventWorker(queue, scanner, service, WorkerOptions(wait_s=0.05, **options))


def test_enforces_each_event_once_and_counts_duplicates(
    scanner: Scanner, service: EnforcementService
) -> None:
    queue = InMemoryQueue()
    queue.publish_many([event("m1", "acct0"), event("m2", "acct1"), event("m1", "acct0")])
    stats = worker_for(queue, scanner, service).run(threading.Event(), drain=True)
    assert stats.as_dict() == {"processed": 2, "duplicates": 1, "failures": 0, "dead_letters": 0}
    outcome = service.stored_outcome("m1")
    assert outcome is not None and outcome.event.decision == "block"
    assert outcome.actions, "a blocked event of a personal account earns a strike"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"event_id": "p1", "account": "acct0", "text": "x"}, "invalid_at"),
        ({"event_id": "p2", "account": "acct0", "at": T0.isoformat()}, "empty_item"),
        ({"event_id": "p3", "at": T0.isoformat(), "text": "x"}, "missing_account"),
        ({"event_id": "p4", **event("p4", "acct0"), "surface": "fax"}, "invalid_surface"),
        (event("p5", "nobody"), "account_not_found"),
    ],
)
def test_poison_events_are_dead_lettered_not_redelivered(
    scanner: Scanner, service: EnforcementService, payload: dict[str, Any], code: str
) -> None:
    queue = InMemoryQueue(claim_idle_s=0.01)
    queue.publish(payload)
    stats = worker_for(queue, scanner, service).run(threading.Event(), drain=True)
    assert (stats.dead_letters, stats.processed) == (1, 0)
    (letter,) = queue.dead_letters()
    assert letter["reason"]["code"] == code
    assert queue.fetch(1, 0.05) == []


def test_undecodable_payload_is_dead_lettered(
    scanner: Scanner, service: EnforcementService
) -> None:
    queue = InMemoryQueue()
    with queue.broker.changed:
        queue.broker.stream(queue.stream_name).entries.append(b"\xff not json")
    worker_for(queue, scanner, service).run(threading.Event(), drain=True)
    assert queue.dead_letters()[0]["reason"]["code"] == "invalid_json"


def test_a_failing_event_is_retried_then_set_aside(
    scanner: Scanner, service: EnforcementService, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = Counter[str]()

    def broken(*args: Any) -> None:
        calls["record_event"] += 1
        raise ConnectionError("database gone")

    monkeypatch.setattr(service, "record_event", broken)
    queue = InMemoryQueue(claim_idle_s=0.01)
    queue.publish(event("f1", "acct0"))
    stats = worker_for(queue, scanner, service, max_attempts=3).run(threading.Event(), drain=True)
    assert calls["record_event"] == 3
    assert (stats.failures, stats.dead_letters) == (3, 0)
    assert queue.dead_letters()[0]["reason"]["code"] == "too_many_attempts"


class _CountsBatches:
    """Reports nothing; remembers the size of each batch and fails on one text."""

    name = "counts-batches"
    labels: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.batches: list[int] = []

    def detect(self, item: NormalizedItem) -> list[Finding]:
        if item.item.text and "☠" in item.item.text:
            raise RuntimeError("cannot read this one")
        return []

    def detect_batch(self, items: Sequence[NormalizedItem]) -> list[list[Finding]]:
        self.batches.append(len(items))
        return [self.detect(item) for item in items]


def test_a_fetched_batch_is_scanned_together_and_a_failing_item_is_retried(
    scanner: Scanner, service: EnforcementService
) -> None:
    counting = _CountsBatches()
    together = Scanner([*scanner.detectors, counting])
    queue = InMemoryQueue(claim_idle_s=0.01)
    queue.publish_many(
        [
            event("b1", "acct0"),
            {"event_id": "b2"},
            event("b3", "acct1", "☠ 你好"),
            event("b4", "acct1"),
        ]
    )
    stats = worker_for(queue, together, service, batch_size=4, max_attempts=2).run(
        threading.Event(), drain=True
    )
    assert counting.batches[0] == 3  # the three events that parse, in one call
    assert (stats.processed, stats.failures, stats.dead_letters) == (2, 2, 1)
    assert {letter["reason"]["code"] for letter in queue.dead_letters()} == {
        "missing_account",
        "too_many_attempts",
    }
    outcome = service.stored_outcome("b4")
    assert (
        outcome is not None
        and outcome.event.decision
        == scanner.scan(ScanItem("b4", text=event("b4", "acct1")["text"])).decision
    )


def test_sigterm_stops_the_loop_after_the_message_in_hand(
    scanner: Scanner, service: EnforcementService
) -> None:
    queue = InMemoryQueue()
    stop = threading.Event()
    worker = worker_for(queue, scanner, service)
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals(stop):
        os.kill(os.getpid(), signal.SIGTERM)
        # Python runs the handler between bytecodes of the main thread, not at once.
        assert stop.wait(5)
        queue.publish(event("s1", "acct0"))
        assert worker.run(stop).processed == 0
    assert signal.getsignal(signal.SIGTERM) == before


def test_racing_workers_enforce_an_event_once(scanner: Scanner, database_url: str) -> None:
    """Two services on one database record the same events side by side: the writer
    lock and the primary key leave one event row and one set of actions each."""
    first, second = service_for(database_url), service_for(database_url)
    register_accounts(first, 1)
    queues = [InMemoryQueue(), InMemoryQueue()]
    for queue in queues:
        queue.publish_many(event(f"r{n}", "acct0") for n in range(20))
    workers = [worker_for(q, scanner, s) for q, s in zip(queues, (first, second), strict=True)]
    threads = [
        threading.Thread(target=w.run, args=(threading.Event(),), kwargs={"drain": True})
        for w in workers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(w.stats.processed for w in workers) <= 40
    engine = create_engine(database_url)
    with engine.connect() as connection:
        events = connection.execute(text("SELECT count(*) FROM content_events")).scalar_one()
        repeated = connection.execute(
            text(
                "SELECT count(*) FROM (SELECT event_id, kind, target_id FROM enforcement_actions "
                "WHERE event_id IS NOT NULL GROUP BY event_id, kind, target_id "
                "HAVING count(*) > 1) AS twice"
            )
        ).scalar_one()
    engine.dispose()
    assert events == 20
    assert repeated == 0
