"""The in-process queue: the semantics of a consumer group, held in this process.

For tests and for embedding a worker in the process that produces the events. Several
:class:`InMemoryQueue` handles opened on one :class:`MemoryBroker` behave like consumers
of one group on a real broker, redelivery of a silent consumer's messages included.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jingwang.adapters.queue.base import (
    Delivery,
    EventQueue,
    dead_letter_record,
    decode_event,
    encode_event,
)


@dataclass(slots=True)
class _Pending:
    consumer: str
    delivered_at: float
    attempts: int


@dataclass(slots=True)
class _Group:
    # Index of the first entry no consumer of the group has received yet.
    cursor: int = 0
    # Insertion-ordered, so the oldest pending message is reclaimed first.
    pending: dict[int, _Pending] = field(default_factory=dict)


@dataclass(slots=True)
class _Stream:
    entries: list[bytes] = field(default_factory=list)
    groups: dict[str, _Group] = field(default_factory=dict)
    dead: list[bytes] = field(default_factory=list)


class MemoryBroker:
    """Named streams shared by the queue handles opened on it; thread-safe."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.changed = threading.Condition()
        self._streams: dict[str, _Stream] = {}

    def stream(self, name: str) -> _Stream:
        # Callers hold ``changed``.
        return self._streams.setdefault(name, _Stream())


class InMemoryQueue(EventQueue):
    """One consumer of ``group`` on ``stream``; messages pending longer than
    ``claim_idle_s`` with another consumer (or retried) are delivered here again."""

    def __init__(
        self,
        stream: str = "events",
        group: str = "workers",
        consumer: str = "worker",
        *,
        broker: MemoryBroker | None = None,
        claim_idle_s: float = 30.0,
    ) -> None:
        self.broker = broker or MemoryBroker()
        self.stream_name = stream
        self.group_name = group
        self.consumer = consumer
        self.claim_idle_s = claim_idle_s

    def publish(self, event: Mapping[str, Any]) -> None:
        payload = encode_event(event)
        with self.broker.changed:
            self.broker.stream(self.stream_name).entries.append(payload)
            self.broker.changed.notify_all()

    def fetch(self, max_count: int, wait_s: float) -> list[Delivery]:
        deadline = self.broker.clock() + wait_s
        with self.broker.changed:
            while True:
                deliveries = self._take(max_count)
                remaining = deadline - self.broker.clock()
                if deliveries or remaining <= 0:
                    return deliveries
                # Woken by a publish or a retry; otherwise poll for messages going idle.
                self.broker.changed.wait(min(remaining, max(self.claim_idle_s / 4, 0.01)))

    def _take(self, max_count: int) -> list[Delivery]:
        stream = self.broker.stream(self.stream_name)
        group = stream.groups.setdefault(self.group_name, _Group())
        now = self.broker.clock()
        taken: list[int] = [
            index
            for index, pending in group.pending.items()
            if now - pending.delivered_at >= self.claim_idle_s
        ][:max_count]
        while len(taken) < max_count and group.cursor < len(stream.entries):
            taken.append(group.cursor)
            group.cursor += 1
        deliveries = []
        for index in taken:
            previous = group.pending.pop(index, None)
            attempts = 1 if previous is None else previous.attempts + 1
            group.pending[index] = _Pending(self.consumer, now, attempts)
            payload = stream.entries[index]
            deliveries.append(Delivery(str(index), payload, decode_event(payload), attempts))
        return deliveries

    def ack(self, delivery: Delivery) -> None:
        with self.broker.changed:
            group = self.broker.stream(self.stream_name).groups.get(self.group_name)
            if group is not None:
                group.pending.pop(int(delivery.message_id), None)

    def retry(self, delivery: Delivery) -> None:
        with self.broker.changed:
            group = self.broker.stream(self.stream_name).groups.get(self.group_name)
            pending = None if group is None else group.pending.get(int(delivery.message_id))
            if pending is not None:
                pending.delivered_at = float("-inf")
                self.broker.changed.notify_all()

    def dead_letter(self, delivery: Delivery, reason: Mapping[str, Any]) -> None:
        with self.broker.changed:
            self.broker.stream(self.stream_name).dead.append(dead_letter_record(delivery, reason))
            self.ack(delivery)

    def dead_letters(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.broker.changed:
            dead = list(self.broker.stream(self.stream_name).dead[:limit])
        return [json.loads(record) for record in dead]

    def close(self) -> None:
        """Nothing to release: the broker's state belongs to whoever holds the broker."""
