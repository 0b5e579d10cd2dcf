"""NATS JetStream: a stream holding the events and a durable pull consumer per group.

Every worker of a group pulls from the same durable consumer, which spreads messages
over them. A message a worker does not ack within ``ack_wait_s`` (because it died) is
delivered again to the group; a nak redelivers it after ``retry_delay_s``.

nats-py is asyncio-only while the worker is a plain loop around CPU-bound scans, so the
client lives on an event loop in a thread of its own and the methods here wait for it.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Coroutine, Iterable, Mapping
from typing import Any, TypeVar

import nats
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from nats.js.errors import NotFoundError

from jingwang.adapters.queue.base import (
    Delivery,
    EventQueue,
    QueueError,
    dead_letter_record,
    decode_event,
    encode_event,
)

T = TypeVar("T")
_CONNECT_TIMEOUT_S = 5.0
_PUBLISH_BATCH = 500
# How long a call may wait for the client beyond its own timeout.
_CALL_GRACE_S = 30.0


class _LoopThread:
    """An asyncio loop running in a daemon thread, fed coroutines from other threads."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="nats-io", daemon=True)
        self._thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout_s: float) -> T:
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        return future.result(timeout_s + _CALL_GRACE_S)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()


class NatsJetStreamQueue(EventQueue):
    def __init__(
        self,
        url: str,
        stream: str = "JINGWANG_EVENTS",
        group: str = "workers",
        consumer: str = "worker",
        *,
        ack_wait_s: float = 60.0,
        retry_delay_s: float = 5.0,
    ) -> None:
        self.stream = stream
        self.group = group
        # JetStream spreads a durable consumer's messages over whoever pulls from it;
        # the individual worker's name only shows in logs.
        self.consumer = consumer
        self.subject = f"{stream}.events"
        self.dead_subject = f"{stream}.dead"
        self.ack_wait_s = ack_wait_s
        self.retry_delay_s = retry_delay_s
        # Received, not yet acked messages: acking needs the client's message object.
        self._in_flight: dict[str, Msg] = {}
        self._pull: Any = None
        self._io = _LoopThread()
        try:
            self._nc, self._js = self._call(self._connect(url), _CONNECT_TIMEOUT_S)
        except BaseException:
            self._io.stop()
            raise

    def _call(self, coroutine: Coroutine[Any, Any, T], timeout_s: float = 10.0) -> T:
        try:
            return self._io.run(coroutine, timeout_s)
        except (NatsError, OSError, TimeoutError) as exc:
            raise QueueError(f"NATS stream {self.stream}: {exc!r}") from exc

    async def _connect(self, url: str) -> Any:
        nc = await nats.connect(
            url, connect_timeout=_CONNECT_TIMEOUT_S, allow_reconnect=True, max_reconnect_attempts=-1
        )
        js = nc.jetstream()
        try:
            await js.stream_info(self.stream)
        except NotFoundError:
            await js.add_stream(
                StreamConfig(name=self.stream, subjects=[self.subject, self.dead_subject])
            )
        return nc, js

    async def _subscribe(self) -> Any:
        """The group's durable consumer, created or brought to this worker's settings.

        Done on the first fetch, not on connecting, so that a publisher never changes
        the settings the workers run with.
        """
        config = ConsumerConfig(
            durable_name=self.group,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=self.ack_wait_s,
            # Unlimited: the worker dead-letters a message that failed too often itself,
            # where it can say why; the server would only stop delivering it.
            max_deliver=-1,
            filter_subject=self.subject,
        )
        await self._js.add_consumer(self.stream, config)
        return await self._js.pull_subscribe_bind(durable=self.group, stream=self.stream)

    def publish(self, event: Mapping[str, Any]) -> None:
        self._call(self._js.publish(self.subject, encode_event(event)))

    def publish_many(self, events: Iterable[Mapping[str, Any]]) -> int:
        count = 0
        batch: list[bytes] = []
        for event in events:
            batch.append(encode_event(event))
            count += 1
            if len(batch) == _PUBLISH_BATCH:
                self._call(self._publish_batch(batch))
                batch = []
        if batch:
            self._call(self._publish_batch(batch))
        return count

    async def _publish_batch(self, payloads: list[bytes]) -> None:
        # One connection delivers in order, so the stream keeps the file's order while
        # the acknowledgements are awaited together rather than one round trip each.
        await asyncio.gather(*(self._js.publish(self.subject, p) for p in payloads))

    def fetch(self, max_count: int, wait_s: float) -> list[Delivery]:
        if self._pull is None:
            self._pull = self._call(self._subscribe())
        messages = self._call(self._fetch(max_count, wait_s), wait_s)
        deliveries = []
        for message in messages:
            metadata = message.metadata
            message_id = str(metadata.sequence.stream)
            self._in_flight[message_id] = message
            event = decode_event(message.data)
            deliveries.append(Delivery(message_id, message.data, event, metadata.num_delivered))
        return deliveries

    async def _fetch(self, max_count: int, wait_s: float) -> list[Msg]:
        try:
            messages: list[Msg] = await self._pull.fetch(max_count, timeout=max(wait_s, 0.01))
        except TimeoutError:
            return []
        return messages

    def ack(self, delivery: Delivery) -> None:
        message = self._in_flight.pop(delivery.message_id, None)
        if message is not None:
            self._call(message.ack())

    def retry(self, delivery: Delivery) -> None:
        message = self._in_flight.pop(delivery.message_id, None)
        if message is not None:
            self._call(message.nak(delay=self.retry_delay_s))

    def dead_letter(self, delivery: Delivery, reason: Mapping[str, Any]) -> None:
        # Published, then acked: a crash in between writes the dead letter twice, which
        # is harmless, where the other order could lose the message.
        self._call(self._js.publish(self.dead_subject, dead_letter_record(delivery, reason)))
        self.ack(delivery)

    def dead_letters(self, limit: int = 100) -> list[dict[str, Any]]:
        return [json.loads(data) for data in self._call(self._read_dead(limit))]

    async def _read_dead(self, limit: int) -> list[bytes]:
        # An ephemeral consumer reads the dead letters without disturbing the group's.
        reader = await self._js.pull_subscribe(self.dead_subject, stream=self.stream)
        try:
            messages = await reader.fetch(limit, timeout=1.0)
        except TimeoutError:
            messages = []
        finally:
            await reader.unsubscribe()
        return [message.data for message in messages]

    def close(self) -> None:
        try:
            self._call(self._shut())
        finally:
            self._io.stop()

    async def _shut(self) -> None:
        # Not drain(): it would wait for the pull subscription's unread messages. Those
        # stay pending on the server and come back after the ack wait.
        try:
            await self._nc.flush()
        finally:
            await self._nc.close()
