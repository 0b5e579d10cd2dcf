"""``ApiKeyCache``: lookups remembered for a while, revocations seen in time."""

from __future__ import annotations

from jingwang.adapters.storage import InMemoryApiKeyRepo, Role, issue_key
from jingwang.api import keycache
from jingwang.api.keycache import ApiKeyCache


class CountingRepo(InMemoryApiKeyRepo):
    def __init__(self) -> None:
        super().__init__()
        self.lookups = 0

    def find_by_hash(self, key_hash: str):  # type: ignore[no-untyped-def]
        self.lookups += 1
        return super().find_by_hash(key_hash)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_fresh_lookup_is_answered_from_memory() -> None:
    repo, clock = CountingRepo(), Clock()
    issued = issue_key(repo, "k", Role.SERVICE)
    cache = ApiKeyCache(repo, 2.0, clock)
    assert cache.cached(issued.record.key_hash) == (False, None)
    assert cache.find(issued.record.key_hash) == issued.record
    assert cache.find(issued.record.key_hash) == issued.record
    assert cache.cached(issued.record.key_hash) == (True, issued.record)
    assert repo.lookups == 1


def test_a_key_revoked_elsewhere_stops_working_once_the_entry_expires() -> None:
    repo, clock = CountingRepo(), Clock()
    issued = issue_key(repo, "k", Role.SERVICE)
    cache = ApiKeyCache(repo, 2.0, clock)
    assert cache.find(issued.record.key_hash) is not None
    repo.revoke(issued.record.id)  # another process: this cache is not told
    clock.now += 1.9
    found = cache.find(issued.record.key_hash)
    assert found is not None and found.active
    clock.now += 0.2
    found = cache.find(issued.record.key_hash)
    assert found is not None and not found.active


def test_forget_drops_a_key_at_once() -> None:
    repo, clock = CountingRepo(), Clock()
    issued = issue_key(repo, "k", Role.SERVICE)
    cache = ApiKeyCache(repo, 60.0, clock)
    cache.find(issued.record.key_hash)
    repo.revoke(issued.record.id)
    cache.forget(issued.record.id)
    found = cache.find(issued.record.key_hash)
    assert found is not None and not found.active
    assert repo.lookups == 2


def test_unknown_digests_are_remembered_too() -> None:
    repo, clock = CountingRepo(), Clock()
    cache = ApiKeyCache(repo, 2.0, clock)
    assert cache.find("0" * 64) is None
    assert cache.find("0" * 64) is None
    assert repo.lookups == 1


def test_zero_seconds_looks_up_every_time() -> None:
    repo = CountingRepo()
    issued = issue_key(repo, "k", Role.SERVICE)
    cache = ApiKeyCache(repo, 0.0)
    for _ in range(3):
        cache.find(issued.record.key_hash)
    assert repo.lookups == 3


def test_memory_stays_bounded(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(keycache, "MAX_ENTRIES", 3)
    repo, clock = CountingRepo(), Clock()
    cache = ApiKeyCache(repo, 60.0, clock)
    for n in range(10):
        cache.find(f"{n:064d}")
    assert len(cache._entries) == 3
    assert cache.cached(f"{9:064d}") == (True, None)
    assert cache.cached(f"{0:064d}") == (False, None)
