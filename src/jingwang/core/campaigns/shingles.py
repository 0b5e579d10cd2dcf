"""Character n-gram shingles of normalised texts, encoded as integers without hashing.

A code point fits in 21 bits, so three of them pack losslessly into one 63-bit integer:
the shingle *is* its code, which is deterministic across processes (unlike ``hash``)
and costs a few vectorised shifts instead of a hash call per shingle.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

SHINGLE_CHARS: Final = 2
"""Characters per shingle, chosen on data (docs/campaigns.md): with 2-grams, spam variants
with a new contact handle or three edited characters keep a Jaccard similarity of 0.52 to
0.72 with their original, while random pairs of real messages stay below 0.23; 3-grams
pull those variants down to 0.43 to 0.67 for no gain in separation."""

MIN_INDEXED_CHARS: Final = 8
"""Normalised texts shorter than this are neither indexed nor queried: with five or
fewer shingles, a greeting or a bare price collides with thousands of unrelated texts."""

_BITS_PER_CHAR: Final = 21


def campaign_form(normalised: str) -> str:
    """The normalised text without whitespace, the form that is shingled.

    ``normalize`` keeps one space where symbols separated letters or digits (``a.b.c`` →
    ``a b c``) so that word boundaries survive for other detectors; for near-duplicate
    matching that space is just another inserted symbol.
    """
    return "".join(normalised.split())


U64 = npt.NDArray[np.uint64]


def is_indexable(normalised: str) -> bool:
    return len(normalised) >= MIN_INDEXED_CHARS


def shingle_codes(texts: Sequence[str]) -> tuple[U64, npt.NDArray[np.int64]]:
    """The shingle codes of every text, concatenated, and where each text's codes start.

    Every text must be at least ``SHINGLE_CHARS`` long so that each owns at least one
    shingle; ``starts[i]:starts[i + 1]`` (or to the end) are the codes of ``texts[i]``.
    """
    lengths = np.fromiter((len(text) for text in texts), dtype=np.int64, count=len(texts))
    if not texts:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    if np.any(lengths < SHINGLE_CHARS):
        raise ValueError(f"every text needs at least {SHINGLE_CHARS} characters")
    points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    width = len(points) - SHINGLE_CHARS + 1
    codes = np.zeros(width, dtype=np.uint64)
    for offset in range(SHINGLE_CHARS):
        shift = np.uint64(_BITS_PER_CHAR * (SHINGLE_CHARS - 1 - offset))
        codes |= points[offset : offset + width] << shift
    # Keep only the windows that lie inside one text, not across a boundary.
    text_starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    per_text = lengths - SHINGLE_CHARS + 1
    window_starts = np.repeat(text_starts, per_text) + _ranges(per_text)
    starts = np.concatenate(([0], np.cumsum(per_text)[:-1]))
    return codes[window_starts], starts


def _ranges(counts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``concatenate([arange(c) for c in counts])`` without a Python loop."""
    total = int(counts.sum())
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - offsets
