"""Text moved into images is read and scanned like typed text (needs a CJK font).

OCR costs about a second per image on this hardware, so one module-scoped inspection
serves every test here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from jingwang.adapters.images import ImageOptions, ImageSource, Inspection
from jingwang.adapters.images.ocr import OCR_MAX_SIDE, shared_engine
from jingwang.core.pipeline import Scanner
from jingwang.core.types import ScanItem

SPAM = "加微信 abc123 出售催情药"
CHAT = "今天天气不错出来吃饭吗"


@pytest.fixture(scope="module")
def screenshot(
    tmp_path_factory: pytest.TempPathFactory,
    render_lines: Callable[[list[str], tuple[int, int], int], Image.Image],
) -> Path:
    # Wider than OCR_MAX_SIDE, so that the shrink and the mapping back are exercised.
    path = tmp_path_factory.mktemp("ocr") / "chat.png"
    render_lines([SPAM, CHAT], (OCR_MAX_SIDE + 400, 300), 56).save(path)
    return path


@pytest.fixture(scope="module")
def inspection(screenshot: Path) -> Inspection:
    return ImageSource(ImageOptions(qr=False)).inspect(ScanItem("m1", images=(str(screenshot),)))


def squeezed(text: str) -> str:
    # The recogniser drops or keeps the gaps between words as it sees fit.
    return "".join(text.split())


def test_each_line_is_a_view_with_the_image_as_source(
    inspection: Inspection, screenshot: Path
) -> None:
    assert [v.source for v in inspection.views] == [f"ocr:{screenshot}"] * 2
    assert [squeezed(v.original) for v in inspection.views] == [squeezed(SPAM), CHAT]
    assert inspection.findings == ()


def test_boxes_are_in_the_original_images_pixels(screenshot: Path) -> None:
    image = Image.open(screenshot).convert("RGB")
    [spam_line, _chat_line] = shared_engine().read(image)
    xs = [x for x, _y in spam_line.box]
    ys = [y for _x, y in spam_line.box]
    # Where the first line's ink is, whatever font fc-list picked: the box must agree.
    first_line = image.crop((0, 0, image.width, 56 * 2)).convert("L")
    left, top, _right, _bottom = first_line.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert min(xs) == pytest.approx(left, abs=12)
    assert min(ys) == pytest.approx(top, abs=12)
    assert spam_line.confidence >= 0.6


def test_spam_in_an_image_is_found_with_ocr_evidence(
    inspection: Inspection, screenshot: Path
) -> None:
    source = f"ocr:{screenshot}"
    spam_view = next(v for v in inspection.views if "催情" in v.original)

    class Prepared:
        """Hands the scanner the inspection made once for this module, not a second OCR."""

        name = "images"

        def references(self, item: ScanItem) -> bool:
            return bool(item.images)

        def inspect(self, item: ScanItem) -> Inspection:
            return inspection

    scanner = Scanner.from_names(["lexicon", "contacts", "context"], sources=[Prepared()])
    decision = scanner.scan(ScanItem("m1", images=(str(screenshot),)))

    assert decision.decision == "block"
    primary = decision.labels[0]
    assert (primary.label, primary.subcategory) == ("illicit_ads", "aphrodisiac")
    ocr_evidence = [e for e in primary.evidence if e.source == source]
    assert ocr_evidence
    for evidence in ocr_evidence:
        assert spam_view.original[evidence.start : evidence.end] == evidence.text
    assert any(e.text == "催情药" for e in ocr_evidence)
