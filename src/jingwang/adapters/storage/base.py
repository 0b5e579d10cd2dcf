"""The storage interface the API and CLI depend on: repositories plus lifecycle."""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager

from jingwang.adapters.storage.api_keys import ApiKeyRepo
from jingwang.adapters.storage.enforcement import EnforcementUnit


class Storage(ABC):
    """One database (or its in-memory twin) and the repositories over it."""

    api_keys: ApiKeyRepo

    @abstractmethod
    def enforcement(self) -> AbstractContextManager[EnforcementUnit]:
        """One transaction over the enforcement repositories: ``with storage.enforcement()
        as unit: …`` commits when the block ends and rolls back when it raises."""

    @abstractmethod
    def migrate(self) -> None:
        """Bring the schema up to date; raise :class:`StorageError` when that fails."""

    @abstractmethod
    def ping(self) -> bool:
        """Whether the database answers right now."""

    @abstractmethod
    def close(self) -> None:
        """Release connections; the storage is not used afterwards."""
