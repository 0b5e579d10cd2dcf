"""The event worker: a queue on one side, the scanner and enforcement on the other."""

from jingwang.adapters.worker.events import parse_event
from jingwang.adapters.worker.loop import (
    EventWorker,
    Outcome,
    WorkerOptions,
    WorkerStats,
    stop_on_signals,
)

__all__ = [
    "EventWorker",
    "Outcome",
    "WorkerOptions",
    "WorkerStats",
    "parse_event",
    "stop_on_signals",
]
