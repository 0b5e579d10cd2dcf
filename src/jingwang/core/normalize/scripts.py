"""Character classes of scripts, shared by the normaliser and the classifier's views."""

from __future__ import annotations

from typing import Final

# Han characters, (first, last): CJK Unified Ideographs and Extension A.
_HAN_BASIC: Final = ("\u4e00", "\u9fff")
_HAN_EXTENSION_A: Final = ("\u3400", "\u4dbf")
# The same for regular-expression classes.
HAN_CLASS: Final = "".join(f"{first}-{last}" for first, last in (_HAN_EXTENSION_A, _HAN_BASIC))


def is_han(char: str) -> bool:
    """Whether ``char`` is in ``HAN_CLASS``: comparisons, for per-character loops where a
    regular-expression call would cost more than the test."""
    return (
        _HAN_BASIC[0] <= char <= _HAN_BASIC[1] or _HAN_EXTENSION_A[0] <= char <= _HAN_EXTENSION_A[1]
    )
