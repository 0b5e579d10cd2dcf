"""Event objects as they travel on the queue: the fields of ``POST /v1/events``.

The same rules as the API: ``parse_item`` checks the content exactly as ``POST /v1/scan``
does, and the enforcement fields are checked here as the API's schema checks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from jingwang.adapters.enforcement import IncomingEvent
from jingwang.adapters.storage.enforcement import MAX_ID_CHARS
from jingwang.core.io import ItemError, parse_item
from jingwang.core.types import ScanItem

_CONTENT_FIELDS = ("text", "images", "urls", "surface", "account")


def _identifier(event: Mapping[str, Any], key: str, event_id: str | None) -> str | None:
    value = event.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_ID_CHARS:
        raise ItemError(
            "invalid_id", f"'{key}' must be a string of 1 to {MAX_ID_CHARS} characters", event_id
        )
    return value


def _moment(event: Mapping[str, Any], event_id: str) -> datetime:
    value = event.get("at")
    if not isinstance(value, str):
        raise ItemError("invalid_at", "'at' must be an ISO 8601 time with a UTC offset", event_id)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ItemError(
            "invalid_at", f"'at' is not an ISO 8601 time: {value!r}", event_id
        ) from None
    if moment.tzinfo is None:
        raise ItemError("invalid_at", "'at' needs a UTC offset, such as Z or +08:00", event_id)
    return moment.astimezone(UTC)


def parse_event(event: Mapping[str, Any], max_text_chars: int) -> tuple[IncomingEvent, ScanItem]:
    """The enforcement fields and the item to scan; :class:`ItemError` when invalid."""
    event_id = _identifier(event, "event_id", None)
    if event_id is None:
        raise ItemError("missing_id", "'event_id' is required")
    account = _identifier(event, "account", event_id)
    if account is None:
        raise ItemError("missing_account", "'account' is required", event_id)
    content = {key: event[key] for key in _CONTENT_FIELDS if key in event}
    item = parse_item({"id": event_id, **content}, max_text_chars)
    incoming = IncomingEvent(
        event_id=event_id,
        account=account,
        at=_moment(event, event_id),
        surface=item.surface,
        group=_identifier(event, "group", event_id),
        forwarded_from=_identifier(event, "forwarded_from", event_id),
    )
    return incoming, item
