"""The on-disk layout of a campaign index directory, written append-only.

    settings.json     IndexSettings and the format version; written once at creation
    signatures.u16    num_perm little-endian uint16 per message, in row order
    messages.jsonl    one object per message, in row order: id, text, account, group, at, bad
    events.jsonl      {"merged": [[row, row], ...]} and {"bad": row}, in the order they happened
    lock              held with flock while a process has the index open

A batch is written signatures first and messages second, so the message lines are the
commit: on open, rows beyond the shorter of the two files, a torn last line and events
that name missing rows are dropped and the files cut back to a consistent state. Writes
are flushed after every batch (a killed process loses nothing it reported done) and
fsynced on close.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from itertools import accumulate
from pathlib import Path
from typing import IO, Any, Final

import numpy as np
import numpy.typing as npt

from jingwang.core.campaigns import IndexSettings, Message

FORMAT_VERSION: Final = 1
SETTINGS_FILE: Final = "settings.json"
SIGNATURES_FILE: Final = "signatures.u16"
MESSAGES_FILE: Final = "messages.jsonl"
EVENTS_FILE: Final = "events.jsonl"
LOCK_FILE: Final = "lock"

Signatures = npt.NDArray[np.uint16]


class CampaignStoreError(Exception):
    """The index directory cannot be opened or written; the message says why."""


@dataclass
class Recovered:
    """What a directory holds after a consistent prefix has been kept."""

    messages: list[Message]
    signatures: Signatures
    merges: list[tuple[int, int]] = field(default_factory=list)


def read_or_create_settings(directory: Path, wanted: IndexSettings | None) -> IndexSettings:
    path = directory / SETTINGS_FILE
    if not path.exists():
        settings = wanted or IndexSettings()
        document = {"format": FORMAT_VERSION, **asdict(settings)}
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        return settings
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.pop("format") != FORMAT_VERSION:
            raise CampaignStoreError(f"{path}: unsupported format {document!r}")
        settings = IndexSettings(**document)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise CampaignStoreError(f"{path} is not a campaign index settings file: {exc}") from exc
    if wanted is not None and wanted != settings:
        raise CampaignStoreError(f"{directory} was created with different settings: {settings}")
    return settings


def lock_directory(directory: Path) -> IO[bytes]:
    handle = (directory / LOCK_FILE).open("ab")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise CampaignStoreError(f"{directory} is open in another process") from exc
    return handle


def recover(directory: Path, settings: IndexSettings) -> Recovered:
    """Read the files back, cutting them to their longest consistent prefix."""
    messages, message_ends = _read_messages(directory / MESSAGES_FILE)
    signatures_path = directory / SIGNATURES_FILE
    row_bytes = 2 * settings.num_perm
    stored_rows = signatures_path.stat().st_size // row_bytes if signatures_path.exists() else 0
    rows = min(len(messages), stored_rows)
    _truncate(directory / MESSAGES_FILE, message_ends[rows - 1] if rows else 0)
    _truncate(signatures_path, rows * row_bytes)
    signatures = (
        np.fromfile(signatures_path, dtype="<u2", count=rows * settings.num_perm)
        if rows
        else np.zeros(0, dtype=np.uint16)
    )
    recovered = Recovered(messages[:rows], signatures.reshape(rows, settings.num_perm))
    _apply_events(directory / EVENTS_FILE, recovered)
    return recovered


def _read_messages(path: Path) -> tuple[list[Message], list[int]]:
    """The messages of every complete line, and the byte offset where each line ends.

    A torn final line (no newline) belongs to a batch that was never committed.
    """
    if not path.exists():
        return [], []
    data = path.read_bytes()
    lines = data[: data.rfind(b"\n") + 1].splitlines()
    ends = list(accumulate(len(line) + 1 for line in lines))
    try:
        # One decoder call for the whole file is several times faster than one per line.
        objects = json.loads(b"[" + b",".join(lines) + b"]")
        return [_message_from(obj) for obj in objects], ends
    except (ValueError, KeyError, TypeError):
        pass
    for row, line in enumerate(lines):  # find the bad row to name it
        try:
            _message_from(json.loads(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise CampaignStoreError(f"{path}: row {row} is corrupt: {exc}") from exc
    raise CampaignStoreError(f"{path} is corrupt")


def _message_from(obj: dict[str, Any]) -> Message:
    at = obj.get("at")
    return Message(
        message_id=obj["id"],
        text=obj["text"],
        account=obj.get("account"),
        group=obj.get("group"),
        at=datetime.fromisoformat(at) if at else None,
        bad=bool(obj.get("bad", False)),
    )


def _apply_events(path: Path, recovered: Recovered) -> None:
    if not path.exists():
        return
    rows = len(recovered.messages)
    kept = 0
    with path.open("rb") as stream:
        for raw in stream:
            if not raw.endswith(b"\n"):
                break
            try:
                event = json.loads(raw)
            except ValueError as exc:
                raise CampaignStoreError(f"{path}: corrupt event line: {exc}") from exc
            if "bad" in event and event["bad"] < rows:
                row = event["bad"]
                recovered.messages[row] = replace(recovered.messages[row], bad=True)
            for a, b in event.get("merged", ()):
                if a < rows and b < rows:
                    recovered.merges.append((a, b))
            kept += len(raw)
    _truncate(path, kept)


def _truncate(path: Path, size: int) -> None:
    if path.exists() and path.stat().st_size > size:
        with path.open("r+b") as stream:
            stream.truncate(size)


class FileJournal:
    """Appends every change of a ``MemoryCampaignIndex`` to the directory's files."""

    def __init__(self, directory: Path) -> None:
        self._signatures = (directory / SIGNATURES_FILE).open("ab")
        self._messages = (directory / MESSAGES_FILE).open("ab")
        self._events = (directory / EVENTS_FILE).open("ab")

    def added(self, messages: Sequence[Message], signatures: Signatures) -> None:
        self._signatures.write(np.ascontiguousarray(signatures, dtype="<u2").tobytes())
        self._signatures.flush()
        self._messages.write(b"".join(_message_line(message) for message in messages))
        self._messages.flush()

    def merged(self, pairs: Sequence[tuple[int, int]]) -> None:
        self._append_event({"merged": pairs})

    def marked_bad(self, row: int) -> None:
        self._append_event({"bad": row})

    def _append_event(self, event: dict[str, Any]) -> None:
        self._events.write(json.dumps(event, separators=(",", ":")).encode() + b"\n")
        self._events.flush()

    def close(self) -> None:
        for handle in (self._signatures, self._messages, self._events):
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()


def _message_line(message: Message) -> bytes:
    obj = {
        "id": message.message_id,
        "text": message.text,
        "account": message.account,
        "group": message.group,
        "at": message.at.isoformat() if message.at else None,
        "bad": message.bad,
    }
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
