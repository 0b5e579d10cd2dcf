"""In-memory storage: the reference behaviour for tests and for code that needs no database."""

from __future__ import annotations

import builtins
import threading
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime

from jingwang.adapters.storage.api_keys import ApiKey, ApiKeyRepo, DuplicateKeyError, Role
from jingwang.adapters.storage.base import Storage
from jingwang.adapters.storage.enforcement import EnforcementUnit
from jingwang.adapters.storage.enforcement_memory import InMemoryEnforcement


class InMemoryApiKeyRepo(ApiKeyRepo):
    def __init__(self) -> None:
        self._keys: dict[int, ApiKey] = {}
        # The API serves requests from a thread pool.
        self._lock = threading.Lock()

    def create(self, name: str, role: Role, key_hash: str, key_prefix: str) -> ApiKey:
        with self._lock:
            if any(key.key_hash == key_hash for key in self._keys.values()):
                raise DuplicateKeyError(key_prefix)
            key = ApiKey(
                id=len(self._keys) + 1,
                name=name,
                role=role,
                key_hash=key_hash,
                key_prefix=key_prefix,
                created_at=datetime.now(UTC),
            )
            self._keys[key.id] = key
            return key

    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        with self._lock:
            return next((k for k in self._keys.values() if k.key_hash == key_hash), None)

    def revoke(self, key_id: int) -> ApiKey | None:
        with self._lock:
            key = self._keys.get(key_id)
            if key is None or key.revoked_at is not None:
                return key
            revoked = replace(key, revoked_at=datetime.now(UTC))
            self._keys[key_id] = revoked
            return revoked

    def list(self) -> builtins.list[ApiKey]:
        with self._lock:
            return sorted(self._keys.values(), key=lambda key: key.id)


class InMemoryStorage(Storage):
    def __init__(self) -> None:
        self.api_keys = InMemoryApiKeyRepo()
        self._enforcement = InMemoryEnforcement()

    def enforcement(self) -> AbstractContextManager[EnforcementUnit]:
        return self._enforcement.transaction()

    def migrate(self) -> None:
        """Nothing to migrate: the in-memory structures always have the current shape."""

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        """Nothing to release."""
