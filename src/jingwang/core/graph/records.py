"""The log records the association graph consumes, parsed from plain dicts.

A registration carries every identity attribute the platform sees when an account is
created; activity and scan records arrive later and only describe behaviour. Times are
kept as POSIX seconds because the detectors only subtract and compare them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


class RecordError(ValueError):
    """A log record that cannot be used; the message names the offending field."""


@dataclass(frozen=True, slots=True)
class Registration:
    """One account creation. ``verified_by`` names the account that vouched for this one
    in a "scan my QR code" assisted verification, when there was one."""

    account: str
    at: float
    subject: str
    id_hash: str
    phone: str
    device: str
    ip: str
    nickname: str = ""
    avatar: str = ""
    payment: str = ""
    verified_by: str = ""


@dataclass(frozen=True, slots=True)
class Activity:
    """A day's roll-up of an account's harmless actions (messages, likes, logins)."""

    account: str
    at: float
    count: int


@dataclass(frozen=True, slots=True)
class ScanLabel:
    """A label the content scanner gave to something the account posted."""

    account: str
    at: float
    label: str
    subcategory: str | None = None


Record = Registration | Activity | ScanLabel


def timestamp(value: object, field: str = "at") -> float:
    """ISO-8601 with an offset, or POSIX seconds, as POSIX seconds."""
    if isinstance(value, bool):
        raise RecordError(f"{field}: expected a time, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise RecordError(f"{field}: not an ISO-8601 time: {value!r}") from None
        if parsed.tzinfo is None:
            raise RecordError(f"{field}: time has no UTC offset: {value!r}")
        return parsed.timestamp()
    raise RecordError(f"{field}: expected a time, got {value!r}")


def _text(data: Mapping[str, Any], field: str, *, required: bool = True) -> str:
    value = data.get(field)
    if value is None or value == "":
        if required:
            raise RecordError(f"{field}: missing")
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{field}: expected a string, got {value!r}")
    return value


def record_from_dict(data: Mapping[str, Any]) -> Record:
    """The record a JSON object describes, by its ``type`` field."""
    kind = data.get("type")
    if kind == "registration":
        return Registration(
            account=_text(data, "account"),
            at=timestamp(data.get("at")),
            subject=_text(data, "subject"),
            id_hash=_text(data, "id_hash"),
            phone=_text(data, "phone"),
            device=_text(data, "device"),
            ip=_text(data, "ip"),
            nickname=_text(data, "nickname", required=False),
            avatar=_text(data, "avatar", required=False),
            payment=_text(data, "payment", required=False),
            verified_by=_text(data, "verified_by", required=False),
        )
    if kind == "activity":
        count = data.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise RecordError(f"count: expected a non-negative integer, got {count!r}")
        return Activity(_text(data, "account"), timestamp(data.get("at")), count)
    if kind == "scan":
        subcategory = _text(data, "subcategory", required=False) or None
        return ScanLabel(
            _text(data, "account"), timestamp(data.get("at")), _text(data, "label"), subcategory
        )
    raise RecordError(f"type: expected registration, activity or scan, got {kind!r}")
