"""Recorded events as JSON objects (one per JSONL line) → typed events."""

from __future__ import annotations

from datetime import datetime
from typing import Any, get_args

from jingwang.core.enforcement.model import AccountKind, ContentEvent, Event, RegistrationEvent
from jingwang.core.types import Decision, LabelResult, Verdict

_VERDICTS: dict[object, Verdict] = {verdict: verdict for verdict in get_args(Verdict)}


class EventError(ValueError):
    """An event object that breaks the schema; the message names the field."""


def event_from_dict(obj: object) -> Event:
    """A content event (``"type": "content"``, the default) or a registration event."""
    if not isinstance(obj, dict):
        raise EventError("an event must be a JSON object")
    kind = obj.get("type", "content")
    event_id = _text(obj, "event_id")
    account = _text(obj, "account")
    at = _moment(obj)
    if kind == "registration":
        return RegistrationEvent(event_id, account, _text(obj, "subject"), at)
    if kind != "content":
        raise EventError(f"type: must be 'content' or 'registration', not {kind!r}")
    account_kind = obj.get("account_kind", "personal")
    if account_kind not in get_args(AccountKind):
        raise EventError(f"account_kind: must be one of {get_args(AccountKind)}")
    return ContentEvent(
        event_id=event_id,
        account=account,
        at=at,
        decision=_decision(obj.get("decision"), event_id),
        account_kind=account_kind,
        surface=_optional_text(obj, "surface"),
        subject=_optional_text(obj, "subject"),
        group=_optional_text(obj, "group"),
        group_owner=_optional_text(obj, "group_owner"),
        forwarded_from=_optional_text(obj, "forwarded_from"),
    )


def _text(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise EventError(f"{key}: required, a non-empty string")
    return value


def _optional_text(obj: dict[str, Any], key: str) -> str | None:
    return None if obj.get(key) is None else _text(obj, key)


def _moment(obj: dict[str, Any]) -> datetime:
    raw = _text(obj, "at")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise EventError(f"at: {raw!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        # Naive and aware times cannot be compared; an offset makes replay order certain.
        raise EventError(f"at: {raw!r} needs a UTC offset, e.g. 2025-01-01T08:00:00Z")
    return moment


def _decision(raw: object, event_id: str) -> Decision:
    """The scan output object (``decision``, ``labels``) plus the optional ``evasion``."""
    if not isinstance(raw, dict):
        raise EventError("decision: required, a scan output object")
    verdict = _VERDICTS.get(raw.get("decision"))
    if verdict is None:
        raise EventError(f"decision.decision: must be one of {get_args(Verdict)}")
    labels = raw.get("labels", [])
    if not isinstance(labels, list):
        raise EventError("decision.labels: must be a list")
    return Decision(
        id=event_id,
        decision=verdict,
        labels=tuple(_label(label, index) for index, label in enumerate(labels)),
        evasion=raw.get("evasion") is True,
    )


def _label(raw: object, index: int) -> LabelResult:
    where = f"decision.labels[{index}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
        raise EventError(f"{where}: needs a string 'label'")
    score = raw.get("score", 1.0)
    if isinstance(score, bool) or not isinstance(score, int | float):
        raise EventError(f"{where}.score: must be a number")
    subcategory = raw.get("subcategory")
    if subcategory is not None and not isinstance(subcategory, str):
        raise EventError(f"{where}.subcategory: must be a string")
    return LabelResult(raw["label"], float(score), subcategory)
