"""The HTML report rendered by headless Chromium to ``artifacts/transparency-report.png``.

The PNG is kept for people to look at (the acceptance check is by eye); the test checks
that the browser renders the page offline into a full, non-blank image.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from jingwang.adapters.reports import transparency_report
from jingwang.reports_render import render_html

from .conftest import FIRST_DAY, LAST_DAY, History

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
WIDTH, HEIGHT = 1000, 4400


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "headless Chromium is not installed (Debian package: chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true requires it")
        pytest.skip(reason)
    return found


@pytest.mark.browser
def test_the_html_report_renders_in_headless_chromium(
    memory_month: History, tmp_path: Path
) -> None:
    browser = _chromium()
    report = transparency_report(memory_month.service.storage, FIRST_DAY, LAST_DAY)
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    png = ARTIFACTS / "transparency-report.png"
    png.unlink(missing_ok=True)
    command = [
        browser,
        "--headless",
        "--no-sandbox",  # containers run tests as root, where the sandbox cannot start
        "--disable-gpu",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={WIDTH},{HEIGHT}",
        f"--screenshot={png}",
        page.as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    with Image.open(png) as image:
        assert image.size == (WIDTH, HEIGHT)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    # A blank or failed page is one or two colours; the report has text, bars and rules.
    assert colours is None or len(colours) > 50
