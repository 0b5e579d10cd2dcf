"""The campaign index: near-duplicate look-ups and campaign clusters over messages.

``CampaignIndex`` is the interface; ``MemoryCampaignIndex`` implements it in memory and
reports every change to an optional ``IndexJournal``, which is how the persistent store
in ``jingwang.adapters.campaigns`` writes its files without this module doing I/O.
Neither is thread-safe; the store adds the lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

from jingwang.core.campaigns.clusters import Clusters
from jingwang.core.campaigns.evidence import shared_fragments
from jingwang.core.campaigns.lsh import BandIndex, band_keys
from jingwang.core.campaigns.minhash import SIGNATURE_DTYPE, MinHasher, Signatures
from jingwang.core.campaigns.model import AddOutcome, IndexSettings, Match, Message
from jingwang.core.campaigns.shingles import campaign_form, is_indexable
from jingwang.core.normalize import normalize

U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]

CLUSTER_LINKS_PER_KEY: Final = 8
"""When a message joins the index, only the earliest rows of each band bucket are checked
for clustering: they are already one cluster, so more of them add work, not links."""

_PAIRS_PER_STEP: Final = 262_144
# Band keys are computed through uint64 temporaries of 24 bytes per band and row.
_KEY_ROWS_PER_STEP: Final = 65_536


class UnknownMessageError(LookupError):
    def __init__(self, message_id: str) -> None:
        super().__init__(f"message {message_id!r} is not in the campaign index")
        self.message_id = message_id


class IndexJournal(Protocol):
    """Receives every change, in order, so that it can be replayed by ``restore``."""

    def added(self, messages: Sequence[Message], signatures: Signatures) -> None: ...

    def merged(self, pairs: Sequence[tuple[int, int]]) -> None: ...

    def marked_bad(self, row: int) -> None: ...


class CampaignIndex(Protocol):
    def __len__(self) -> int: ...

    def add(
        self,
        message_id: str,
        account: str | None,
        group: str | None,
        text: str,
        *,
        at: datetime | None = None,
        bad: bool = False,
    ) -> AddOutcome: ...

    def add_many(self, messages: Iterable[Message]) -> list[AddOutcome]: ...

    def get(self, message_id: str) -> Message | None: ...

    def near(self, text: str, threshold: float | None = None) -> list[Match]: ...

    def near_message(self, message_id: str, threshold: float | None = None) -> list[Match]: ...

    def campaign_of(self, message_id: str) -> list[Message]: ...

    def confirm_bad(self, message_id: str, threshold: float | None = None) -> list[Match]: ...

    def largest_campaigns(self, limit: int = 10) -> list[list[Message]]: ...


class MemoryCampaignIndex:
    """Signatures, band keys and clusters of every indexed message, in memory."""

    def __init__(
        self, settings: IndexSettings | None = None, journal: IndexJournal | None = None
    ) -> None:
        self.settings = settings or IndexSettings()
        self._hasher = MinHasher(self.settings.num_perm, self.settings.seed)
        self._journal = journal
        self._messages: list[Message] = []
        self._row_of: dict[str, int] = {}
        self._signatures = np.zeros((0, self.settings.num_perm), dtype=SIGNATURE_DTYPE)
        self._bands = BandIndex()
        self._clusters = Clusters()

    @classmethod
    def restore(
        cls,
        settings: IndexSettings,
        messages: Sequence[Message],
        signatures: Signatures,
        merges: Iterable[tuple[int, int]],
        journal: IndexJournal | None = None,
    ) -> MemoryCampaignIndex:
        """Rebuild an index from what its journal recorded, without re-hashing texts."""
        if len(messages) != len(signatures):
            raise ValueError("one signature per message is required")
        index = cls(settings)
        index._append(messages, signatures)  # one sort of all band keys, not one per batch
        for a, b in merges:
            index._clusters.union(a, b)
        index._journal = journal
        return index

    def __len__(self) -> int:
        return len(self._messages)

    def add(
        self,
        message_id: str,
        account: str | None,
        group: str | None,
        text: str,
        *,
        at: datetime | None = None,
        bad: bool = False,
    ) -> AddOutcome:
        return self.add_many([Message(message_id, text, account, group, at, bad)])[0]

    def add_many(self, messages: Iterable[Message]) -> list[AddOutcome]:
        """Index messages in one vectorised pass; texts too short to index and ids
        already present are skipped and reported as such."""
        outcomes: list[AddOutcome] = []
        accepted: list[Message] = []
        forms: list[str] = []
        batch_ids: set[str] = set()
        for message in messages:
            form = campaign_form(normalize(message.text).text)
            if message.message_id in self._row_of or message.message_id in batch_ids:
                outcomes.append("duplicate_id")
            elif not is_indexable(form):
                outcomes.append("too_short")
            else:
                outcomes.append("indexed")
                accepted.append(message)
                forms.append(form)
                batch_ids.add(message.message_id)
        if accepted:
            signatures = self._hasher.signatures(forms)
            first_row = len(self._messages)
            keys = self._append(accepted, signatures)
            if self._journal is not None:
                self._journal.added(accepted, signatures)
            self._link(keys, first_row)
        return outcomes

    def get(self, message_id: str) -> Message | None:
        row = self._row_of.get(message_id)
        return None if row is None else self._messages[row]

    def near(self, text: str, threshold: float | None = None) -> list[Match]:
        """Indexed messages whose estimated similarity to ``text`` reaches ``threshold``,
        most similar first; empty for texts too short to index."""
        form = campaign_form(normalize(text).text)
        if not is_indexable(form):
            return []
        return self._near_signature(self._hasher.signatures([form])[0], threshold, exclude=None)

    def near_message(self, message_id: str, threshold: float | None = None) -> list[Match]:
        """Like ``near`` for an indexed message, without the message itself."""
        row = self._row(message_id)
        return self._near_signature(self._signatures[row], threshold, exclude=row)

    def campaign_of(self, message_id: str) -> list[Message]:
        """Every message in the cluster of ``message_id``, itself included, oldest first."""
        return [self._messages[row] for row in self._clusters.members(self._row(message_id))]

    def confirm_bad(self, message_id: str, threshold: float | None = None) -> list[Match]:
        """Mark a message as confirmed bad and return its near-duplicates posted by other
        accounts or in other groups, each with the fragments it shares with the message.

        Copies by the same account in the same group are left out: they are that
        account's own repeat posts, which enforcement already counts.
        """
        row = self._row(message_id)
        source = self._messages[row]
        if not source.bad:
            self._messages[row] = replace(source, bad=True)
            if self._journal is not None:
                self._journal.marked_bad(row)
        matches = []
        for match in self.near_message(message_id, threshold):
            other = self._messages[self._row_of[match.message_id]]
            if not source.same_poster(other):
                matches.append(replace(match, shared=shared_fragments(source.text, other.text)))
        return matches

    def largest_campaigns(self, limit: int = 10) -> list[list[Message]]:
        """The largest clusters of two or more messages, largest first."""
        return [[self._messages[row] for row in rows] for rows in self._clusters.largest(limit)]

    def _row(self, message_id: str) -> int:
        row = self._row_of.get(message_id)
        if row is None:
            raise UnknownMessageError(message_id)
        return row

    def _append(self, messages: Sequence[Message], signatures: Signatures) -> U32:
        first_row = len(self._messages)
        for offset, message in enumerate(messages):
            self._row_of[message.message_id] = first_row + offset
        self._grow_signatures(first_row, signatures)
        self._messages.extend(messages)
        self._clusters.grow(len(messages))
        keys = self._band_keys(signatures)
        self._bands.add(keys, first_row)
        return keys

    def _band_keys(self, signatures: Signatures) -> U32:
        bands, rows = self.settings.bands, self.settings.rows
        parts = [
            band_keys(signatures[first : first + _KEY_ROWS_PER_STEP], bands, rows)
            for first in range(0, len(signatures), _KEY_ROWS_PER_STEP)
        ]
        return np.concatenate(parts) if parts else np.zeros((0, bands), dtype=np.uint32)

    def _grow_signatures(self, first_row: int, signatures: Signatures) -> None:
        """Store rows from ``first_row`` on, growing the buffer by half when full: single
        adds stay amortised O(1) and at most a third of the buffer is spare."""
        needed = first_row + len(signatures)
        if needed > len(self._signatures):
            capacity = max(needed, len(self._signatures) * 3 // 2)
            grown = np.zeros((capacity, self.settings.num_perm), dtype=SIGNATURE_DTYPE)
            grown[:first_row] = self._signatures[:first_row]
            self._signatures = grown
        self._signatures[first_row:needed] = signatures

    def _link(self, keys: U32, first_row: int) -> None:
        """Join each new row's cluster with every candidate at or above the threshold."""
        queries, rows = self._bands.candidates(keys, per_key_limit=CLUSTER_LINKS_PER_KEY)
        queries = queries + first_row
        distinct = queries != rows
        pairs = np.unique(queries[distinct] * len(self._messages) + rows[distinct])
        merged: list[tuple[int, int]] = []
        for start in range(0, len(pairs), _PAIRS_PER_STEP):
            step = pairs[start : start + _PAIRS_PER_STEP]
            left, right = np.divmod(step, len(self._messages))
            close = self._similarities(left, right) >= self.settings.threshold
            for a, b in zip(left[close].tolist(), right[close].tolist(), strict=True):
                if self._clusters.union(a, b):
                    merged.append((a, b))
        if merged and self._journal is not None:
            self._journal.merged(merged)

    def _similarities(self, left: I64, right: I64) -> npt.NDArray[np.float64]:
        equal = self._signatures[left] == self._signatures[right]
        return np.asarray(equal.mean(axis=1), dtype=np.float64)

    def _near_signature(
        self, signature: Signatures, threshold: float | None, exclude: int | None
    ) -> list[Match]:
        limit = self.settings.threshold if threshold is None else threshold
        if not 0.0 < limit <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        keys = band_keys(signature[None, :], self.settings.bands, self.settings.rows)
        _, rows = self._bands.candidates(keys)
        rows = np.unique(rows)
        if exclude is not None:
            rows = rows[rows != exclude]
        similarity = np.asarray(
            (self._signatures[rows] == signature).mean(axis=1), dtype=np.float64
        )
        keep = similarity >= limit
        order = np.lexsort((rows[keep], -similarity[keep]))
        return [
            self._match(int(row), float(sim))
            for row, sim in zip(rows[keep][order], similarity[keep][order], strict=True)
        ]

    def _match(self, row: int, similarity: float) -> Match:
        message = self._messages[row]
        return Match(message.message_id, message.account, message.group, similarity, message.bad)
