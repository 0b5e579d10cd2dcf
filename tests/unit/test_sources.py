"""Which sources a scan inspects references with, from settings."""

from __future__ import annotations

from jingwang.adapters.fetch import LinkViewSource
from jingwang.adapters.images.source import ImageSource
from jingwang.adapters.sources import default_sources
from jingwang.settings import Settings


def test_images_and_links_by_default() -> None:
    kinds = [type(source) for source in default_sources(Settings(fetch_links=True))]
    assert kinds == [ImageSource, LinkViewSource]


def test_links_can_be_left_unfetched() -> None:
    kinds = [type(source) for source in default_sources(Settings(fetch_links=False))]
    assert kinds == [ImageSource]


def test_image_limits_follow_settings() -> None:
    (images,) = default_sources(Settings(fetch_links=False, image_max_pixels=1234))
    assert isinstance(images, ImageSource)
    assert images.options.limits.max_pixels == 1234
