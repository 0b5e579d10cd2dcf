"""Moments read back from the database, as aware UTC datetimes.

SQLite keeps no time zone, so a naive value is UTC as it was written; PostgreSQL
returns aware values in the session's zone, converted here so that every repository
hands out the same representation.
"""

from __future__ import annotations

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def as_utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)
