"""Test images drawn at test time with Pillow, and the CJK font that Chinese text needs."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont


def find_cjk_font() -> str | None:
    """The file of an installed font that covers Chinese, according to fontconfig."""
    if shutil.which("fc-list") is None:
        return None
    listing = subprocess.run(
        ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, check=False
    ).stdout
    files = sorted(line.strip().rstrip(":") for line in listing.splitlines() if line.strip())
    return files[0] if files else None


@pytest.fixture(scope="session")
def cjk_font() -> str:
    font = find_cjk_font()
    if font is None:
        reason = "no CJK font installed (Debian: apt-get install fonts-wqy-microhei)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the OCR tests")
        pytest.skip(reason)
    return font


TextRenderer = Callable[[list[str], tuple[int, int], int], Image.Image]
PictureMaker = Callable[[int], Image.Image]


@pytest.fixture(scope="session")
def render_lines(cjk_font: str) -> TextRenderer:
    """Black Chinese text lines on a white canvas: ``render_lines(lines, size, font_px)``."""
    return lambda lines, size, font_px: _render(cjk_font, lines, size, font_px)


def _render(font_file: str, lines: list[str], size: tuple[int, int], font_px: int) -> Image.Image:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_file, font_px)
    for number, line in enumerate(lines):
        draw.text((font_px, font_px + number * font_px * 2), line, font=font, fill="black")
    return image


def busy_picture(seed: int, size: tuple[int, int] = (640, 480)) -> Image.Image:
    """A photo-like picture: a gradient with random shapes, different for every seed."""
    rng = np.random.default_rng(seed)
    width, height = size
    ramp = np.linspace(0, 255, width, dtype=np.float64)[None, :, None]
    base = np.broadcast_to(ramp * rng.uniform(0.2, 1.0, 3), (height, width, 3))
    image = Image.fromarray(base.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        x1, y1 = x0 + int(rng.integers(20, 200)), y0 + int(rng.integers(20, 200))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        else:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
    return image


@pytest.fixture(scope="session")
def make_picture() -> PictureMaker:
    """``make_picture(seed)``: a 640×480 photo-like picture, different for every seed."""
    return busy_picture


@pytest.fixture
def picture_file(tmp_path: Path) -> Path:
    path = tmp_path / "known-bad.png"
    busy_picture(seed=1).save(path)
    return path
