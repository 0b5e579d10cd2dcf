"""The sources a scan inspects an item's references with, built from settings."""

from __future__ import annotations

from pathlib import Path

from jingwang.adapters.fetch import LinkViewSource, Resolver
from jingwang.adapters.images.hashlist import HashListFile
from jingwang.adapters.images.loading import ImageLimits
from jingwang.adapters.images.source import ImageOptions, ImageSource
from jingwang.core.detect.base import ViewSource
from jingwang.settings import Settings


def default_sources(settings: Settings, *, image_root: Path | None = None) -> list[ViewSource]:
    """Images (OCR, QR codes, known-bad hashes) and, unless disabled, link landing pages.

    ``image_root`` confines image paths to one directory (see ``ImageLimits.root``).

    Sources hold locks, caches and engines that cannot be pickled: build them in each
    worker process, not in the parent.
    """
    images = ImageSource(
        ImageOptions(
            limits=ImageLimits(settings.image_max_bytes, settings.image_max_pixels, image_root),
            min_confidence=settings.ocr_min_confidence,
            pdq_threshold=settings.pdq_threshold,
        ),
        HashListFile(settings.hash_list_path),
    )
    sources: list[ViewSource] = [images]
    if settings.fetch_links:
        sources.append(LinkViewSource(Resolver(allow_private=settings.allow_private_urls)))
    return sources
