"""The per-process scan step of a rescan, for the local pool and Ray actors alike."""

from __future__ import annotations

from typing import Any

from jingwang.adapters.scanner import configured_scanner
from jingwang.core.io import ItemError, label_to_dict, parse_item
from jingwang.core.pipeline import Scanner
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


def scan_events(batch: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """``(key, result)`` per event: the new decision, or an error for invalid content."""
    assert _scanner is not None, "init_scanner was not called in this process"
    results: list[tuple[str, dict[str, Any]]] = []
    for key, event in batch:
        event_id = str(event["event_id"])
        content = {name: event[name] for name in _CONTENT_FIELDS if name in event}
        try:
            item = parse_item({"id": event_id, **content}, _max_text_chars)
        except ItemError as error:
            results.append((key, {"event_id": event_id, "error": error.code}))
            continue
        decision = _scanner.scan(item)
        labels = [label_to_dict(label) for label in decision.labels]
        results.append(
            (key, {"event_id": event_id, "decision": decision.decision, "labels": labels})
        )
    return results
