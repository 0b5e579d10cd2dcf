"""Opening the images an item references, within limits on bytes and pixels.

Only local paths are accepted for now. The pixel limit is checked on the dimensions in
the file's header, which Pillow reads without decoding, so a small file that claims a
huge canvas (a decompression bomb) is refused before any pixel memory is allocated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image, ImageOps, UnidentifiedImageError

from jingwang.core.io import ItemError

DEFAULT_MAX_BYTES: Final = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS: Final = 40_000_000
# Anything with a scheme ("https://…", "data:…", "file://…") is a reference this loader
# does not follow; a Windows drive letter ("C:\…") is one character and so not a scheme.
_SCHEME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
# The formats chat images come in (JPEG includes the multi-picture JPEGs of phones).
# Everything else is refused unread: Pillow would hand EPS to Ghostscript, and rarely
# used decoders are where image-parsing vulnerabilities tend to be found.
FORMATS: Final = ("JPEG", "PNG", "GIF", "WEBP", "BMP")


@dataclass(frozen=True, slots=True)
class ImageLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_pixels: int = DEFAULT_MAX_PIXELS
    # Where local image paths may point. None trusts every path (the CLI: the user's
    # own files); a network service confines callers to its upload directory so that
    # they cannot make it open, or probe for, arbitrary files of the server.
    root: Path | None = None


def _confined(ref: str, root: Path | None, item_id: str | None) -> Path:
    if root is None:
        return Path(ref)
    base = root.resolve()
    path = (base / ref).resolve()
    if not path.is_relative_to(base):
        raise ItemError(
            "unsupported_image_ref",
            f"image {ref!r} is outside this service's image directory",
            item_id,
        )
    return path


def load_image(ref: str, limits: ImageLimits, item_id: str | None = None) -> Image.Image:
    """The image at local path ``ref``, decoded, upright and in RGB.

    Raises :class:`ItemError` with code ``unsupported_image_ref`` (a URL),
    ``image_not_found``, ``image_too_large`` (bytes or pixels over ``limits``) or
    ``invalid_image`` (not an image, truncated or corrupt).
    """
    if _SCHEME.match(ref):
        raise ItemError(
            "unsupported_image_ref",
            f"image {ref!r} is not a local file path; image URLs are not fetched yet",
            item_id,
        )
    path = _confined(ref, limits.root, item_id)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ItemError("image_not_found", f"image {ref!r} does not exist", item_id) from None
    except OSError as exc:
        raise ItemError("invalid_image", f"image {ref!r} cannot be read: {exc}", item_id) from None
    if not path.is_file():
        raise ItemError("invalid_image", f"image {ref!r} is not a regular file", item_id)
    if size > limits.max_bytes:
        raise ItemError(
            "image_too_large",
            f"image {ref!r} has {size} bytes; the limit is {limits.max_bytes}",
            item_id,
        )
    try:
        with Image.open(path, formats=FORMATS) as image:
            _check_pixels(image, ref, limits, item_id)
            return _upright_rgb(image)
    except ItemError:
        raise
    except Image.DecompressionBombError:
        # Pillow's own guard, which fires on open when the header is far beyond its limit.
        raise ItemError(
            "image_too_large",
            f"image {ref!r} declares more than {limits.max_pixels} pixels "
            "(a possible decompression bomb)",
            item_id,
        ) from None
    except UnidentifiedImageError:
        raise ItemError(
            "invalid_image",
            f"image {ref!r} is not an image in a supported format ({', '.join(FORMATS)})",
            item_id,
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        # Pillow's decoders report truncated or malformed data with any of these. ItemError
        # is a ValueError too, hence the re-raise above.
        raise ItemError(
            "invalid_image", f"image {ref!r} is not a readable image: {exc}", item_id
        ) from None


def _check_pixels(image: Image.Image, ref: str, limits: ImageLimits, item_id: str | None) -> None:
    width, height = image.size
    if width * height > limits.max_pixels:
        raise ItemError(
            "image_too_large",
            f"image {ref!r} is {width}×{height} pixels; the limit is {limits.max_pixels} pixels",
            item_id,
        )
    if width == 0 or height == 0:
        raise ItemError("invalid_image", f"image {ref!r} has no pixels", item_id)


def _upright_rgb(image: Image.Image) -> Image.Image:
    """Decode, apply the EXIF rotation and flatten transparency onto white.

    Flattening onto white matters: converting RGBA straight to RGB turns transparent
    pixels black, which hides dark text drawn on a transparent background from OCR.
    """
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(canvas, rgba).convert("RGB")
    return upright.convert("RGB")
