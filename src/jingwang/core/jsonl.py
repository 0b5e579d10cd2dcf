"""One JSONL line in, one contract output object out — the unit of work of a batch scan."""

from __future__ import annotations

import json
from typing import Any, Final

from jingwang.core.io import MAX_TEXT_CHARS, ItemError, decision_to_dict, parse_item
from jingwang.core.pipeline import Scanner

# A 10,000-character text takes at most ~40 KB of UTF-8; anything far larger is refused
# before it is decoded so that one hostile line cannot exhaust memory.
MAX_LINE_BYTES: Final = 1 << 20


def _reported_id(obj: object) -> str | int | None:
    if isinstance(obj, dict):
        raw = obj.get("id")
        if isinstance(raw, str | int) and not isinstance(raw, bool):
            return raw
    return None


def _error(code: str, message: str, item_id: str | int | None = None) -> dict[str, Any]:
    return {"id": item_id, "error": {"code": code, "message": message}}


def scan_line(
    scanner: Scanner, raw: bytes, lineno: int, max_text_chars: int = MAX_TEXT_CHARS
) -> dict[str, Any]:
    """Decode, validate and scan one input line; errors come back as error objects."""
    if len(raw) > MAX_LINE_BYTES:
        return _error("line_too_long", f"line {lineno}: longer than {MAX_LINE_BYTES} bytes")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"not UTF-8 ({exc.reason} at byte {exc.start})"
        return _error("invalid_utf8", f"line {lineno}: {reason}")
    try:
        obj = json.loads(decoded)
    except json.JSONDecodeError as exc:
        return _error("invalid_json", f"line {lineno}: {exc.msg} at column {exc.colno}")
    try:
        item = parse_item(obj, max_text_chars)
    except ItemError as exc:
        return _error(exc.code, f"line {lineno}: {exc.message}", _reported_id(obj))
    try:
        decision = scanner.scan(item)
    except ItemError as exc:
        return _error(exc.code, f"line {lineno}: {exc.message}", item.id)
    except Exception as exc:  # a detector bug must not end a multi-gigabyte run
        return _error("internal_error", f"line {lineno}: {type(exc).__name__}: {exc}", item.id)
    return decision_to_dict(decision)


def is_error(result: dict[str, Any]) -> bool:
    return "error" in result
