"""One suite for every ApiKeyRepo: in-memory, SQLite and PostgreSQL behave alike."""

from __future__ import annotations

import hashlib
from datetime import UTC, timedelta

import pytest

from jingwang.adapters.storage import DuplicateKeyError, Role, Storage, hash_key, issue_key


def test_created_key_is_active_and_found_by_its_hash(storage: Storage) -> None:
    repo = storage.api_keys
    created = repo.create("ops", Role.MODERATOR, "a" * 64, "jw_abcdefgh")
    assert created.id > 0
    assert (created.name, created.role, created.key_prefix) == (
        "ops",
        Role.MODERATOR,
        "jw_abcdefgh",
    )
    assert created.active
    assert created.created_at.tzinfo is not None
    assert created.created_at.utcoffset() == timedelta(0)
    assert repo.find_by_hash("a" * 64) == created


def test_unknown_hash_finds_nothing(storage: Storage) -> None:
    storage.api_keys.create("ops", Role.ADMIN, "a" * 64, "jw_abcdefgh")
    assert storage.api_keys.find_by_hash("b" * 64) is None


def test_hashes_are_unique(storage: Storage) -> None:
    storage.api_keys.create("first", Role.ADMIN, "a" * 64, "jw_abcdefgh")
    with pytest.raises(DuplicateKeyError):
        storage.api_keys.create("second", Role.SERVICE, "a" * 64, "jw_abcdefgh")
    assert [key.name for key in storage.api_keys.list()] == ["first"]


def test_list_returns_every_key_oldest_first(storage: Storage) -> None:
    repo = storage.api_keys
    ids = [repo.create(role.value, role, str(n) * 64, f"jw_{n}").id for n, role in enumerate(Role)]
    repo.revoke(ids[1])
    listed = repo.list()
    assert [key.id for key in listed] == sorted(ids)
    assert [key.role for key in listed] == list(Role)
    assert [key.active for key in listed] == [True, False, True, True]


def test_revoke_marks_the_key_and_keeps_the_first_time(storage: Storage) -> None:
    repo = storage.api_keys
    key = repo.create("ops", Role.REVIEWER, "a" * 64, "jw_abcdefgh")
    revoked = repo.revoke(key.id)
    assert revoked is not None
    assert revoked.revoked_at is not None
    assert revoked.revoked_at.tzinfo is not None
    assert revoked.revoked_at >= key.created_at
    assert repo.revoke(key.id) == revoked
    assert repo.find_by_hash("a" * 64) == revoked


def test_revoking_an_unknown_id_returns_none(storage: Storage) -> None:
    assert storage.api_keys.revoke(12345) is None


def test_issued_key_is_random_and_only_its_digest_is_stored(storage: Storage) -> None:
    issued = issue_key(storage.api_keys, "svc", Role.SERVICE)
    secret = issued.secret
    assert secret.startswith("jw_")
    assert len(secret) == 3 + 43  # 32 random bytes in url-safe base64
    assert issued.record.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert issued.record.key_hash == hash_key(secret)
    assert issued.record.key_prefix == secret[:11]
    stored = storage.api_keys.find_by_hash(hash_key(secret))
    assert stored == issued.record
    assert secret not in repr(storage.api_keys.list())
    assert issue_key(storage.api_keys, "svc", Role.SERVICE).secret != secret


def test_timestamps_are_utc(storage: Storage) -> None:
    key = issue_key(storage.api_keys, "svc", Role.SERVICE).record
    assert key.created_at.astimezone(UTC) == key.created_at


def test_storage_answers_pings(storage: Storage) -> None:
    assert storage.ping()
