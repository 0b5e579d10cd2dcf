"""The per-process scan step of a rescan, for the local pool and Ray actors alike."""

from __future__ import annotations

from typing import Any

from jingwang.adapters.scanner import configured_scanner
from jingwang.core.io import ItemError, label_to_dict, parse_item
from jingwang.core.pipeline import Scanner
from jingwang.core.types import ScanItem
from jingwang.settings import Settings

_CONTENT_FIELDS = ("text", "images", "urls", "surface", "account")
_scanner: Scanner | None = None
_max_text_chars = 0


def init_scanner(settings: Settings) -> None:
    # One scanner per process, built there: its sources hold engines and locks that
    # cannot be pickled.
    global _scanner, _max_text_chars  # noqa: PLW0603
    _scanner = configured_scanner(settings)
    _max_text_chars = settings.max_text_chars


def _parsed(event: dict[str, Any]) -> ScanItem | ItemError:
    content = {name: event[name] for name in _CONTENT_FIELDS if name in event}
    try:
        return parse_item({"id": str(event["event_id"]), **content}, _max_text_chars)
    except ItemError as error:
        return error


def scan_events(batch: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """``(key, result)`` per event: the new decision, or an error for invalid content.
    The batch's valid items are scanned together (``Scanner.scan_batch``)."""
    assert _scanner is not None, "init_scanner was not called in this process"
    outcomes = _scanner.scan_in_place([_parsed(event) for _key, event in batch])
    results: list[tuple[str, dict[str, Any]]] = []
    for (key, event), outcome in zip(batch, outcomes, strict=True):
        event_id = str(event["event_id"])
        if isinstance(outcome, ItemError):
            results.append((key, {"event_id": event_id, "error": outcome.code}))
            continue
        if isinstance(outcome, Exception):
            raise outcome
        labels = [label_to_dict(label) for label in outcome.labels]
        results.append(
            (key, {"event_id": event_id, "decision": outcome.decision, "labels": labels})
        )
    return results
