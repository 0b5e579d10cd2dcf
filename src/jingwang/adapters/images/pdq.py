"""PDQ perceptual hashes (Meta's 256-bit photo hash) through the ``pdqhash`` bindings.

Hashes are written as 64 hexadecimal digits, most significant bit first, the format of
the reference implementation and of shared industry hash lists, so that such lists can
be imported as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import pdqhash  # type: ignore[import-untyped]  # compiled bindings without type hints
from PIL import Image

from jingwang.adapters.images.scaling import shrink

# PDQ keeps only a 64×64 luminance summary, so pixels beyond 512 on a side add time and
# next to nothing to the hash.
PDQ_MAX_SIDE: Final = 512
# Below this quality (0-100) an image is too flat or featureless for its hash to tell it
# apart from other such images; the PDQ authors suggest ignoring those hashes.
MIN_USEFUL_QUALITY: Final = 50
_HEX: Final = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class PdqHash:
    hex: str
    quality: int

    @property
    def useful(self) -> bool:
        return self.quality >= MIN_USEFUL_QUALITY


def pdq_hash(image: Image.Image) -> PdqHash:
    """The PDQ hash of ``image`` (RGB) and its quality."""
    scaled, _factor = shrink(image, PDQ_MAX_SIDE)
    bits, quality = pdqhash.compute(np.ascontiguousarray(np.asarray(scaled, dtype=np.uint8)))
    return PdqHash(np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex(), int(quality))


def parse_pdq_hex(text: str) -> str | None:
    """``text`` as a canonical (lower-case) PDQ hex hash, or None when it is not one."""
    candidate = text.strip().lower()
    return candidate if _HEX.fullmatch(candidate) else None


def hamming_distance(hex_a: str, hex_b: str) -> int:
    return (int(hex_a, 16) ^ int(hex_b, 16)).bit_count()
