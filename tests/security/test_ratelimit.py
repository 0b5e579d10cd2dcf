"""Per-key token buckets: in memory, in Redis, and as the API applies them.

The Redis cases need a server (``JINGWANG_TEST_REDIS_URL``, default 127.0.0.1:6379);
without one they skip, except under ``CI=true``, where a missing server fails.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient

from jingwang.adapters.storage import Role, Storage
from jingwang.api import create_app
from jingwang.api.errors import ApiError
from jingwang.api.ratelimit import (
    MemoryRateLimiter,
    RateLimit,
    RedisRateLimiter,
    key_bucket,
    limiter_from_settings,
)
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings

REDIS_URL = os.environ.get("JINGWANG_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- the bucket -------------------------------------------------------------------------


def test_burst_then_refusal_then_refill() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(RateLimit(per_minute=60, burst=3), clock)
    assert [limiter.acquire("a").allowed for _ in range(4)] == [True, True, True, False]
    refused = limiter.acquire("a")
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(1.0)
    clock.now += 1.0
    assert limiter.acquire("a").allowed
    assert not limiter.acquire("a").allowed


def test_buckets_are_independent() -> None:
    limiter = MemoryRateLimiter(RateLimit(per_minute=60, burst=1), FakeClock())
    assert limiter.acquire("a").allowed
    assert not limiter.acquire("a").allowed
    assert limiter.acquire("b").allowed


def test_a_bucket_never_holds_more_than_its_burst() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(RateLimit(per_minute=600, burst=2), clock)
    clock.now += 3600
    assert [limiter.acquire("a").allowed for _ in range(3)] == [True, True, False]


def test_idle_buckets_are_forgotten() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(RateLimit(per_minute=60, burst=1), clock)
    for n in range(1023):
        limiter.acquire(f"k{n}")
    clock.now += 10
    limiter.acquire("last")  # the 1024th call prunes
    assert len(limiter._buckets) == 1


def test_concurrent_requests_take_exactly_the_burst() -> None:
    limiter = MemoryRateLimiter(RateLimit(per_minute=1, burst=50))
    results: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            allowed = limiter.acquire("shared").allowed
            with lock:
                results.append(allowed)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 50


def test_check_raises_the_api_error_with_retry_after() -> None:
    limiter = MemoryRateLimiter(RateLimit(per_minute=30, burst=1), FakeClock())
    limiter.check("a")
    with pytest.raises(ApiError) as raised:
        limiter.check("a")
    assert raised.value.status_code == 429
    assert raised.value.code == "rate_limited"
    assert raised.value.headers == {"Retry-After": "2"}


def test_invalid_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        MemoryRateLimiter(RateLimit(per_minute=0, burst=1))


def test_settings_choose_the_limiter(tmp_path: object) -> None:
    assert limiter_from_settings(Settings(rate_limit_per_minute=0)) is None
    memory = limiter_from_settings(Settings(rate_limit_per_minute=120, rate_limit_burst=7))
    assert isinstance(memory, MemoryRateLimiter)
    assert memory.limit == RateLimit(120, 7)
    shared = limiter_from_settings(Settings(rate_limit_redis_url="redis://127.0.0.1:1/0"))
    assert isinstance(shared, RedisRateLimiter)
    shared.close()


def test_buckets_are_named_after_key_ids_not_secrets() -> None:
    assert key_bucket(42) == "key:42"


# --- Redis ------------------------------------------------------------------------------


@pytest.fixture
def redis_limiter() -> Iterator[RedisRateLimiter]:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"Redis at {REDIS_URL} is unreachable: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true requires it)")
        pytest.skip(reason)
    prefix = f"jingwang-test:{uuid.uuid4().hex}:"
    limiter = RedisRateLimiter(RateLimit(per_minute=60, burst=3), client, prefix=prefix)
    try:
        yield limiter
    finally:
        for name in client.scan_iter(match=f"{prefix}*"):
            client.delete(name)
        limiter.close()


def test_redis_bucket_burst_then_refusal(redis_limiter: RedisRateLimiter) -> None:
    decisions = [redis_limiter.acquire("a") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert 0 < decisions[-1].retry_after <= 1.0
    assert redis_limiter.acquire("b").allowed


def test_redis_buckets_are_shared_between_limiters(redis_limiter: RedisRateLimiter) -> None:
    other = RedisRateLimiter(
        redis_limiter.limit, redis.Redis.from_url(REDIS_URL), prefix=redis_limiter._prefix
    )
    try:
        assert redis_limiter.acquire("a").allowed
        assert other.acquire("a").allowed
        assert redis_limiter.acquire("a").allowed
        assert not other.acquire("a").allowed
    finally:
        other.close()


def test_redis_buckets_expire_once_full(redis_limiter: RedisRateLimiter) -> None:
    redis_limiter.acquire("a")
    ttl_ms = redis_limiter._client.pttl(redis_limiter._prefix + "a")
    assert 0 < ttl_ms <= 4000  # refill time (3 s) plus a second's margin


def test_unreachable_redis_lets_requests_through(caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisRateLimiter.from_url(
        RateLimit(per_minute=60, burst=1), "redis://:hunter2-secret@127.0.0.1:1/0"
    )
    try:
        assert all(limiter.acquire("a").allowed for _ in range(3))
    finally:
        limiter.close()
    assert "Redis unavailable" in caplog.text
    assert "hunter2" not in caplog.text


# --- through the API --------------------------------------------------------------------


@pytest.fixture
def limited_client(settings: Settings, scanner: Scanner, storage: Storage) -> Iterator[TestClient]:
    tight = settings.model_copy(update={"rate_limit_per_minute": 1, "rate_limit_burst": 3})
    with TestClient(create_app(tight, scanner, storage)) as client:
        yield client


def test_api_answers_429_once_a_key_is_over_its_limit(
    limited_client: TestClient, headers: dict[Role, dict[str, str]]
) -> None:
    for _ in range(3):
        assert limited_client.get("/v1/keys", headers=headers[Role.ADMIN]).status_code == 200
    refused = limited_client.get("/v1/keys", headers=headers[Role.ADMIN])
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 55 <= int(refused.headers["Retry-After"]) <= 60
    # Other keys have buckets of their own.
    other = limited_client.post(
        "/v1/scan", json={"items": [{"id": "1", "text": "x"}]}, headers=headers[Role.SERVICE]
    )
    assert other.status_code == 200


def test_refused_roles_still_count_and_scans_count_too(
    limited_client: TestClient, headers: dict[Role, dict[str, str]]
) -> None:
    for _ in range(3):
        assert limited_client.get("/v1/keys", headers=headers[Role.REVIEWER]).status_code == 403
    assert limited_client.get("/v1/keys", headers=headers[Role.REVIEWER]).status_code == 429


def test_health_and_unauthenticated_requests_are_not_limited(limited_client: TestClient) -> None:
    for _ in range(10):
        assert limited_client.get("/healthz").status_code == 200
    for _ in range(10):
        assert limited_client.get("/v1/keys").status_code == 401


def test_api_without_rate_limit(
    settings: Settings, scanner: Scanner, storage: Storage, headers: dict[Role, dict[str, str]]
) -> None:
    off = settings.model_copy(update={"rate_limit_per_minute": 0, "rate_limit_burst": 1})
    with TestClient(create_app(off, scanner, storage)) as client:
        for _ in range(5):
            assert client.get("/v1/keys", headers=headers[Role.ADMIN]).status_code == 200


def test_api_with_redis_limiter(
    redis_limiter: RedisRateLimiter,
    settings: Settings,
    scanner: Scanner,
    storage: Storage,
    headers: dict[Role, dict[str, str]],
) -> None:
    shared = settings.model_copy(
        update={
            "rate_limit_per_minute": 1,
            "rate_limit_burst": 2,
            "rate_limit_redis_url": REDIS_URL,
            "rate_limit_redis_prefix": redis_limiter._prefix,
        }
    )
    # Two replicas of the app over the same storage and Redis share each key's bucket.
    with (
        TestClient(create_app(shared, scanner, storage)) as first,
        TestClient(create_app(shared, scanner, storage)) as second,
    ):
        auth = headers[Role.ADMIN]
        statuses = [c.get("/v1/keys", headers=auth).status_code for c in (first, second, first)]
    assert statuses == [200, 200, 429]
