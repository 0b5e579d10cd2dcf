"""A rumour knowledge base kept as a JSONL file, one entry per line.

    {"id": "r-1", "text": "<the rumour>", "debunk": "<where it was debunked>", "added": "…"}

The file is at ``$JINGWANG_RUMOR_KB`` (default ``./jingwang-rumors.jsonl``). Adding
appends a line; removing rewrites the file through a temporary file and a rename, so a
crash leaves either the old or the new file, never half of one. The packaged seed
rumours are always part of what ``knowledge_base`` returns; they cannot be removed.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from jingwang.core.detect.article import (
    KnowledgeBaseError,
    RumorEntry,
    RumorKnowledgeBase,
    parse_entries,
    seed_entries,
)

ENV_VAR: Final = "JINGWANG_RUMOR_KB"
DEFAULT_PATH: Final = Path("jingwang-rumors.jsonl")


def default_path() -> Path:
    return Path(os.environ.get(ENV_VAR) or DEFAULT_PATH)


def _line(entry: RumorEntry) -> str:
    return json.dumps(entry.to_dict(), ensure_ascii=False) + "\n"


class RumorStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def entries(self) -> list[RumorEntry]:
        """The user's entries (not the seed); an absent file is an empty knowledge base."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return parse_entries(lines, str(self.path))

    def knowledge_base(self) -> RumorKnowledgeBase:
        """Seed and user entries together, as the detector should match them."""
        return RumorKnowledgeBase([*seed_entries(), *self.entries()])

    def next_id(self) -> str:
        taken = {entry.id for entry in self.knowledge_base()}
        number = len(taken) + 1
        while f"r-{number:04d}" in taken:
            number += 1
        return f"r-{number:04d}"

    def add(self, text: str, debunk: str, entry_id: str | None = None) -> RumorEntry:
        entry = RumorEntry(
            entry_id or self.next_id(),
            text,
            debunk,
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
        # Validates the id (unique across seed and file) and the length before writing.
        self.knowledge_base().add(entry)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(_line(entry))
        return entry

    def remove(self, entry_id: str) -> RumorEntry:
        entries = self.entries()
        kept = [entry for entry in entries if entry.id != entry_id]
        if len(kept) == len(entries):
            if any(entry.id == entry_id for entry in seed_entries()):
                raise KnowledgeBaseError(f"{entry_id!r} is a packaged seed rumour")
            raise KnowledgeBaseError(f"no entry with id {entry_id!r} in {self.path}")
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text("".join(_line(entry) for entry in kept), encoding="utf-8")
        temporary.replace(self.path)
        return next(entry for entry in entries if entry.id == entry_id)
