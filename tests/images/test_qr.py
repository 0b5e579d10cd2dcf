"""QR codes in images come back as text views that the link detector reads."""

from __future__ import annotations

from pathlib import Path

import segno
from PIL import Image

from jingwang.adapters.images import ImageOptions, ImageSource
from jingwang.adapters.images.qr import read_qr_codes
from jingwang.core.detect.base import ViewSource
from jingwang.core.pipeline import Scanner
from jingwang.core.types import ScanItem

QR_ONLY = ImageOptions(ocr=False, qr=True)
URL = "https://t.cn/A6xYz12"


def qr_image(tmp_path: Path, payload: str, name: str = "qr.png") -> Path:
    path = tmp_path / name
    segno.make(payload, error="m").save(path, scale=6, border=4)
    return path


def test_payload_is_decoded(tmp_path: Path) -> None:
    image = Image.open(qr_image(tmp_path, URL)).convert("RGB")
    assert read_qr_codes(image) == [URL]


def test_code_pasted_into_a_larger_picture_is_found(tmp_path: Path) -> None:
    code = Image.open(qr_image(tmp_path, URL)).convert("RGB")
    poster = Image.new("RGB", (2400, 1800), (200, 180, 160))  # shrunk before decoding
    poster.paste(code.resize((code.width * 3, code.height * 3)), (1500, 900))
    assert read_qr_codes(poster) == [URL]


def test_images_without_codes_give_nothing() -> None:
    assert read_qr_codes(Image.new("RGB", (200, 100), "white")) == []


def test_qr_views_carry_the_payload_and_source(tmp_path: Path) -> None:
    path = qr_image(tmp_path, URL)
    source = ImageSource(QR_ONLY)
    assert isinstance(source, ViewSource)
    views = source.inspect(ScanItem("m1", images=(str(path),))).views
    assert [(v.source, v.original) for v in views] == [(f"qr:{path}", URL)]


def test_link_detector_sees_the_url_in_the_code(tmp_path: Path) -> None:
    path = qr_image(tmp_path, URL)
    scanner = Scanner.from_names(["links"], sources=[ImageSource(QR_ONLY)])
    findings = scanner.findings(ScanItem("m1", images=(str(path),)))
    evidence = [e for f in findings for e in f.evidence if e.source == f"qr:{path}"]
    assert evidence, findings
    assert all(URL[e.start : e.end] == e.text for e in evidence)


def test_several_codes_in_one_image_are_all_read(tmp_path: Path) -> None:
    first = Image.open(qr_image(tmp_path, URL, "a.png")).convert("RGB")
    second = Image.open(qr_image(tmp_path, "weixin://dl/chat?abc", "b.png")).convert("RGB")
    both = Image.new("RGB", (first.width + second.width + 40, first.height), "white")
    both.paste(first, (0, 0))
    both.paste(second, (first.width + 40, 0))
    assert sorted(read_qr_codes(both)) == sorted([URL, "weixin://dl/chat?abc"])
