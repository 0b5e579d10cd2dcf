"""The storage interface the API and CLI depend on: repositories plus lifecycle."""

from __future__ import annotations

from abc import ABC, abstractmethod

from jingwang.adapters.storage.api_keys import ApiKeyRepo


class Storage(ABC):
    """One database (or its in-memory twin) and the repositories over it."""

    api_keys: ApiKeyRepo

    @abstractmethod
    def migrate(self) -> None:
        """Bring the schema up to date; raise :class:`StorageError` when that fails."""

    @abstractmethod
    def ping(self) -> bool:
        """Whether the database answers right now."""

    @abstractmethod
    def close(self) -> None:
        """Release connections; the storage is not used afterwards."""
