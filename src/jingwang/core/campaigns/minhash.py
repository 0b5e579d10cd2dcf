"""MinHash signatures of shingle sets, computed for many texts at once with numpy.

Each of ``num_perm`` hash functions is multiply-add-shift on 64-bit words,
``(a * x + b) >> 32`` with a random odd ``a``, applied to the shingle code after a
SplitMix64 finaliser has spread its bits. A whole batch of texts is hashed in one
array operation and reduced per text with ``np.minimum.reduceat``; this is what makes
indexing a million messages take tens of seconds rather than the many minutes a
per-shingle Python loop needs (docs/campaigns.md has the measurements).

Only the low 16 bits of each 32-bit minimum are kept ("b-bit MinHash"): two different
minima then agree by chance with probability 2**-16, which shifts a similarity estimate
by at most 0.00002, and signatures take half the memory and comparisons half the
memory bandwidth. The low bits are used because the high bits of a minimum are
mostly zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from jingwang.core.campaigns.shingles import shingle_codes

U64 = npt.NDArray[np.uint64]
Signatures = npt.NDArray[np.uint16]
SIGNATURE_DTYPE: Final = np.uint16

# Bound the (num_perm x shingles) intermediate to ~64 MB of uint64 per step.
_MAX_CELLS_PER_STEP: Final = 8_000_000


def splitmix64(values: U64) -> U64:
    """The SplitMix64 finaliser: a fixed bijection that avalanches every input bit."""
    z = values + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


class MinHasher:
    """Deterministic MinHash: the same ``num_perm`` and ``seed`` give the same signatures
    on every machine, which the persistent index relies on when it reloads."""

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        if num_perm < 1:
            raise ValueError("num_perm must be positive")
        self.num_perm = num_perm
        self.seed = seed
        rng = np.random.default_rng(seed)
        high = np.iinfo(np.uint64).max
        self._a = (
            rng.integers(0, high, size=num_perm, dtype=np.uint64, endpoint=True) | np.uint64(1)
        )[:, None]
        self._b = rng.integers(0, high, size=num_perm, dtype=np.uint64, endpoint=True)[:, None]

    def signatures(self, normalised_texts: Sequence[str]) -> Signatures:
        """One row of ``num_perm`` minima per text; texts need at least one shingle."""
        out = np.empty((len(normalised_texts), self.num_perm), dtype=SIGNATURE_DTYPE)
        step_texts = self._texts_per_step(normalised_texts)
        for first in range(0, len(normalised_texts), step_texts):
            chunk = normalised_texts[first : first + step_texts]
            out[first : first + len(chunk)] = self._signatures_of_chunk(chunk)
        return out

    def _texts_per_step(self, texts: Sequence[str]) -> int:
        if not texts:
            return 1
        mean_chars = max(1, sum(len(text) for text in texts[:256]) // min(len(texts), 256))
        return max(1, _MAX_CELLS_PER_STEP // (self.num_perm * mean_chars))

    def _signatures_of_chunk(self, texts: Sequence[str]) -> Signatures:
        codes, starts = shingle_codes(texts)
        mixed = splitmix64(codes)[None, :]
        hashed = self._a * mixed  # the one (num_perm x shingles) array, updated in place
        np.add(hashed, self._b, out=hashed)
        np.right_shift(hashed, np.uint64(32), out=hashed)
        minima = np.minimum.reduceat(hashed, starts, axis=1)
        return np.ascontiguousarray(minima.T.astype(SIGNATURE_DTYPE))
