"""API-key lookups remembered for a few seconds, so that a request does not query the
database before it does any work.

Every authenticated request looks its key up by digest. Against SQLite that query and
its session cost about as much as scanning a short text, and the lookup ran in the
thread pool, a hop that adds scheduling delay under load. A key is remembered for
``ttl_seconds`` (unknown digests too, so a flood of bad keys cannot reach the database
more than once per digest per period). Revoking through this process's API forgets the
key at once; another process — a second server worker, ``jingwang keys revoke`` — is
seen within ``ttl_seconds``. ``ttl_seconds=0`` turns the cache off.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Final

from jingwang.adapters.storage import ApiKey, ApiKeyRepo

# Bounds the memory a flood of made-up keys can take; the oldest entries go first.
MAX_ENTRIES: Final = 10_000


class ApiKeyCache:
    def __init__(
        self,
        repo: ApiKeyRepo,
        ttl_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._repo = repo
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[str, tuple[float, ApiKey | None]] = {}
        self._lock = threading.Lock()

    def cached(self, key_hash: str) -> tuple[bool, ApiKey | None]:
        """``(True, key)`` when the digest's record is fresh here, else ``(False, None)``."""
        entry = self._entries.get(key_hash)
        if entry is None or entry[0] <= self._clock():
            return False, None
        return True, entry[1]

    def find(self, key_hash: str) -> ApiKey | None:
        """The key with this digest, from memory when fresh, else from the repository."""
        found, key = self.cached(key_hash)
        if found:
            return key
        key = self._repo.find_by_hash(key_hash)
        if self._ttl > 0:
            with self._lock:
                if len(self._entries) >= MAX_ENTRIES:
                    del self._entries[next(iter(self._entries))]
                self._entries[key_hash] = (self._clock() + self._ttl, key)
        return key

    def forget(self, key_id: int) -> None:
        """Drop the remembered record of a key, e.g. after revoking it."""
        with self._lock:
            stale = [h for h, (_, key) in self._entries.items() if key and key.id == key_id]
            for key_hash in stale:
                del self._entries[key_hash]
