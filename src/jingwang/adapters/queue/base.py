"""The event queue interface: at-least-once delivery of event objects to workers.

A message stays pending from the moment a consumer receives it until that consumer
acks it. A consumer that dies leaves its messages pending, and after a while another
consumer of the same group receives them again (Redis: XAUTOCLAIM after a minimum idle
time; NATS: the ack wait runs out). A message can therefore arrive more than once, so
whatever handles it must be idempotent: the enforcement service is, on ``event_id``.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


class QueueError(RuntimeError):
    """The broker cannot be reached or refused a command; the message says which."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One received message.

    ``event`` is None when the payload is not a JSON object: such a message can never
    be handled and goes to the dead letters. ``attempts`` counts deliveries, this one
    included, so a message that keeps killing its consumers can be set aside.
    """

    message_id: str
    payload: bytes
    event: dict[str, Any] | None
    attempts: int


def encode_event(event: Mapping[str, Any]) -> bytes:
    if not isinstance(event.get("event_id"), str) or not event["event_id"]:
        raise ValueError("an event needs a non-empty string 'event_id'")
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def decode_event(payload: bytes) -> dict[str, Any] | None:
    try:
        decoded = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return decoded if isinstance(decoded, dict) else None


def dead_letter_record(delivery: Delivery, reason: Mapping[str, Any]) -> bytes:
    """What a dead letter holds: the payload as received, why, and where it came from."""
    record = {
        "message_id": delivery.message_id,
        "attempts": delivery.attempts,
        "reason": dict(reason),
        "payload": delivery.payload.decode(errors="replace"),
    }
    return json.dumps(record, ensure_ascii=False).encode()


class EventQueue(ABC):
    """One consumer's handle on a stream of events shared by a group of consumers."""

    @abstractmethod
    def publish(self, event: Mapping[str, Any]) -> None:
        """Append an event (a JSON object with a string ``event_id``) to the stream."""

    def publish_many(self, events: Iterable[Mapping[str, Any]]) -> int:
        """Append events in order; returns how many. Back ends override it to batch."""
        count = 0
        for event in events:
            self.publish(event)
            count += 1
        return count

    @abstractmethod
    def fetch(self, max_count: int, wait_s: float) -> list[Delivery]:
        """Up to ``max_count`` messages for this consumer, waiting up to ``wait_s`` for
        the first one; messages a dead consumer left pending come back here too."""

    @abstractmethod
    def ack(self, delivery: Delivery) -> None:
        """The message is handled for good; it is not delivered again."""

    @abstractmethod
    def retry(self, delivery: Delivery) -> None:
        """Handling failed for a reason that may pass; deliver the message again later."""

    @abstractmethod
    def dead_letter(self, delivery: Delivery, reason: Mapping[str, Any]) -> None:
        """Set the message aside with ``reason`` and ack it, so it is not redelivered."""

    @abstractmethod
    def dead_letters(self, limit: int = 100) -> list[dict[str, Any]]:
        """The oldest dead letters, as :func:`dead_letter_record` wrote them."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; the handle is not used afterwards."""
