"""The list of known-bad images, kept as PDQ hashes in a tab-separated file.

The file (default ``./jingwang-hashes.tsv``) has a header row and the columns ``pdq``,
``label``, ``subcategory``, ``note`` and ``added_at``; people may edit it by hand.
Matching runs on an in-memory index that compares a hash with every listed one in a
single vectorised step (tens of milliseconds per hundred thousand entries).
"""

from __future__ import annotations

import csv
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import numpy as np

from jingwang.adapters.images.pdq import parse_pdq_hex
from jingwang.core.labels import is_known

DEFAULT_HASH_LIST: Final = Path("jingwang-hashes.tsv")
# Meta's recommended PDQ match threshold: at most 31 of the 256 bits differ.
DEFAULT_PDQ_THRESHOLD: Final = 31
COLUMNS: Final = ("pdq", "label", "subcategory", "note", "added_at")


class HashListError(ValueError):
    """The hash list file cannot be read or written; the message says where and why."""


@dataclass(frozen=True, slots=True)
class KnownImage:
    pdq: str
    label: str
    subcategory: str | None = None
    note: str = ""
    added_at: str = ""


@dataclass(frozen=True, slots=True)
class HashMatch:
    entry: KnownImage
    distance: int


class HashIndex:
    """Hamming-distance search over a fixed set of known images."""

    def __init__(self, entries: Sequence[KnownImage]) -> None:
        self.entries = tuple(entries)
        # Each hash as four 64-bit words, so that one XOR and popcount per word compares
        # a query with every entry in a single vectorised step.
        packed = b"".join(bytes.fromhex(e.pdq) for e in self.entries)
        self._words = np.frombuffer(packed, dtype=np.uint64).reshape(len(self.entries), 4)

    def matches(self, pdq: str, threshold: int) -> list[HashMatch]:
        """Entries within ``threshold`` differing bits of ``pdq``, nearest first."""
        if not self.entries:
            return []
        query = np.frombuffer(bytes.fromhex(pdq), dtype=np.uint64)
        distances = np.bitwise_count(self._words ^ query).sum(axis=1)
        close = np.flatnonzero(distances <= threshold)
        ordered = close[np.argsort(distances[close], kind="stable")]
        return [HashMatch(self.entries[i], int(distances[i])) for i in ordered]


def read_hash_list(path: Path) -> list[KnownImage]:
    """The entries of the file at ``path``; a missing file is an empty list."""
    try:
        with path.open(newline="", encoding="utf-8") as stream:
            rows = list(csv.reader(stream, dialect="excel-tab"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise HashListError(f"cannot read hash list {str(path)!r}: {exc}") from None
    if not rows:
        return []
    if tuple(rows[0]) != COLUMNS:
        raise HashListError(
            f"{path}: the first row must be the header {' / '.join(COLUMNS)} (tab-separated)"
        )
    return [_entry(row, path, number) for number, row in enumerate(rows[1:], start=2) if row]


def _entry(row: list[str], path: Path, number: int) -> KnownImage:
    where = f"{path}, line {number}"
    if len(row) != len(COLUMNS):
        raise HashListError(f"{where}: expected {len(COLUMNS)} tab-separated columns")
    raw_pdq, label, subcategory, note, added_at = row
    pdq = parse_pdq_hex(raw_pdq)
    if pdq is None:
        raise HashListError(f"{where}: {raw_pdq!r} is not a PDQ hash (64 hex digits)")
    if not is_known(label, subcategory or None):
        raise HashListError(f"{where}: unknown label {label!r} / subcategory {subcategory!r}")
    return KnownImage(pdq, label, subcategory or None, note, added_at)


def write_hash_list(path: Path, entries: Sequence[KnownImage]) -> None:
    """Replace the file at ``path`` atomically, so a reader never sees half a list."""
    try:
        # Keep the permissions of the list being replaced; a temporary file starts at 0600.
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise HashListError(f"cannot write hash list {str(path)!r}: {exc}") from None
    try:
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream, dialect="excel-tab", lineterminator="\n")
            writer.writerow(COLUMNS)
            for e in entries:
                writer.writerow((e.pdq, e.label, e.subcategory or "", e.note, e.added_at))
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise HashListError(f"cannot write hash list {str(path)!r}: {exc}") from None


class HashListFile:
    """A hash list file and an index of it that follows edits made while it is in use.

    Each lookup costs one ``stat``; the file is re-read only when its modification time
    or size changed, so ``jingwang hashes add`` takes effect in a running server.
    """

    def __init__(self, path: Path = DEFAULT_HASH_LIST) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._index = HashIndex(())

    def index(self) -> HashIndex:
        try:
            info = self.path.stat()
            stamp: tuple[int, int] | None = (info.st_mtime_ns, info.st_size)
        except FileNotFoundError:
            stamp = None
        with self._lock:
            if stamp != self._stamp:
                self._index = HashIndex(read_hash_list(self.path) if stamp else ())
                self._stamp = stamp
            return self._index

    def add(self, entry: KnownImage) -> KnownImage:
        """Append ``entry`` (stamped now), or raise when its hash is already listed."""
        entries = read_hash_list(self.path)
        for existing in entries:
            if existing.pdq == entry.pdq:
                raise HashListError(f"hash {entry.pdq} is already listed as {_shown(existing)}")
        stamped = KnownImage(
            entry.pdq,
            entry.label,
            entry.subcategory,
            entry.note,
            entry.added_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        write_hash_list(self.path, [*entries, stamped])
        return stamped

    def remove(self, pdq: str) -> KnownImage | None:
        """Remove the entry with hash ``pdq``; None when there is none."""
        entries = read_hash_list(self.path)
        kept = [e for e in entries if e.pdq != pdq]
        if len(kept) == len(entries):
            return None
        write_hash_list(self.path, kept)
        return next(e for e in entries if e.pdq == pdq)


def _shown(entry: KnownImage) -> str:
    return entry.label + (f"/{entry.subcategory}" if entry.subcategory else "")
