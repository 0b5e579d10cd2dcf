"""One suite for every EventQueue: in-process, Redis Streams and NATS JetStream."""

from __future__ import annotations

import time

import pytest
from tests.workers.conftest import QueueFactory

from jingwang.adapters.queue import Delivery, EventQueue

REDELIVER_S = 0.25


def fetch_all(queue: EventQueue, expected: int, timeout_s: float = 5.0) -> list[Delivery]:
    got: list[Delivery] = []
    deadline = time.monotonic() + timeout_s
    while len(got) < expected and time.monotonic() < deadline:
        got += queue.fetch(expected - len(got), 0.2)
    return got


def test_delivers_published_events_in_order(make_queue: QueueFactory) -> None:
    queue = make_queue()
    assert queue.publish_many({"event_id": f"e{n}", "n": n} for n in range(5)) == 5
    queue.publish({"event_id": "e5", "n": 5})
    deliveries = fetch_all(queue, 6)
    assert [d.event["n"] for d in deliveries if d.event] == list(range(6))
    assert all(d.attempts == 1 for d in deliveries)


def test_rejects_an_event_without_an_id(make_queue: QueueFactory) -> None:
    with pytest.raises(ValueError, match="event_id"):
        make_queue().publish({"text": "no id"})


def test_an_acked_message_is_not_delivered_again(make_queue: QueueFactory) -> None:
    first = make_queue("c1", REDELIVER_S)
    first.publish({"event_id": "e1"})
    (delivery,) = fetch_all(first, 1)
    first.ack(delivery)
    time.sleep(REDELIVER_S * 2)
    assert make_queue("c2", REDELIVER_S).fetch(10, 0.3) == []


def test_a_dead_consumers_messages_go_to_another(make_queue: QueueFactory) -> None:
    dead = make_queue("dead", REDELIVER_S)
    dead.publish_many({"event_id": f"e{n}"} for n in range(3))
    assert len(fetch_all(dead, 3)) == 3  # received, never acked: the consumer "dies"
    survivor = make_queue("survivor", REDELIVER_S)
    redelivered = fetch_all(survivor, 3, timeout_s=REDELIVER_S * 10)
    assert sorted(d.event["event_id"] for d in redelivered if d.event) == ["e0", "e1", "e2"]
    assert all(d.attempts == 2 for d in redelivered)
    for delivery in redelivered:
        survivor.ack(delivery)
    time.sleep(REDELIVER_S * 2)
    assert survivor.fetch(10, 0.3) == []


def test_a_retried_message_comes_back(make_queue: QueueFactory) -> None:
    queue = make_queue("c1", REDELIVER_S)
    queue.publish({"event_id": "e1"})
    (delivery,) = fetch_all(queue, 1)
    queue.retry(delivery)
    (again,) = fetch_all(queue, 1, timeout_s=REDELIVER_S * 10)
    assert again.event == {"event_id": "e1"}
    assert again.attempts == 2


def test_a_dead_letter_is_kept_and_not_redelivered(make_queue: QueueFactory) -> None:
    queue = make_queue("c1", REDELIVER_S)
    queue.publish({"event_id": "bad", "text": "x"})
    (delivery,) = fetch_all(queue, 1)
    queue.dead_letter(delivery, {"code": "invalid_at", "message": "'at' is required"})
    time.sleep(REDELIVER_S * 2)
    assert make_queue("c2", REDELIVER_S).fetch(10, 0.3) == []
    (letter,) = queue.dead_letters()
    assert letter["reason"]["code"] == "invalid_at"
    assert letter["attempts"] == 1
    assert '"event_id":"bad"' in letter["payload"]
