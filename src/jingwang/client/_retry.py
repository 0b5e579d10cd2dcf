"""When to retry a request and how long to wait first.

- ``429`` is always retried (up to ``max_retries``): the server refused the request
  before doing anything with it.
- ``5xx``, timeouts and broken connections are retried only for requests that are safe to
  repeat: idempotent methods (``GET``, ``HEAD``, ``OPTIONS``, ``PUT``, ``DELETE``), and
  ``POST`` requests that carry an idempotency key (an event's ``event_id``, a report's
  ``report_id``, an appeal's ``appeal_id``) or change nothing (``/v1/scan``).
- A connection that could not be opened at all is always retried: nothing was sent.
- The wait is the server's ``Retry-After`` (seconds or an HTTP date) when it sent one,
  otherwise exponential backoff with jitter: ``base * 2**attempt``, capped at
  ``max_backoff_s``, then scaled by a random factor in ``[1 - jitter, 1]``. A
  ``Retry-After`` longer than ``max_retry_after_s`` is not waited for: the error is
  raised at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES: Final = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many times and how patiently to retry; ``seed`` fixes the jitter (for tests)."""

    max_retries: int = 3
    backoff_base_s: float = 0.25
    max_backoff_s: float = 8.0
    jitter: float = 0.5
    max_retry_after_s: float = 60.0
    retry_statuses: frozenset[int] = RETRY_STATUSES
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter must be between 0 and 1")

    def backoff(self) -> Backoff:
        """A fresh schedule for one call."""
        return Backoff(self)


NO_RETRIES: Final = RetryPolicy(max_retries=0)


@dataclass(slots=True)
class Backoff:
    """The waits of one call's retries."""

    policy: RetryPolicy
    _rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.policy.seed)  # jitter, not secrets

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt + 1`` (``attempt`` from 0)."""
        if retry_after is not None:
            return max(0.0, retry_after)
        policy = self.policy
        ceiling = min(policy.max_backoff_s, policy.backoff_base_s * (2.0**attempt))
        return ceiling * (1.0 - policy.jitter * self._rng.random())


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds from ``now``: delta-seconds or an HTTP date; None if
    absent or unreadable. A date in the past is 0."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (moment - current).total_seconds())


def retry_safe(method: str, *, idempotency_key: bool = False) -> bool:
    """Whether a request may be sent again after a 5xx or a timeout."""
    return idempotency_key or method.upper() in IDEMPOTENT_METHODS
