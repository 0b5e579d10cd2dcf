"""The append-only audit log and its hash chain.

Each entry's ``hash`` is SHA-256 over a canonical JSON of the entry (everything but the
hash itself, ``prev_hash`` included), so that changing, removing or reordering any stored
entry breaks every later link. The chain shows tampering; it does not prevent it: anyone
who can rewrite the whole table can rewrite the chain, so operators should export the
latest hash elsewhere (see docs/enforcement.md).
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

GENESIS_HASH: Final = "0" * 64
# Actor of every measure the automatic policy engine takes.
POLICY_ACTOR: Final = "policy"


@dataclass(frozen=True, slots=True)
class AuditDraft:
    """What happened, before the log gives it a place in the chain."""

    at: datetime
    actor: str
    what: str
    target: str
    reason: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    policy_version: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    what: str
    target: str
    reason: str
    evidence: Mapping[str, Any]
    policy_version: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """``first_bad_seq`` is the first entry whose hash or link does not hold."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None


def canonical_moment(moment: datetime) -> str:
    # Fixed precision and zone: the text must not change after a database round trip.
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(seq: int, draft: AuditDraft | AuditEntry, prev_hash: str) -> str:
    """SHA-256 over the canonical JSON of the entry's fields and the previous hash."""
    body = {
        "seq": seq,
        "at": canonical_moment(draft.at),
        "actor": draft.actor,
        "what": draft.what,
        "target": draft.target,
        "reason": draft.reason,
        "evidence": dict(draft.evidence),
        "policy_version": draft.policy_version,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def chain(draft: AuditDraft, previous: AuditEntry | None) -> AuditEntry:
    """``draft`` as the entry that follows ``previous`` (None: the first entry)."""
    seq = 1 if previous is None else previous.seq + 1
    prev_hash = GENESIS_HASH if previous is None else previous.hash
    return AuditEntry(
        seq=seq,
        at=draft.at,
        actor=draft.actor,
        what=draft.what,
        target=draft.target,
        reason=draft.reason,
        evidence=dict(draft.evidence),
        policy_version=draft.policy_version,
        prev_hash=prev_hash,
        hash=entry_hash(seq, draft, prev_hash),
    )


def verify_chain(entries: Iterable[AuditEntry]) -> ChainCheck:
    """Check entries given in sequence order: numbering, links and hashes."""
    checked = 0
    expected_prev, expected_seq = GENESIS_HASH, 1
    for entry in entries:
        checked += 1
        intact = (
            entry.seq == expected_seq
            and entry.prev_hash == expected_prev
            and entry.hash == entry_hash(entry.seq, entry, entry.prev_hash)
        )
        if not intact:
            return ChainCheck(False, checked, entry.seq)
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return ChainCheck(True, checked)


class AuditLog(ABC):
    """Entries are appended inside an enforcement transaction and never changed."""

    @abstractmethod
    def append(self, draft: AuditDraft) -> AuditEntry:
        """Chain ``draft`` after the last entry and store it."""

    @abstractmethod
    def page(self, after_seq: int = 0, limit: int = 100) -> list[AuditEntry]:
        """Up to ``limit`` entries with ``seq > after_seq``, in sequence order."""

    def verify(self, batch: int = 1000) -> ChainCheck:
        """Walk the whole chain in batches, so that a long log never sits in memory."""
        return verify_chain(self._walk(batch))

    def _walk(self, batch: int) -> Iterable[AuditEntry]:
        after = 0
        while entries := self.page(after, batch):
            yield from entries
            after = entries[-1].seq
