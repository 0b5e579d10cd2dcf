"""Shingles, MinHash and banding: determinism and accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from jingwang.core.campaigns.lsh import BandIndex, band_keys
from jingwang.core.campaigns.minhash import MinHasher
from jingwang.core.campaigns.shingles import campaign_form, shingle_codes

from .conftest import SPAM, UNRELATED, VARIANTS


def _jaccard(a: str, b: str) -> float:
    left = {a[i : i + 2] for i in range(len(a) - 1)}
    right = {b[i : i + 2] for i in range(len(b) - 1)}
    return len(left & right) / len(left | right)


def test_shingle_codes_stay_inside_each_text() -> None:
    codes, starts = shingle_codes(["abcd", "xyz"])
    assert starts.tolist() == [0, 3]
    assert len(codes) == 5
    expected = (ord("x") << 21) | ord("y")
    assert int(codes[3]) == expected


def test_campaign_form_drops_the_spaces_the_normaliser_keeps() -> None:
    assert campaign_form("加微信a b c 1 2 3领取") == "加微信abc123领取"


def test_signatures_are_deterministic_across_instances() -> None:
    texts = [SPAM, *VARIANTS.values(), *UNRELATED]
    first = MinHasher(seed=7).signatures(texts)
    assert np.array_equal(first, MinHasher(seed=7).signatures(texts))
    assert not np.array_equal(first, MinHasher(seed=8).signatures(texts))
    batched = MinHasher(seed=7).signatures(texts[:3])
    assert np.array_equal(first[:3], batched)


def test_estimates_track_exact_jaccard() -> None:
    hasher = MinHasher(num_perm=256)
    texts = [SPAM, *VARIANTS.values(), *UNRELATED]
    signatures = hasher.signatures(texts)
    for i, text in enumerate(texts[1:], start=1):
        estimate = float((signatures[0] == signatures[i]).mean())
        assert estimate == pytest.approx(_jaccard(SPAM, text), abs=0.12)


def test_band_index_finds_equal_bands_across_merged_segments() -> None:
    signatures = MinHasher().signatures([SPAM] * 3 + UNRELATED)
    keys = band_keys(signatures, bands=42, rows=3)
    bands = BandIndex()
    for row in range(len(keys)):  # one segment per add, merged as they grow
        bands.add(keys[row : row + 1], row)
    assert len(bands) == 42 * len(keys)
    queries, rows = bands.candidates(keys[:1])
    assert set(queries.tolist()) == {0}
    assert set(rows.tolist()) == {0, 1, 2}
    _, capped = bands.candidates(keys[:1], per_key_limit=1)
    assert len(capped) < len(rows)
