"""``CampaignStore``: a thread-safe campaign index, persistent in a directory or in memory.

One lock serialises every call. Queries take about a millisecond, so a FastAPI route
can call the store directly from its thread pool; a bulk load should go through
``add_many`` in batches of thousands, which is two orders of magnitude faster per
message than ``add``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from jingwang.adapters.campaigns.files import (
    CampaignStoreError,
    FileJournal,
    lock_directory,
    read_or_create_settings,
    recover,
)
from jingwang.core.campaigns import (
    AddOutcome,
    IndexSettings,
    Match,
    MemoryCampaignIndex,
    Message,
)


class CampaignStore:
    """Implements ``jingwang.core.campaigns.CampaignIndex``; open it with ``open`` or
    ``in_memory``, and close it (or use it as a context manager) when done."""

    def __init__(
        self,
        index: MemoryCampaignIndex,
        path: Path | None = None,
        journal: FileJournal | None = None,
        lock: IO[bytes] | None = None,
    ) -> None:
        self.path = path
        self._index = index
        self._journal = journal
        self._dir_lock = lock
        self._lock = threading.RLock()
        self._closed = False

    @classmethod
    def open(cls, path: str | Path, settings: IndexSettings | None = None) -> CampaignStore:
        """Open the index in ``path``, creating the directory when it does not exist.

        ``settings`` apply to a new index; an existing one keeps its own and refuses
        different ones. Raises ``CampaignStoreError`` with a readable reason.
        """
        directory = Path(path)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CampaignStoreError(f"cannot create {directory}: {exc.strerror}") from exc
        if not directory.is_dir():
            raise CampaignStoreError(f"{directory} is not a directory")
        try:
            dir_lock = lock_directory(directory)
        except OSError as exc:
            raise CampaignStoreError(f"cannot lock {directory}: {exc.strerror}") from exc
        try:
            actual = read_or_create_settings(directory, settings)
            recovered = recover(directory, actual)
            journal = FileJournal(directory)
        except OSError as exc:
            dir_lock.close()
            raise CampaignStoreError(f"cannot read {directory}: {exc}") from exc
        except CampaignStoreError:
            dir_lock.close()
            raise
        index = MemoryCampaignIndex.restore(
            actual, recovered.messages, recovered.signatures, recovered.merges, journal
        )
        return cls(index, directory, journal, dir_lock)

    @classmethod
    def in_memory(cls, settings: IndexSettings | None = None) -> CampaignStore:
        return cls(MemoryCampaignIndex(settings))

    @property
    def settings(self) -> IndexSettings:
        return self._index.settings

    def __len__(self) -> int:
        with self._lock:
            return len(self._index)

    def add(
        self,
        message_id: str,
        account: str | None,
        group: str | None,
        text: str,
        *,
        at: datetime | None = None,
        bad: bool = False,
    ) -> AddOutcome:
        return self.add_many([Message(message_id, text, account, group, at, bad)])[0]

    def add_many(self, messages: Iterable[Message]) -> list[AddOutcome]:
        batch = list(messages)
        with self._lock:
            self._check_open()
            return self._index.add_many(batch)

    def get(self, message_id: str) -> Message | None:
        with self._lock:
            return self._index.get(message_id)

    def near(self, text: str, threshold: float | None = None) -> list[Match]:
        with self._lock:
            return self._index.near(text, threshold)

    def near_message(self, message_id: str, threshold: float | None = None) -> list[Match]:
        with self._lock:
            return self._index.near_message(message_id, threshold)

    def campaign_of(self, message_id: str) -> list[Message]:
        with self._lock:
            return self._index.campaign_of(message_id)

    def confirm_bad(self, message_id: str, threshold: float | None = None) -> list[Match]:
        with self._lock:
            self._check_open()
            return self._index.confirm_bad(message_id, threshold)

    def largest_campaigns(self, limit: int = 10) -> list[list[Message]]:
        with self._lock:
            return self._index.largest_campaigns(limit)

    def close(self) -> None:
        """Flush and fsync the files and release the directory; idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._journal is not None:
                self._journal.close()
            if self._dir_lock is not None:
                self._dir_lock.close()

    def __enter__(self) -> CampaignStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise CampaignStoreError("the campaign store is closed")
