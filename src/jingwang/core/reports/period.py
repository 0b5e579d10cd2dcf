"""The reporting period: whole calendar days in Beijing time.

Announcements name dates as their readers live them ("1 to 31 May"), so a day starts
at midnight UTC+08:00, not at midnight UTC. A fixed offset needs no time-zone data and
China has no daylight saving time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Final

REPORT_TZ: Final = timezone(timedelta(hours=8), "UTC+08:00")


class PeriodError(ValueError):
    """A period that ends before it starts."""


@dataclass(frozen=True, slots=True)
class Period:
    """From the first to the last day, both included."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise PeriodError(
                f"the period ends ({self.last_day}) before it starts ({self.first_day})"
            )

    @property
    def start(self) -> datetime:
        """The first instant of the period."""
        return datetime.combine(self.first_day, time(), REPORT_TZ)

    @property
    def end(self) -> datetime:
        """The first instant after the period (exclusive)."""
        return datetime.combine(self.last_day + timedelta(days=1), time(), REPORT_TZ)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end
