"""Locality-sensitive hashing over MinHash signatures: banding, kept in sorted arrays.

A signature of ``bands * rows`` values is cut into ``bands`` slices; two messages are
candidates when any slice is equal, which happens with probability
``1 - (1 - J**rows)**bands`` for Jaccard similarity ``J``.

Each slice is folded into a 32-bit key that also depends on the band number, so that all
bands share one key space and one lookup serves them all. Keys live in sorted numpy
segments searched with ``np.searchsorted`` (eight bytes a key-row pair) rather than in
dictionaries of sets, which would cost well over a hundred bytes an entry at a million
messages. A chance collision of 32-bit keys only adds a candidate that the signature
comparison then drops. New keys arrive as small sorted segments that are merged whenever a segment
is at least half as large as the one before it, so there are O(log n) segments and each
key is re-sorted O(log n) times overall.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jingwang.core.campaigns.minhash import Signatures, splitmix64

U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]


def band_keys(signatures: Signatures, bands: int, rows: int) -> U32:
    """The ``(len(signatures), bands)`` keys of each signature's bands."""
    count = len(signatures)
    sliced = signatures[:, : bands * rows].reshape(count, bands, rows).astype(np.uint64)
    folded = np.broadcast_to(np.arange(bands, dtype=np.uint64), (count, bands)).copy()
    for row in range(rows):
        folded = splitmix64(folded ^ sliced[:, :, row])
    return (folded >> np.uint64(32)).astype(np.uint32)


@dataclass(frozen=True, slots=True)
class _Segment:
    keys: U32
    rows: U32

    def __len__(self) -> int:
        return len(self.keys)


def _sorted_segment(keys: U32, rows: U32) -> _Segment:
    """Sort by key, then row: a plain sort of ``key << 32 | row`` is several times faster
    than a stable argsort and keeps each key's rows in insertion order."""
    packed = (keys.astype(np.uint64) << np.uint64(32)) | rows
    packed.sort()
    return _Segment((packed >> np.uint64(32)).astype(np.uint32), packed.astype(np.uint32))


class BandIndex:
    """Band keys of the indexed rows, and the rows that share a band with a query."""

    def __init__(self) -> None:
        self._segments: list[_Segment] = []

    def __len__(self) -> int:
        return sum(len(segment) for segment in self._segments)

    def add(self, keys: U32, first_row: int) -> None:
        """Index ``keys[i]`` (one row of band keys) under row ``first_row + i``."""
        count, bands = keys.shape
        if count == 0:
            return
        rows = np.repeat(np.arange(first_row, first_row + count, dtype=np.uint32), bands)
        self._segments.append(_sorted_segment(keys.reshape(-1), rows))
        while len(self._segments) > 1 and len(self._segments[-2]) <= 2 * len(self._segments[-1]):
            newer = self._segments.pop()
            older = self._segments.pop()
            self._segments.append(
                _sorted_segment(
                    np.concatenate((older.keys, newer.keys)),
                    np.concatenate((older.rows, newer.rows)),
                )
            )

    def candidates(self, keys: U32, per_key_limit: int | None = None) -> tuple[I64, I64]:
        """``(query, row)`` pairs where row shares a band key with query row ``keys[query]``.

        ``per_key_limit`` keeps only the earliest rows of each key in each segment; a
        campaign of ten thousand copies then costs a bounded number of pairs per query,
        which is enough to join a cluster, not to list all of it. Pairs may repeat.
        """
        bands = keys.shape[1]
        # Sorted probes walk each segment front to back: several times faster than
        # random probes once the segment outgrows the CPU caches.
        order = np.argsort(keys.reshape(-1), kind="stable")
        probes = keys.reshape(-1)[order]
        queries: list[I64] = []
        rows: list[I64] = []
        for segment in self._segments:
            low = np.searchsorted(segment.keys, probes, side="left")
            high = np.searchsorted(segment.keys, probes, side="right")
            hits = high - low
            if per_key_limit is not None:
                hits = np.minimum(hits, per_key_limit)
            total = int(hits.sum())
            if total == 0:
                continue
            first_of_run = np.repeat(np.cumsum(hits) - hits, hits)
            positions = np.repeat(low, hits) + np.arange(total) - first_of_run
            queries.append(np.repeat(order // bands, hits))
            rows.append(segment.rows[positions].astype(np.int64))
        if not queries:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty.copy()
        return np.concatenate(queries), np.concatenate(rows)
