"""API keys: roles, the stored record, key material and the repository interface.

Only a digest of a key is ever stored. Keys are 32 random bytes from :mod:`secrets`, so a
fast unsalted SHA-256 is the right hash: slow, salted password hashes exist to resist
guessing of low-entropy secrets, and 256 random bits cannot be guessed. A fast digest
also lets authentication find a key through the unique index on ``key_hash``; looking up
by digest leaks nothing useful through timing, because a caller cannot steer which
digest a guessed key produces.
"""

from __future__ import annotations

import builtins
import hashlib
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

KEY_PREFIX: Final = "jw_"
# "jw_" plus eight characters: enough to tell keys apart in a listing, far too little to
# help anyone guess the rest.
DISPLAY_PREFIX_CHARS: Final = len(KEY_PREFIX) + 8
MAX_NAME_CHARS: Final = 100


class Role(StrEnum):
    ADMIN = "admin"
    MODERATOR = "moderator"
    REVIEWER = "reviewer"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key: everything but the key itself."""

    id: int
    name: str
    role: Role
    key_hash: str
    key_prefix: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A newly created key; ``secret`` is shown once and never stored."""

    record: ApiKey
    secret: str


class DuplicateKeyError(ValueError):
    """A key with the same digest is already stored."""


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyRepo(ABC):
    """Where key records live; implementations pass ``tests/storage/test_api_keys.py``."""

    @abstractmethod
    def create(self, name: str, role: Role, key_hash: str, key_prefix: str) -> ApiKey:
        """Store a new active key; raise :class:`DuplicateKeyError` if the hash is taken."""

    @abstractmethod
    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        """The key with this digest, revoked or not."""

    @abstractmethod
    def revoke(self, key_id: int) -> ApiKey | None:
        """Mark a key revoked (keeping the first revocation time); None when unknown."""

    @abstractmethod
    def list(self) -> builtins.list[ApiKey]:
        """Every key, revoked ones included, oldest first."""


def issue_key(repo: ApiKeyRepo, name: str, role: Role) -> IssuedKey:
    """Generate a key, store its digest and return it together with the one-time secret."""
    secret = generate_key()
    record = repo.create(name, role, hash_key(secret), secret[:DISPLAY_PREFIX_CHARS])
    return IssuedKey(record, secret)
