"""``jingwang worker``, ``jingwang events publish|dead`` and ``jingwang rescan``.

The queue is chosen with ``--queue`` or ``JINGWANG_QUEUE`` (memory, redis, nats) and
reached at ``--url`` or ``JINGWANG_QUEUE_URL``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from jingwang.adapters.batch.local import ordered_map
from jingwang.adapters.enforcement import (
    EnforcementService,
    IdentityHasher,
    pepper_from_environment,
)
from jingwang.adapters.queue import EventQueue, QueueError, QueueKind, open_queue
from jingwang.adapters.rescan import CheckpointMismatchError, MapEngine, RescanPlan, rescan
from jingwang.adapters.scanner import configured_scanner
from jingwang.adapters.worker import EventWorker, WorkerOptions, stop_on_signals
from jingwang.cli.common import configured_storage, fail, settings_or_exit
from jingwang.core.policy import default_policy
from jingwang.runtime import keep_startup_objects_out_of_collections
from jingwang.settings import SettingsError

_stderr = Console(stderr=True)
events_app = typer.Typer(name="events", help="Put events on the queue.", no_args_is_help=True)

QueueOption = Annotated[
    QueueKind, typer.Option("--queue", envvar="JINGWANG_QUEUE", help="Queue back end.")
]
UrlOption = Annotated[
    str | None,
    typer.Option(envvar="JINGWANG_QUEUE_URL", help="Broker URL (default: local broker)."),
]
StreamOption = Annotated[
    str | None,
    typer.Option(
        envvar="JINGWANG_QUEUE_STREAM",
        help="Stream name (default: jingwang:events on Redis, JINGWANG_EVENTS on NATS).",
    ),
]
GroupOption = Annotated[
    str, typer.Option(help="Consumer group (Redis) or durable consumer (NATS) the workers share.")
]


@contextmanager
def _queue(kind: QueueKind, url: str | None, **options: Any) -> Iterator[EventQueue]:
    """The queue, closed afterwards; broker errors end the command with a message."""
    try:
        queue = open_queue(kind, url, **options)
    except QueueError as exc:
        raise fail(str(exc)) from None
    try:
        yield queue
    except QueueError as exc:
        raise fail(str(exc)) from None
    finally:
        queue.close()


def _jsonl_events(path: Path) -> Iterator[dict[str, Any]]:
    """The file's event objects; a line that is not one stops with its line number."""
    try:
        source = path.open("rb")
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror}", code=2) from None
    with source:
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except ValueError:
                raise fail(f"{path}:{number}: not JSON", code=2) from None
            if not isinstance(event, dict) or not isinstance(event.get("event_id"), str):
                raise fail(f"{path}:{number}: not an object with a string event_id", code=2)
            yield event


def worker(
    *,
    queue: QueueOption = "memory",
    url: UrlOption = None,
    stream: StreamOption = None,
    group: GroupOption = "workers",
    consumer: Annotated[
        str | None, typer.Option(help="This worker's name in the group (default: host-pid).")
    ] = None,
    redeliver_after: Annotated[
        float,
        typer.Option(
            min=0.1, help="Seconds a message may stay unacked before the group gets it again."
        ),
    ] = 60.0,
    max_attempts: Annotated[
        int, typer.Option(min=1, help="Deliveries before a failing message is dead-lettered.")
    ] = 5,
    batch: Annotated[int, typer.Option(min=1, max=1000, help="Messages fetched at a time.")] = 16,
    drain: Annotated[bool, typer.Option(help="Stop once the queue is empty.")] = False,
    input_path: Annotated[
        Path | None,
        typer.Option(
            "--input", help="Publish this JSONL file first (how the memory queue is fed)."
        ),
    ] = None,
) -> None:
    """Consume events, scan and enforce each once (as POST /v1/events does), ack after commit.

    Stops after the current message on SIGTERM or SIGINT and prints its counters as JSON.
    Invalid events and events the service refuses go to the dead letters.
    """
    if queue == "memory" and input_path is None:
        raise fail("the memory queue lives in this process only: give --input FILE", code=2)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = settings_or_exit()
    try:
        hasher = IdentityHasher(pepper_from_environment(settings))
    except SettingsError as exc:
        raise fail(str(exc), code=2) from None
    name = consumer or f"{socket.gethostname()}-{os.getpid()}"
    with (
        configured_storage(settings) as storage,
        _queue(
            queue,
            url,
            stream=stream,
            group=group,
            consumer=name,
            redeliver_after_s=redeliver_after,
        ) as events,
    ):
        if input_path is not None:
            events.publish_many(_jsonl_events(input_path))
        scanner = configured_scanner(settings, service=True)
        service = EnforcementService(storage, default_policy(), hasher)
        options = WorkerOptions(settings.max_text_chars, max_attempts, batch)
        keep_startup_objects_out_of_collections()
        stop = threading.Event()
        with stop_on_signals(stop):
            stats = EventWorker(events, scanner, service, options).run(
                stop, drain=drain or queue == "memory"
            )
    typer.echo(json.dumps(stats.as_dict()))


@events_app.command("publish")
def publish(
    path: Annotated[Path, typer.Argument(metavar="FILE.jsonl", help="One event object a line.")],
    queue: QueueOption = "redis",
    url: UrlOption = None,
    stream: StreamOption = None,
    group: GroupOption = "workers",
) -> None:
    """Publish the events of a JSONL file, in file order.

    The consumer group is created first if need be, so that workers started later still
    receive every event.
    """
    if queue == "memory":
        raise fail("the memory queue lives in one process: use `jingwang worker --input`", code=2)
    with _queue(queue, url, stream=stream, group=group, consumer="publisher") as events:
        count = events.publish_many(_jsonl_events(path))
    _stderr.print(f"published {count} event(s)")


@events_app.command("dead")
def dead_letters(
    queue: QueueOption = "redis",
    url: UrlOption = None,
    stream: StreamOption = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
) -> None:
    """Print the oldest dead letters as JSONL: the payload, why, and how often tried."""
    if queue == "memory":
        raise fail("the memory queue keeps its dead letters in the worker's process", code=2)
    with _queue(queue, url, stream=stream, consumer="reader") as events:
        for record in events.dead_letters(limit):
            typer.echo(json.dumps(record, ensure_ascii=False))


def _day_or_moment(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r}: use a date (2025-05-01) or an ISO time", code=2) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _engine(name: Literal["local", "ray"]) -> MapEngine:
    if name == "local":
        return ordered_map
    try:
        from jingwang.adapters.batch.ray_engine import ray_ordered_map  # noqa: PLC0415
    except ImportError:
        raise fail("--engine ray needs Ray: pip install 'ray>=2.9'", code=2) from None
    return ray_ordered_map


def rescan_cmd(
    archive: Annotated[
        Path, typer.Argument(metavar="ARCHIVE.jsonl", help="Archived events, as published.")
    ],
    *,
    engine: Annotated[Literal["local", "ray"], typer.Option(help="Where the scans run.")] = "local",
    since: Annotated[
        str | None, typer.Option("--from", help="First moment (UTC unless an offset is given).")
    ] = None,
    until: Annotated[str | None, typer.Option("--to", help="Moment to stop before.")] = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="Progress file; an interrupted rescan restarts after its last key."),
    ] = None,
    output: Annotated[
        Path, typer.Option("-o", "--output", help="New decisions, one JSON object a line.")
    ] = Path("rescan-decisions.jsonl"),
    workers: Annotated[int, typer.Option(min=1, max=256, help="Scanning processes.")] = 1,
) -> None:
    """Re-scan archived content events after a policy or model change.

    Writes each new decision beside the stored one and prints how many changed, by
    decision and by label. Decisions already stored are not altered.
    """
    if not archive.is_file():
        raise fail(f"cannot read {archive}", code=2)
    plan = RescanPlan(
        archive=archive,
        output=output,
        checkpoint=checkpoint or output.with_name(output.name + ".checkpoint"),
        since=_day_or_moment(since, "--from"),
        until=_day_or_moment(until, "--to"),
        workers=workers,
    )
    map_engine = _engine(engine)
    settings = settings_or_exit()
    progress = Progress(
        TextColumn("rescanning"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_stderr,
        disable=not sys.stderr.isatty(),
    )
    with configured_storage(settings) as storage, progress:
        task = progress.add_task("rescan", total=None)
        try:
            report = rescan(
                plan,
                storage,
                settings,
                map_engine,
                on_start=lambda total, done: progress.update(task, total=total, completed=done),
                on_progress=lambda advanced: progress.advance(task, advanced),
            )
        except CheckpointMismatchError as exc:
            raise fail(str(exc), code=2) from None
    summary = {
        "events": report.total,
        "resumed_after": report.resumed_after,
        "unreadable_lines": report.unreadable,
        **report.summary.to_dict(),
    }
    typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.add_typer(events_app)
    app.command("rescan")(rescan_cmd)
