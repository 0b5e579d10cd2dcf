"""Runtime settings, read from ``JINGWANG_*`` environment variables.

Development defaults make ``make run`` work out of the box; ``JINGWANG_MODE=prod`` refuses
the defaults that are only safe on a developer's machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

from pydantic import Field, PositiveInt, ValidationError, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

Mode = Literal["dev", "prod"]


class SettingsError(ValueError):
    """The environment describes settings that cannot be used; the message says why."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JINGWANG_", extra="ignore", frozen=True)

    # repr=False: URLs may carry a password, and a logged Settings must not show it.
    database_url: str = Field(default="sqlite:///./jingwang.db", repr=False)
    # PostgreSQL's connection pool, per process (SQLite needs none): see PoolOptions.
    database_pool_size: PositiveInt = 10
    database_max_overflow: int = Field(default=10, ge=0)
    database_pool_timeout_s: float = Field(default=10.0, gt=0)
    database_pool_recycle_s: PositiveInt = 1800
    mode: Mode = "dev"
    max_text_chars: PositiveInt = 10_000
    max_items_per_request: PositiveInt = 100
    allow_private_urls: bool = False
    # Scans follow the links of items to their landing pages; off for offline batch runs.
    fetch_links: bool = True
    hash_list_path: Path = Path("jingwang-hashes.tsv")
    pdq_threshold: int = Field(default=31, ge=0, le=256)
    image_max_bytes: PositiveInt = 10 * 1024 * 1024
    image_max_pixels: PositiveInt = 40_000_000
    ocr_min_confidence: float = Field(default=0.6, ge=0.0, le=1.0)
    # Images named in API requests are read only below this directory (an upload area
    # shared with the app back end); the CLI reads any path its user gives.
    api_image_root: Path = Path("jingwang-uploads")
    # Requests larger than this are refused with 413 before any of the body is parsed.
    max_body_bytes: PositiveInt = 2 * 1024 * 1024
    # A token bucket per API key: refilled at rate_limit_per_minute, holding at most
    # rate_limit_burst requests; 0 turns the limit off. Without a Redis URL each replica
    # keeps its own buckets in memory; with one, all replicas share them.
    rate_limit_per_minute: int = Field(default=600, ge=0)
    rate_limit_burst: PositiveInt = 120
    rate_limit_redis_url: str | None = Field(default=None, repr=False)
    rate_limit_redis_prefix: str = "jingwang:ratelimit:"
    # How long a server process remembers an API-key lookup; a key revoked elsewhere
    # (another worker, the CLI) stops working within this time. 0 looks up every request.
    api_key_cache_seconds: float = Field(default=2.0, ge=0.0, le=60.0)
    # The near-duplicate campaign index the API adds event texts to (docs/campaigns.md).
    campaign_index_path: Path = Path("jingwang-campaigns")

    @model_validator(mode="after")
    def _refuse_unsafe_production_settings(self) -> Self:
        if self.mode != "prod":
            return self
        # An embedded SQLite file is neither shared between replicas nor backed up with the
        # rest of the service's data, so production must name a real database server.
        if self.database_url.startswith("sqlite"):
            raise ValueError(
                "JINGWANG_DATABASE_URL points at SQLite; in prod mode use a database server "
                "such as postgresql+psycopg://user:password@host/dbname"
            )
        if self.allow_private_urls:
            raise ValueError(
                "JINGWANG_ALLOW_PRIVATE_URLS lets scans fetch loopback and private addresses; "
                "it is for tests and must stay off in prod mode"
            )
        return self


def load_settings() -> Settings:
    """Settings from the environment, or :class:`SettingsError` with a readable message."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(_describe(error) for error in exc.errors())
        raise SettingsError(f"invalid settings: {problems}") from None


def _describe(error: ErrorDetails) -> str:
    location = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if not location:
        return message
    return f"JINGWANG_{location.upper()}: {message}"
