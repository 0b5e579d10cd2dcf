"""The contract's JSON shapes: validating input objects and serialising decisions.

Shared by ``jingwang scan`` and ``POST /v1/scan`` so that both accept and reject exactly
the same objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from jingwang.core.labels import SURFACES
from jingwang.core.types import Decision, Evidence, LabelResult, ScanItem

MAX_TEXT_CHARS: Final = 10_000
MAX_ID_CHARS: Final = 256
MAX_REFERENCES: Final = 32


class ItemError(ValueError):
    """An input object that breaks the contract's schema."""

    def __init__(self, code: str, message: str, item_id: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.item_id = item_id

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.item_id, "error": {"code": self.code, "message": self.message}}


def _optional_str(obj: Mapping[str, Any], key: str, item_id: str, limit: int) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ItemError("invalid_type", f"'{key}' must be a string", item_id)
    if len(value) > limit:
        raise ItemError(
            "too_long", f"'{key}' has {len(value)} characters; the limit is {limit}", item_id
        )
    return value


def _string_list(obj: Mapping[str, Any], key: str, item_id: str) -> tuple[str, ...]:
    value = obj.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ItemError("invalid_type", f"'{key}' must be a list of strings", item_id)
    if len(value) > MAX_REFERENCES:
        raise ItemError(
            "too_many", f"'{key}' has {len(value)} entries; the limit is {MAX_REFERENCES}", item_id
        )
    return tuple(value)


def parse_item(obj: object, max_text_chars: int = MAX_TEXT_CHARS) -> ScanItem:
    """Validate one decoded input object; raise :class:`ItemError` when it breaks the schema.

    Fields outside the contract (``label`` in an evaluation set, a client's timestamps)
    are ignored, so that labelled data and richer event objects scan as they are.
    """
    if not isinstance(obj, dict):
        raise ItemError("invalid_type", "each line must be a JSON object")
    raw_id = obj.get("id")
    if raw_id is None:
        raise ItemError("missing_id", "'id' is required")
    if not isinstance(raw_id, str):
        raise ItemError("invalid_type", "'id' must be a string")
    item_id = raw_id
    if not item_id or len(item_id) > MAX_ID_CHARS:
        raise ItemError("invalid_id", f"'id' must have 1 to {MAX_ID_CHARS} characters", item_id)
    text = _optional_str(obj, "text", item_id, max_text_chars)
    title = _optional_str(obj, "title", item_id, max_text_chars)
    images = _string_list(obj, "images", item_id)
    urls = _string_list(obj, "urls", item_id)
    if not text and not images and not urls:
        raise ItemError(
            "empty_item", "at least one of 'text', 'images' or 'urls' is required", item_id
        )
    surface = _optional_str(obj, "surface", item_id, 32)
    if surface is not None and surface not in SURFACES:
        raise ItemError(
            "invalid_surface", f"'surface' must be one of: {', '.join(SURFACES)}", item_id
        )
    account = _optional_str(obj, "account", item_id, MAX_ID_CHARS)
    return ScanItem(item_id, text, images, urls, surface, account, title)


def evidence_to_dict(evidence: Evidence) -> dict[str, Any]:
    return {
        "start": evidence.start,
        "end": evidence.end,
        "text": evidence.text,
        "source": evidence.source,
    }


def label_to_dict(result: LabelResult) -> dict[str, Any]:
    out: dict[str, Any] = {"label": result.label}
    if result.subcategory is not None:
        out["subcategory"] = result.subcategory
    out["score"] = round(result.score, 4)
    out["evidence"] = [evidence_to_dict(e) for e in result.evidence]
    return out


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """The contract's output object for one item."""
    return {
        "id": decision.id,
        "decision": decision.decision,
        "labels": [label_to_dict(label) for label in decision.labels],
    }
