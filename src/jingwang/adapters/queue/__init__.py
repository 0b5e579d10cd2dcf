"""Event queues: the interface, an in-process twin, Redis Streams and NATS JetStream.

The broker clients are imported only when their queue is opened, so that using the
in-process queue needs neither installed.
"""

from __future__ import annotations

from typing import Literal, get_args

from jingwang.adapters.queue.base import Delivery, EventQueue, QueueError
from jingwang.adapters.queue.memory import InMemoryQueue, MemoryBroker

QueueKind = Literal["memory", "redis", "nats"]
QUEUE_KINDS: tuple[str, ...] = get_args(QueueKind)
DEFAULT_URLS: dict[str, str] = {
    "memory": "",
    "redis": "redis://127.0.0.1:6379/0",
    "nats": "nats://127.0.0.1:4222",
}
DEFAULT_STREAMS: dict[str, str] = {
    "memory": "events",
    "redis": "jingwang:events",
    # JetStream stream names may not contain '.' or ':'.
    "nats": "JINGWANG_EVENTS",
}


def open_queue(
    kind: QueueKind,
    url: str | None = None,
    *,
    stream: str | None = None,
    group: str = "workers",
    consumer: str = "worker",
    redeliver_after_s: float = 60.0,
    broker: MemoryBroker | None = None,
) -> EventQueue:
    """A consumer handle on the named back end.

    ``redeliver_after_s`` is how long a received message may stay unacked before the
    group delivers it again: Redis's XAUTOCLAIM minimum idle time, JetStream's ack wait.
    Keep it well above the time one event takes to handle.
    """
    stream = stream or DEFAULT_STREAMS[kind]
    url = url or DEFAULT_URLS[kind]
    if kind == "memory":
        return InMemoryQueue(stream, group, consumer, broker=broker, claim_idle_s=redeliver_after_s)
    if kind == "redis":
        from jingwang.adapters.queue.redis_streams import RedisStreamQueue  # noqa: PLC0415

        return RedisStreamQueue(
            url, stream, group, consumer, claim_idle_ms=int(redeliver_after_s * 1000)
        )
    from jingwang.adapters.queue.nats_jetstream import NatsJetStreamQueue  # noqa: PLC0415

    return NatsJetStreamQueue(
        url,
        stream,
        group,
        consumer,
        ack_wait_s=redeliver_after_s,
        # As on Redis, where a failed message waits out the same idle time.
        retry_delay_s=redeliver_after_s,
    )


__all__ = [
    "DEFAULT_STREAMS",
    "DEFAULT_URLS",
    "QUEUE_KINDS",
    "Delivery",
    "EventQueue",
    "InMemoryQueue",
    "MemoryBroker",
    "QueueError",
    "QueueKind",
    "open_queue",
]
