"""The rumour knowledge base: known rumours, each with where it was debunked.

Matching is near-duplicate search over character 2-gram shingles of the normalised
text: a rumour re-published with a few words changed, or embedded in a longer article,
still contains most of the shingles of the known one. The score is the share of the
known rumour's shingles found in the article (containment), which, unlike Jaccard,
does not fall when the rumour is wrapped in extra text. 2-grams rather than 3-grams
because an edit breaks fewer of them: a rumour rewritten with a dozen inserted or
swapped characters keeps 0.5-0.7 of its 2-grams, while unrelated articles of the
dataset share at most 0.3 with any seed rumour. A knowledge base is a few
hundred or thousand entries, so a linear scan is fast enough and needs no index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any, Final

from jingwang.core.normalize import normalize

SHINGLE_CHARS: Final = 2
MIN_SHINGLES: Final = 8
"""Entries with fewer shingles than this are refused: they would match common phrases."""


class KnowledgeBaseError(ValueError):
    """A malformed entry, a duplicate id, or a rumour too short to match reliably."""


def shingles(text: str) -> frozenset[str]:
    compact = "".join(normalize(text).text.split())
    return frozenset(
        compact[i : i + SHINGLE_CHARS] for i in range(len(compact) - SHINGLE_CHARS + 1)
    )


@dataclass(frozen=True, slots=True)
class RumorEntry:
    id: str
    text: str
    debunk: str
    added: str | None = None

    def to_dict(self) -> dict[str, str]:
        out = {"id": self.id, "text": self.text, "debunk": self.debunk}
        if self.added is not None:
            out["added"] = self.added
        return out

    @classmethod
    def from_dict(cls, obj: Any) -> RumorEntry:
        if not isinstance(obj, dict):
            raise KnowledgeBaseError("an entry must be a JSON object")
        fields = {key: obj.get(key) for key in ("id", "text", "debunk")}
        for key, value in fields.items():
            if not isinstance(value, str) or not value.strip():
                raise KnowledgeBaseError(f"'{key}' must be a non-empty string")
        added = obj.get("added")
        if added is not None and not isinstance(added, str):
            raise KnowledgeBaseError("'added' must be a string")
        return cls(str(fields["id"]), str(fields["text"]), str(fields["debunk"]), added)


@dataclass(frozen=True, slots=True)
class RumorMatch:
    entry: RumorEntry
    similarity: float
    shared: frozenset[str]


class RumorKnowledgeBase:
    """An in-memory set of rumours; pure, so the core can hold one without file I/O."""

    def __init__(self, entries: Iterable[RumorEntry] = ()) -> None:
        self._entries: dict[str, RumorEntry] = {}
        self._shingles: dict[str, frozenset[str]] = {}
        for entry in entries:
            self.add(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[RumorEntry]:
        return iter(self._entries.values())

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def add(self, entry: RumorEntry) -> None:
        if entry.id in self._entries:
            raise KnowledgeBaseError(f"an entry with id {entry.id!r} already exists")
        grams = shingles(entry.text)
        if len(grams) < MIN_SHINGLES:
            raise KnowledgeBaseError(
                f"rumour {entry.id!r} is too short to match reliably "
                f"({len(grams)} shingles, at least {MIN_SHINGLES} needed)"
            )
        self._entries[entry.id] = entry
        self._shingles[entry.id] = grams

    def remove(self, entry_id: str) -> RumorEntry:
        if entry_id not in self._entries:
            raise KnowledgeBaseError(f"no entry with id {entry_id!r}")
        del self._shingles[entry_id]
        return self._entries.pop(entry_id)

    def match(self, text: str, threshold: float) -> list[RumorMatch]:
        """Entries whose shingles ``text`` contains at ``threshold`` or more, best first."""
        return self.match_shingles(shingles(text), threshold)

    def match_shingles(self, grams: frozenset[str], threshold: float) -> list[RumorMatch]:
        found: list[RumorMatch] = []
        for entry_id, known in self._shingles.items():
            shared = known & grams
            similarity = len(shared) / len(known)
            if similarity >= threshold:
                found.append(RumorMatch(self._entries[entry_id], similarity, frozenset(shared)))
        found.sort(key=lambda m: (-m.similarity, m.entry.id))
        return found


def parse_entries(lines: Iterable[str], origin: str) -> list[RumorEntry]:
    """Entries of a JSONL text; raise :class:`KnowledgeBaseError` naming the bad line."""
    entries: list[RumorEntry] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entries.append(RumorEntry.from_dict(json.loads(line)))
        except (ValueError, KnowledgeBaseError) as exc:
            raise KnowledgeBaseError(f"{origin}:{number}: {exc}") from None
    return entries


@cache
def seed_entries() -> tuple[RumorEntry, ...]:
    """The packaged seed rumours (fictional debunk references, written for jingwang)."""
    resource = files("jingwang").joinpath("resources", "articles", "rumors_seed.jsonl")
    content = resource.read_text(encoding="utf-8")
    return tuple(parse_entries(content.splitlines(), "rumors_seed.jsonl"))


def seed_knowledge_base() -> RumorKnowledgeBase:
    return RumorKnowledgeBase(seed_entries())
