"""The event archive a rescan reads: JSONL, one event object a line, as published.

Enforcement stores decisions, never content, so re-scanning needs the content from the
archive the app keeps of what was posted (the same lines ``jingwang events publish``
sends). Events are processed in key order — time, then event id — whatever the file's
order, so that "everything up to this key is done" is a checkpoint that stays true.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True, order=True)
class ArchiveEntry:
    key: str
    offset: int


@dataclass(frozen=True, slots=True)
class ArchiveIndex:
    entries: list[ArchiveEntry]
    # Lines without a JSON object holding an event_id and a valid 'at'.
    unreadable: int


def event_key(at: datetime, event_id: str) -> str:
    """Sorts as the moments do: fixed-width UTC time first, then the event id."""
    return f"{at.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}|{event_id}"


def _key_of(line: bytes) -> tuple[str, datetime] | None:
    try:
        event = json.loads(line)
        event_id, at = event["event_id"], datetime.fromisoformat(event["at"])
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(event_id, str) or at.tzinfo is None:
        return None
    return event_key(at, event_id), at


def index_archive(
    path: Path, since: datetime | None = None, until: datetime | None = None
) -> ArchiveIndex:
    """The events of ``path`` with ``since <= at < until``, in key order.

    Only keys and byte offsets are held, so memory grows by tens of bytes per event,
    not by the content.
    """
    entries: list[ArchiveEntry] = []
    unreadable = 0
    offset = 0
    with path.open("rb") as archive:
        for line in archive:
            start, offset = offset, offset + len(line)
            if not line.strip():
                continue
            keyed = _key_of(line)
            if keyed is None:
                unreadable += 1
                continue
            key, at = keyed
            if (since is None or at >= since) and (until is None or at < until):
                entries.append(ArchiveEntry(key, start))
    entries.sort()
    return ArchiveIndex(entries, unreadable)


def read_events(
    path: Path, entries: Iterable[ArchiveEntry]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(key, event)`` for each entry, read at its offset."""
    with path.open("rb") as archive:
        for entry in entries:
            archive.seek(entry.offset)
            yield entry.key, json.loads(archive.readline())
