"""Rate limits per API key: a token bucket per key, in memory or shared through Redis.

Each key's bucket holds at most ``burst`` tokens and refills at ``per_minute / 60`` tokens
a second; a request takes one token, and a request that finds none is refused with 429
and a ``Retry-After`` saying when the next token arrives. The limit applies after
authentication, so it counts per key, never per address: every replica behind a load
balancer sees different addresses but the same keys.

The in-memory limiter counts per process, so N replicas together let through N times
the limit; :class:`RedisRateLimiter` keeps the buckets in Redis, where every replica
shares them. If Redis does not answer, requests are let through (and a warning logged):
an unavailable limiter must not take the API down with it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from jingwang.api.errors import ApiError
from jingwang.settings import Settings

if TYPE_CHECKING:
    import redis

logger = logging.getLogger(__name__)

# Buckets idle this long are full again; the in-memory limiter forgets them.
_PRUNE_EVERY: Final = 1024


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    retry_after: float
    """Seconds until a request would be let through; 0 when this one was."""


@dataclass(frozen=True, slots=True)
class RateLimit:
    per_minute: int
    burst: int

    @property
    def per_second(self) -> float:
        return self.per_minute / 60

    @property
    def refill_seconds(self) -> float:
        """How long an empty bucket takes to fill."""
        return self.burst / self.per_second


class RateLimiter(ABC):
    """Takes one token from ``bucket``'s bucket per call."""

    # Whether ``acquire`` waits on the network, so must be kept off the event loop.
    does_io = False

    def __init__(self, limit: RateLimit) -> None:
        if limit.per_minute <= 0 or limit.burst <= 0:
            raise ValueError("a rate limit needs a positive rate and burst")
        self.limit = limit

    @abstractmethod
    def acquire(self, bucket: str) -> RateDecision: ...

    def close(self) -> None:  # noqa: B027 - an optional hook; most limiters hold nothing
        """Release connections; the limiter is not used afterwards."""

    def check(self, bucket: str) -> None:
        """Take a token, or raise the 429 :class:`ApiError` the API answers with."""
        decision = self.acquire(bucket)
        if decision.allowed:
            return
        # Retry-After is whole seconds (RFC 9110); rounding up never invites an early retry.
        seconds = max(1, math.ceil(decision.retry_after))
        raise ApiError(
            429,
            "rate_limited",
            f"too many requests for this API key; the limit is {self.limit.per_minute} a "
            f"minute with bursts of {self.limit.burst}; retry in {seconds} s",
            {"Retry-After": str(seconds)},
        )


class MemoryRateLimiter(RateLimiter):
    """Buckets in this process; thread-safe, for one replica or tests."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(limit)
        self._clock = clock
        self._lock = threading.Lock()
        # bucket -> (tokens, when they were counted)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._calls = 0

    def acquire(self, bucket: str) -> RateDecision:
        rate, burst = self.limit.per_second, float(self.limit.burst)
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(bucket, (burst, now))
            tokens = min(burst, tokens + max(0.0, now - then) * rate)
            if tokens >= 1:
                self._buckets[bucket] = (tokens - 1, now)
                decision = RateDecision(True, 0.0)
            else:
                self._buckets[bucket] = (tokens, now)
                decision = RateDecision(False, (1 - tokens) / rate)
            self._calls += 1
            if self._calls % _PRUNE_EVERY == 0:
                self._prune(now)
        return decision

    def _prune(self, now: float) -> None:
        idle = self.limit.refill_seconds
        for name in [n for n, (_, then) in self._buckets.items() if now - then >= idle]:
            del self._buckets[name]


# One atomic step per request: refill from Redis's own clock (replicas' clocks differ),
# take a token if there is one, and let an idle bucket expire once it would be full.
_TOKEN_BUCKET_SCRIPT: Final = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, tostring(wait)}
"""


class RedisRateLimiter(RateLimiter):
    """Buckets in Redis, shared by every replica that names the same server and prefix."""

    does_io = True

    def __init__(
        self,
        limit: RateLimit,
        client: redis.Redis,
        prefix: str = "jingwang:ratelimit:",
    ) -> None:
        super().__init__(limit)
        self._client = client
        self._prefix = prefix
        self._script = client.register_script(_TOKEN_BUCKET_SCRIPT)

    @classmethod
    def from_url(
        cls, limit: RateLimit, url: str, prefix: str = "jingwang:ratelimit:"
    ) -> RedisRateLimiter:
        import redis  # noqa: PLC0415 - only deployments that share buckets need it

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return cls(limit, client, prefix)

    def acquire(self, bucket: str) -> RateDecision:
        from redis.exceptions import RedisError  # noqa: PLC0415

        try:
            allowed, wait = self._script(
                keys=[self._prefix + bucket],
                args=[repr(self.limit.per_second), str(self.limit.burst)],
            )
        except RedisError as exc:
            # Fail open; the class of the error only, as its text may quote the URL.
            logger.warning(
                "rate limiter: Redis unavailable (%s); request let through", type(exc).__name__
            )
            return RateDecision(True, 0.0)
        return RateDecision(int(allowed) == 1, float(wait))

    def close(self) -> None:
        self._client.close()


def limiter_from_settings(settings: Settings) -> RateLimiter | None:
    """The limiter ``settings`` describe, or None when rate limiting is off."""
    if settings.rate_limit_per_minute == 0:
        return None
    limit = RateLimit(settings.rate_limit_per_minute, settings.rate_limit_burst)
    if settings.rate_limit_redis_url:
        return RedisRateLimiter.from_url(
            limit, settings.rate_limit_redis_url, settings.rate_limit_redis_prefix
        )
    return MemoryRateLimiter(limit)


def key_bucket(key_id: int) -> str:
    """The bucket of an API key: its id, never anything derived from the secret."""
    return f"key:{key_id}"
