"""Shrinking large images before the expensive steps, which need far fewer pixels."""

from __future__ import annotations

from PIL import Image


def shrink(image: Image.Image, max_side: int) -> tuple[Image.Image, float]:
    """``image`` with its longer side at most ``max_side``, and the factor back to it.

    Images that already fit come back unchanged with factor 1.
    """
    longer = max(image.size)
    if longer <= max_side:
        return image, 1.0
    factor = longer / max_side
    size = (max(1, round(image.width / factor)), max(1, round(image.height / factor)))
    # reducing_gap lets Pillow first shrink by an integer factor, much faster on photos.
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0), factor
