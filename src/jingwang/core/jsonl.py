"""One JSONL line in, one contract output object out — the unit of work of a batch scan."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from jingwang.core.io import MAX_TEXT_CHARS, ItemError, decision_to_dict, parse_item
from jingwang.core.pipeline import Scanner
from jingwang.core.types import Decision, ScanItem

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


def _parse_line(raw: bytes, lineno: int, max_text_chars: int) -> ScanItem | dict[str, Any]:
    """The item on an input line, or the error object that reports why there is none."""
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
        return parse_item(obj, max_text_chars)
    except ItemError as exc:
        return _error(exc.code, f"line {lineno}: {exc.message}", _reported_id(obj))


def _result(
    outcome: Decision | Exception | dict[str, Any], item_id: str | None, lineno: int
) -> dict[str, Any]:
    if isinstance(outcome, dict):  # the line's error object: it holds no item
        return outcome
    if isinstance(outcome, ItemError):
        return _error(outcome.code, f"line {lineno}: {outcome.message}", item_id)
    if isinstance(outcome, Exception):  # a detector bug must not end a multi-gigabyte run
        message = f"line {lineno}: {type(outcome).__name__}: {outcome}"
        return _error("internal_error", message, item_id)
    return decision_to_dict(outcome)


def scan_lines(
    scanner: Scanner, lines: Sequence[tuple[int, bytes]], max_text_chars: int = MAX_TEXT_CHARS
) -> list[dict[str, Any]]:
    """Decode, validate and scan input lines (number, bytes): one contract output object
    per line, in order, errors as error objects in their line's place. The valid items
    are scanned together (:meth:`Scanner.scan_batch`)."""
    parsed = [_parse_line(raw, lineno, max_text_chars) for lineno, raw in lines]
    outcomes = scanner.scan_in_place(parsed)
    return [
        _result(outcome, entry.id if isinstance(entry, ScanItem) else None, lineno)
        for (lineno, _raw), entry, outcome in zip(lines, parsed, outcomes, strict=True)
    ]


def is_error(result: dict[str, Any]) -> bool:
    return "error" in result
