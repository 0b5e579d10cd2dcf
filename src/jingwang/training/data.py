"""Labelled JSONL data: one ``{"text": ..., "label": ...}`` object per line."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jingwang.core.labels import LABELS

NORMAL = "normal"
KNOWN_LABELS: frozenset[str] = frozenset((*LABELS, NORMAL))


class DataError(ValueError):
    """A data file is missing or has a bad line; the message names file and line."""


@dataclass(frozen=True, slots=True)
class Dataset:
    path: str
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    sha256: str

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def label_set(self) -> frozenset[str]:
        return frozenset(self.labels)

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(self.labels).items()))

    def source(self) -> dict[str, object]:
        """What ``model.json`` records about a training/dev file."""
        return {
            "file": self.path,
            "sha256": self.sha256,
            "rows": len(self.texts),
            "labels": self.counts(),
        }


def load_jsonl(path: str | Path, *, allowed_labels: frozenset[str] = KNOWN_LABELS) -> Dataset:
    """Read and validate a JSONL file; blank lines are skipped."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError as exc:
        raise DataError(f"{p}: no such file") from exc
    except IsADirectoryError as exc:
        raise DataError(f"{p}: is a directory, not a JSONL file") from exc
    except OSError as exc:
        raise DataError(f"{p}: cannot read ({exc.strerror})") from exc
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{p}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    texts: list[str] = []
    labels: list[str] = []
    for lineno, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{p}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{where}: invalid JSON ({exc.msg})") from exc
        if not isinstance(obj, dict):
            raise DataError(f"{where}: expected a JSON object")
        text, label = obj.get("text"), obj.get("label")
        if not isinstance(text, str):
            raise DataError(f'{where}: missing or non-string "text"')
        if not isinstance(label, str):
            raise DataError(f'{where}: missing or non-string "label"')
        if label not in allowed_labels:
            raise DataError(
                f"{where}: unknown label {label!r} (known: {', '.join(sorted(allowed_labels))})"
            )
        texts.append(text)
        labels.append(label)
    if not texts:
        raise DataError(f"{p}: no rows")
    return Dataset(str(p), tuple(texts), tuple(labels), hashlib.sha256(raw).hexdigest())
