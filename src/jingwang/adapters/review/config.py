"""Review settings, read from ``JINGWANG_REVIEW_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta


class ReviewConfigError(ValueError):
    """A ``JINGWANG_REVIEW_*`` variable that cannot be used; the message names it."""


@dataclass(frozen=True, slots=True)
class ReviewConfig:
    """``second_review_rate`` of first decisions go to a second reviewer, drawn from a
    generator seeded with ``seed`` so that tests (and audits) can replay the draw."""

    claim_ttl: timedelta = timedelta(minutes=15)
    second_review_rate: float = 0.1
    seed: int | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> ReviewConfig:
        """``JINGWANG_REVIEW_CLAIM_MINUTES``, ``…_SECOND_REVIEW_RATE``, ``…_SEED``."""
        defaults = cls()
        try:
            minutes = int(environ.get("JINGWANG_REVIEW_CLAIM_MINUTES", "15"))
            rate = float(environ.get("JINGWANG_REVIEW_SECOND_REVIEW_RATE", "0.1"))
            seed_text = environ.get("JINGWANG_REVIEW_SEED")
            seed = None if seed_text is None else int(seed_text)
        except ValueError as exc:
            raise ReviewConfigError(f"JINGWANG_REVIEW_*: {exc}") from None
        if minutes <= 0 or not 0.0 <= rate <= 1.0:
            raise ReviewConfigError(
                "JINGWANG_REVIEW_CLAIM_MINUTES must be positive and "
                "JINGWANG_REVIEW_SECOND_REVIEW_RATE within [0, 1]"
            )
        return cls(timedelta(minutes=minutes), rate, seed if seed is not None else defaults.seed)
