"""The worker: consume events, scan and enforce them, ack what is stored.

The same steps as ``POST /v1/events``: a stored outcome ends it, otherwise the item is
scanned and :meth:`EnforcementService.record_event` applies the policy in one
transaction. A message is acked only after that transaction has committed, so a worker
killed at any point leaves its message pending and another worker handles it; the
service's writer lock and the event id's primary key make that second handling a no-op
when the first had committed.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any, Literal

from jingwang.adapters.enforcement import EnforcementError, EnforcementService, IncomingEvent
from jingwang.adapters.queue import Delivery, EventQueue
from jingwang.adapters.worker.events import parse_event
from jingwang.core.io import MAX_TEXT_CHARS, ItemError
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Decision, ScanItem

logger = logging.getLogger(__name__)

Outcome = Literal["processed", "duplicate", "failed", "dead_letter"]
# A message's event and what scanning its item gave.
Scanned = tuple[IncomingEvent, Decision | Exception]


@dataclass(slots=True)
class WorkerStats:
    """Counters since the worker started."""

    processed: int = 0  # enforced for the first time
    duplicates: int = 0  # already enforced: redelivered, or published twice
    failures: int = 0  # handling raised; the message goes back to the queue
    dead_letters: int = 0  # set aside: invalid, refused, or failed too often

    def count(self, outcome: Outcome) -> None:
        if outcome == "processed":
            self.processed += 1
        elif outcome == "duplicate":
            self.duplicates += 1
        elif outcome == "failed":
            self.failures += 1
        else:
            self.dead_letters += 1

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    max_text_chars: int = MAX_TEXT_CHARS
    # A message delivered this often without being handled is set aside, so that one
    # that crashes every worker cannot stall the stream for ever.
    max_attempts: int = 5
    batch_size: int = 16
    # Short, so that a stop request is noticed soon while the queue is idle.
    wait_s: float = 1.0
    stats_every_s: float = 60.0


class EventWorker:
    def __init__(
        self,
        queue: EventQueue,
        scanner: Scanner,
        enforcement: EnforcementService,
        options: WorkerOptions | None = None,
    ) -> None:
        self.queue = queue
        self.scanner = scanner
        self.enforcement = enforcement
        self.options = options or WorkerOptions()
        self.stats = WorkerStats()

    def run(self, stop: threading.Event, *, drain: bool = False) -> WorkerStats:
        """Handle messages until ``stop`` is set, or, with ``drain``, the queue is empty.

        Messages fetched but not started when ``stop`` is set go back to the queue.
        """
        last_report = time.monotonic()
        while not stop.is_set():
            deliveries = self.queue.fetch(self.options.batch_size, self.options.wait_s)
            if not deliveries and drain:
                break
            scanned = self._scan_together(deliveries)
            for index, delivery in enumerate(deliveries):
                if stop.is_set():
                    for unstarted in deliveries[index:]:
                        self.queue.retry(unstarted)
                    break
                self.stats.count(self.handle(delivery, scanned[index]))
            if time.monotonic() - last_report >= self.options.stats_every_s:
                logger.info("worker stats %s", self.stats.as_dict())
                last_report = time.monotonic()
        return self.stats

    def _scan_together(self, deliveries: Sequence[Delivery]) -> list[Scanned | ItemError]:
        """Each message's event and its item's outcome, the valid items scanned as one
        batch (``Scanner.scan_batch``: the same decisions as one at a time, cheaper for
        the classifier); the error of a message that does not parse."""
        parsed = [self._parse(delivery) for delivery in deliveries]
        outcomes = self.scanner.scan_in_place(
            [entry if isinstance(entry, ItemError) else entry[1] for entry in parsed]
        )
        return [
            entry if isinstance(entry, ItemError) else (entry[0], outcome)
            for entry, outcome in zip(parsed, outcomes, strict=True)
        ]

    def _parse(self, delivery: Delivery) -> tuple[IncomingEvent, ScanItem] | ItemError:
        if delivery.event is None:
            return ItemError("invalid_json", "the message is not a JSON object")
        try:
            return parse_event(delivery.event, self.options.max_text_chars)
        except ItemError as error:
            return error

    def handle(self, delivery: Delivery, scanned: Scanned | ItemError) -> Outcome:
        """Enforce one message's event with its item's decision; set it aside when it
        did not parse."""
        if isinstance(scanned, ItemError):
            return self._set_aside(delivery, scanned.code, scanned.message)
        incoming, outcome = scanned
        try:
            if self.enforcement.stored_outcome(incoming.event_id) is not None:
                self.queue.ack(delivery)
                return "duplicate"
            if isinstance(outcome, Exception):
                raise outcome  # scanning failed: handled as if it had failed here
            self.enforcement.record_event(incoming, outcome)
        except EnforcementError as error:
            # An unknown account, say: retrying the same message cannot change that.
            return self._set_aside(delivery, error.code, error.message)
        except Exception:
            return self._failed(delivery)
        self.queue.ack(delivery)
        return "processed"

    def _failed(self, delivery: Delivery) -> Outcome:
        # Most likely the database is unreachable; the message waits for a retry.
        logger.exception(
            "event message %s failed (attempt %d)", delivery.message_id, delivery.attempts
        )
        if delivery.attempts >= self.options.max_attempts:
            self._set_aside(
                delivery, "too_many_attempts", f"failed {delivery.attempts} times; see the logs"
            )
        else:
            self.queue.retry(delivery)
        return "failed"

    def _set_aside(self, delivery: Delivery, code: str, message: str) -> Outcome:
        logger.warning("dead letter %s: %s: %s", delivery.message_id, code, message)
        reason: dict[str, Any] = {"code": code, "message": message}
        self.queue.dead_letter(delivery, reason)
        return "dead_letter"


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Set ``stop`` on SIGTERM or SIGINT while the block runs, so that the worker
    finishes the message in hand, acks it and returns instead of dying mid-way."""

    def request_stop(signum: int, _: object) -> None:
        logger.info("received %s; stopping after the current message", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
