"""Parse lexicon TSV files, from the packaged resources or from user directories.

Format (documented in ``resources/lexicons/README.md``): a header line
``term<TAB>label<TAB>subcategory<TAB>weight<TAB>needs<TAB>flags``, then one term per
line; blank lines and lines starting with ``#`` are ignored; trailing empty columns
may be left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final

from jingwang.core.detect.lexicon.entries import (
    FLAGS,
    SIGNAL_LABELS,
    LexiconEntry,
    Needs,
    Quantifier,
)
from jingwang.core.labels import SUBCATEGORIES

HEADER: Final[tuple[str, ...]] = ("term", "label", "subcategory", "weight", "needs", "flags")
_REQUIRED_COLUMNS: Final = 4
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*\Z")


class LexiconFormatError(ValueError):
    """A malformed lexicon row; the message starts with ``file:line:``."""

    def __init__(self, origin: str, message: str) -> None:
        self.origin = origin
        super().__init__(f"{origin}: {message}")


def packaged_lexicon_dir() -> Traversable:
    return files("jingwang").joinpath("resources", "lexicons")


def lexicon_files(directory: Traversable | Path) -> list[Traversable | Path]:
    """The ``*.tsv`` files of a directory in name order (sub-directories are not read)."""
    found = [p for p in directory.iterdir() if p.is_file() and p.name.endswith(".tsv")]
    return sorted(found, key=lambda p: p.name)


def load_directories(directories: Iterable[Traversable | Path]) -> list[LexiconEntry]:
    """Every entry of every directory, in order; a later row for the same
    (term, label, subcategory) replaces an earlier one, so extra directories can
    re-weight packaged terms."""
    merged: dict[tuple[str, str, str | None], LexiconEntry] = {}
    for directory in directories:
        for path in lexicon_files(directory):
            for entry in parse_lexicon(path.read_text(encoding="utf-8"), path.name):
                merged[(entry.term, entry.label, entry.subcategory)] = entry
    return list(merged.values())


def parse_lexicon(content: str, filename: str) -> list[LexiconEntry]:
    """Parse one file's text; raise :class:`LexiconFormatError` on the first bad row."""
    entries: list[LexiconEntry] = []
    seen: dict[tuple[str, str, str | None], int] = {}
    rows = _content_rows(content)
    header = next(rows, None)
    if header is None:
        raise LexiconFormatError(f"{filename}:1", "empty file, expected a header line")
    header_no, header_line = header
    if tuple(c.strip() for c in header_line.split("\t")) != HEADER:
        raise LexiconFormatError(
            f"{filename}:{header_no}", f"header must be {chr(9).join(HEADER)!r} (tab-separated)"
        )
    for line_no, line in rows:
        origin = f"{filename}:{line_no}"
        entry = _parse_row(line, origin)
        key = (entry.term, entry.label, entry.subcategory)
        if key in seen:
            raise LexiconFormatError(origin, f"duplicate of line {seen[key]}: {entry.term!r}")
        seen[key] = line_no
        entries.append(entry)
    return entries


def _content_rows(content: str) -> Iterator[tuple[int, str]]:
    for line_no, raw in enumerate(content.splitlines(), start=1):
        line = raw.lstrip("\ufeff")
        if line.strip() and not line.startswith("#"):
            yield line_no, line


def _parse_row(line: str, origin: str) -> LexiconEntry:
    columns = line.split("\t")
    if not _REQUIRED_COLUMNS <= len(columns) <= len(HEADER):
        raise LexiconFormatError(
            origin,
            f"expected {_REQUIRED_COLUMNS} to {len(HEADER)} tab-separated columns, "
            f"got {len(columns)}",
        )
    columns += [""] * (len(HEADER) - len(columns))
    term, label, subcategory, weight, needs, flags = (c.strip() for c in columns)
    if not term:
        raise LexiconFormatError(origin, "empty term")
    _check_label(label, subcategory, origin)
    return LexiconEntry(
        term=term,
        label=label,
        subcategory=subcategory or None,
        weight=_parse_weight(weight, origin),
        needs=_parse_needs(needs, origin),
        flags=_parse_flags(flags, origin),
        origin=origin,
    )


def _check_label(label: str, subcategory: str, origin: str) -> None:
    if label in SIGNAL_LABELS:
        if subcategory and not _IDENTIFIER.match(subcategory):
            raise LexiconFormatError(origin, f"bad signal subcategory {subcategory!r}")
        return
    if label not in SUBCATEGORIES:
        known = ", ".join([*SUBCATEGORIES, *sorted(SIGNAL_LABELS)])
        raise LexiconFormatError(origin, f"unknown label {label!r} (known: {known})")
    allowed = SUBCATEGORIES[label]
    if subcategory and subcategory not in allowed:
        choices = ", ".join(allowed) or "none"
        raise LexiconFormatError(
            origin, f"unknown subcategory {subcategory!r} for {label!r} (known: {choices})"
        )


def _parse_weight(text: str, origin: str) -> float:
    try:
        weight = float(text)
    except ValueError:
        raise LexiconFormatError(origin, f"weight {text!r} is not a number") from None
    if not 0.0 < weight <= 1.0:
        raise LexiconFormatError(origin, f"weight {text} is outside (0, 1]")
    return weight


def _parse_needs(text: str, origin: str) -> Needs | None:
    """``contact``, ``any:contact|price`` or ``all:contact|price``."""
    if not text:
        return None
    quantifier: Quantifier = "any"
    body = text
    if ":" in text:
        prefix, body = text.split(":", 1)
        if prefix == "all":
            quantifier = "all"
        elif prefix != "any":
            raise LexiconFormatError(origin, f"needs prefix {prefix!r} must be 'any' or 'all'")
    signals = tuple(s.strip() for s in body.split("|"))
    for signal in signals:
        if signal not in SIGNAL_LABELS:
            known = ", ".join(sorted(SIGNAL_LABELS))
            raise LexiconFormatError(origin, f"needs names unknown signal {signal!r} ({known})")
    return Needs(quantifier, signals)


def _parse_flags(text: str, origin: str) -> frozenset[str]:
    flags = frozenset(f.strip() for f in text.split(",") if f.strip())
    unknown = flags - FLAGS
    if unknown:
        known = ", ".join(sorted(FLAGS))
        raise LexiconFormatError(origin, f"unknown flag(s) {', '.join(sorted(unknown))} ({known})")
    return flags
