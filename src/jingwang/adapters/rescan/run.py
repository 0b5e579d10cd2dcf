"""Re-scan archived events with the current detectors and compare with stored decisions.

The scan runs on an ordered map engine (local processes or Ray); the results come back
in key order and are written in chunks, each followed by a checkpoint, so an
interrupted rescan resumes after the last chunk it finished.
"""

from __future__ import annotations

import bisect
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from jingwang.adapters.batch.local import batched
from jingwang.adapters.rescan.archive import index_archive, read_events
from jingwang.adapters.rescan.checkpoint import load_checkpoint, save_checkpoint
from jingwang.adapters.rescan.scanning import init_scanner, scan_events
from jingwang.adapters.rescan.summary import RescanSummary
from jingwang.adapters.storage import EventRecord, Storage
from jingwang.settings import Settings

Result = tuple[str, dict[str, Any]]


class MapEngine(Protocol):
    """``ordered_map``'s signature: the local pool and the Ray engine both have it."""

    def __call__(
        self,
        work: Callable[[list[Any]], list[Any]],
        items: Any,
        *,
        workers: int,
        batch_size: int = ...,
        initializer: Callable[..., None] | None = ...,
        initargs: tuple[Any, ...] = ...,
    ) -> Iterator[Any]: ...


@dataclass(frozen=True, slots=True)
class RescanPlan:
    archive: Path
    output: Path
    checkpoint: Path
    since: datetime | None = None
    until: datetime | None = None
    workers: int = 1
    batch_size: int = 64
    # Events per checkpoint: a crash repeats at most this many scans.
    chunk_size: int = 512

    def scope(self) -> dict[str, Any]:
        return {
            "archive": str(self.archive.resolve()),
            "from": None if self.since is None else self.since.isoformat(),
            "to": None if self.until is None else self.until.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class RescanReport:
    summary: RescanSummary
    # Events in range, those done before this run started, and unreadable lines.
    total: int
    resumed_after: int
    unreadable: int


def rescan(
    plan: RescanPlan,
    storage: Storage,
    settings: Settings,
    engine: MapEngine,
    *,
    on_start: Callable[[int, int], None] = lambda total, done: None,
    on_progress: Callable[[int], None] = lambda advanced: None,
) -> RescanReport:
    index = index_archive(plan.archive, plan.since, plan.until)
    checkpoint = load_checkpoint(plan.checkpoint, plan.scope())
    start = 0
    if checkpoint.last_key is not None:
        start = bisect.bisect_right(index.entries, checkpoint.last_key, key=lambda e: e.key)
    on_start(len(index.entries), start)
    results = engine(
        scan_events,
        read_events(plan.archive, index.entries[start:]),
        workers=plan.workers,
        batch_size=plan.batch_size,
        initializer=init_scanner,
        initargs=(settings,),
    )
    with plan.output.open("a+b") as out:
        # Lines written after the last checkpoint are written again below.
        out.truncate(checkpoint.output_bytes)
        for chunk in batched(results, plan.chunk_size):
            _write_chunk(chunk, storage, checkpoint.summary, out)
            checkpoint.last_key = chunk[-1][0]
            checkpoint.output_bytes = out.tell()
            save_checkpoint(plan.checkpoint, checkpoint)
            on_progress(len(chunk))
    checkpoint.done = True
    save_checkpoint(plan.checkpoint, checkpoint)
    return RescanReport(checkpoint.summary, len(index.entries), start, index.unreadable)


def _write_chunk(
    chunk: list[Result], storage: Storage, summary: RescanSummary, out: BinaryIO
) -> None:
    with storage.enforcement() as unit:
        stored = {result["event_id"]: unit.events.get(result["event_id"]) for _, result in chunk}
    lines = []
    for _, result in chunk:
        record = stored[result["event_id"]]
        if "error" in result:
            summary.invalid += 1
        else:
            result["changed"] = summary.add(record, result["decision"], result["labels"])
            result["previous"] = None if record is None else _previous(record)
        lines.append(json.dumps(result, ensure_ascii=False).encode() + b"\n")
    out.writelines(lines)
    out.flush()
    # On disk before the checkpoint that counts these lines as written.
    os.fsync(out.fileno())


def _previous(record: EventRecord) -> dict[str, Any]:
    return {"decision": record.decision, "labels": sorted({str(x["label"]) for x in record.labels})}


__all__ = ["MapEngine", "RescanPlan", "RescanReport", "rescan"]
