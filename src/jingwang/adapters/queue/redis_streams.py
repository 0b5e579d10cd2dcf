"""Redis Streams: a stream per event flow, a consumer group per kind of worker.

Each worker is a named consumer of the group. XREADGROUP hands it new entries and keeps
them in the group's pending list until XACK. A worker that dies leaves its entries
pending; every fetch first runs XAUTOCLAIM, which moves entries idle for longer than
``claim_idle_ms`` to the caller, so the group's other workers take them over.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, cast

import redis
from redis.exceptions import RedisError, ResponseError

from jingwang.adapters.queue.base import (
    Delivery,
    EventQueue,
    QueueError,
    dead_letter_record,
    decode_event,
    encode_event,
)

_FIELD = b"event"
_START = "0-0"
_PUBLISH_BATCH = 500


class RedisStreamQueue(EventQueue):
    def __init__(
        self,
        url: str,
        stream: str = "jingwang:events",
        group: str = "workers",
        consumer: str = "worker",
        *,
        claim_idle_ms: int = 60_000,
        client: redis.Redis | None = None,
    ) -> None:
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.dead_stream = f"{stream}:dead"
        self.claim_idle_ms = claim_idle_ms
        self._redis = client or redis.Redis.from_url(url)
        self._claim_cursor = _START
        # A restarted consumer with the same name first gets back what it had pending.
        self._own_backlog = True
        self._call(self._create_group)

    def _create_group(self) -> None:
        try:
            self._redis.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _call(self, command: Any, *args: Any) -> Any:
        try:
            return command(*args)
        except RedisError as exc:
            raise QueueError(f"redis stream {self.stream}: {exc}") from exc

    def publish(self, event: Mapping[str, Any]) -> None:
        self._call(self._redis.xadd, self.stream, {_FIELD: encode_event(event)})

    def publish_many(self, events: Iterable[Mapping[str, Any]]) -> int:
        count = 0
        pipe = self._redis.pipeline(transaction=False)
        for event in events:
            pipe.xadd(self.stream, {_FIELD: encode_event(event)})
            count += 1
            if count % _PUBLISH_BATCH == 0:
                self._call(pipe.execute)
        self._call(pipe.execute)
        return count

    def fetch(self, max_count: int, wait_s: float) -> list[Delivery]:
        if self._own_backlog:
            own = self._read("0", max_count, None)
            if own:
                return self._with_attempts(own)
            self._own_backlog = False
        claimed = self._claim(max_count)
        if claimed:
            return self._with_attempts(claimed)
        block_ms = max(1, int(wait_s * 1000))
        fresh = self._read(">", max_count, block_ms)
        return [self._delivery(mid, fields, 1) for mid, fields in fresh]

    def _read(self, start: str, count: int, block_ms: int | None) -> list[tuple[bytes, Any]]:
        reply = self._call(
            self._redis.xreadgroup,
            self.group,
            self.consumer,
            {self.stream: start},
            count,
            block_ms,
        )
        if not reply:
            return []
        entries = cast(list[tuple[bytes, Any]], reply[0][1])
        # Entries trimmed from the stream while pending come back without fields.
        return [(mid, fields) for mid, fields in entries if fields]

    def _claim(self, count: int) -> list[tuple[bytes, Any]]:
        reply = self._call(
            self._redis.xautoclaim,
            self.stream,
            self.group,
            self.consumer,
            self.claim_idle_ms,
            self._claim_cursor,
            count,
        )
        # The cursor walks the pending list across calls, back to the start at its end.
        cursor = reply[0]
        self._claim_cursor = cursor.decode() if isinstance(cursor, bytes) else str(cursor)
        return [(mid, fields) for mid, fields in reply[1] if fields]

    def _with_attempts(self, entries: list[tuple[bytes, Any]]) -> list[Delivery]:
        """Deliveries with the group's delivery counts, read from the pending list."""
        first, last = entries[0][0], entries[-1][0]
        pending = self._call(
            self._redis.xpending_range,
            self.stream,
            self.group,
            first,
            last,
            len(entries) * 2,
            self.consumer,
        )
        counts = {row["message_id"]: int(row["times_delivered"]) for row in pending}
        return [self._delivery(mid, fields, counts.get(mid, 1)) for mid, fields in entries]

    def _delivery(self, message_id: bytes, fields: Mapping[bytes, Any], attempts: int) -> Delivery:
        payload = fields.get(_FIELD, b"")
        return Delivery(message_id.decode(), payload, decode_event(payload), attempts)

    def ack(self, delivery: Delivery) -> None:
        self._call(self._redis.xack, self.stream, self.group, delivery.message_id)

    def retry(self, delivery: Delivery) -> None:
        """Redis has no negative ack: the entry stays pending and is claimed again once
        it has been idle for ``claim_idle_ms``, by this consumer or another."""

    def dead_letter(self, delivery: Delivery, reason: Mapping[str, Any]) -> None:
        # One MULTI: the dead letter is written if and only if the entry is acked.
        pipe = self._redis.pipeline(transaction=True)
        pipe.xadd(self.dead_stream, {_FIELD: dead_letter_record(delivery, reason)})
        pipe.xack(self.stream, self.group, delivery.message_id)
        self._call(pipe.execute)

    def dead_letters(self, limit: int = 100) -> list[dict[str, Any]]:
        entries = self._call(self._redis.xrange, self.dead_stream, "-", "+", limit)
        return [json.loads(fields[_FIELD]) for _, fields in entries]

    def close(self) -> None:
        self._redis.close()
