"""Opening referenced images: limits, refusals and the pixels that come back."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageFile

from jingwang.adapters.images import ImageLimits, ImageOptions, ImageSource, load_image
from jingwang.core.io import ItemError
from jingwang.core.types import ScanItem


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a ``width``×``height`` canvas (and has no pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def error_of(ref: str, limits: ImageLimits | None = None) -> ItemError:
    with pytest.raises(ItemError) as caught:
        load_image(ref, limits or ImageLimits(), item_id="m1")
    assert caught.value.item_id == "m1"
    return caught.value


@pytest.mark.parametrize(
    ("side", "reported"),
    [
        (100_000, "more than 40000000 pixels"),  # Pillow's own guard fires when opening
        (9_000, "9000×9000 pixels"),  # under Pillow's guard, over ours
    ],
)
def test_decompression_bomb_is_refused_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side: int, reported: str
) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header_claiming(side, side))

    def refuse_to_decode(self: ImageFile.ImageFile) -> None:
        raise AssertionError("the pixels were about to be decoded")

    # Decoding is where the pixel buffer (hundreds of megabytes and more) is allocated.
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse_to_decode)
    error = error_of(str(bomb))
    assert error.code == "image_too_large"
    assert reported in error.message


def test_pixel_limit_is_configurable(picture_file: Path) -> None:
    error = error_of(str(picture_file), ImageLimits(max_pixels=640 * 480 - 1))
    assert error.code == "image_too_large"


def test_file_size_limit(picture_file: Path) -> None:
    error = error_of(str(picture_file), ImageLimits(max_bytes=1000))
    assert error.code == "image_too_large"
    assert "the limit is 1000" in error.message


@pytest.mark.parametrize(
    "content",
    [b"definitely not an image", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b""],
    ids=["text", "broken-png", "empty"],
)
def test_corrupt_bytes_are_invalid(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "corrupt.png"
    path.write_bytes(content)
    assert error_of(str(path)).code == "invalid_image"


@pytest.mark.parametrize("format_name", ["TIFF", "PCX", "ICO"])
def test_formats_outside_the_allow_list_are_not_parsed(tmp_path: Path, format_name: str) -> None:
    path = tmp_path / f"image.{format_name.lower()}"
    Image.new("RGB", (16, 16), "red").save(path, format_name)
    error = error_of(str(path))
    assert error.code == "invalid_image"
    assert "supported format" in error.message


def test_the_source_reports_the_item_of_an_unusable_image(tmp_path: Path) -> None:
    source = ImageSource(ImageOptions(ocr=False, qr=False))
    with pytest.raises(ItemError) as caught:
        source.inspect(ScanItem("m7", images=(str(tmp_path / "gone.png"),)))
    assert (caught.value.code, caught.value.item_id) == ("image_not_found", "m7")


def test_truncated_image_is_invalid(tmp_path: Path, picture_file: Path) -> None:
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(picture_file.read_bytes()[:2000])
    assert error_of(str(truncated)).code == "invalid_image"


def test_missing_file(tmp_path: Path) -> None:
    error = error_of(str(tmp_path / "nowhere.png"))
    assert error.code == "image_not_found"
    assert "nowhere.png" in error.message


def test_directory_is_invalid(tmp_path: Path) -> None:
    assert error_of(str(tmp_path)).code == "invalid_image"


@pytest.mark.parametrize(
    "ref", ["https://example.com/a.png", "http://x/y.jpg", "data:image/png;base64,AAAA"]
)
def test_urls_are_not_fetched(ref: str) -> None:
    error = error_of(ref)
    assert error.code == "unsupported_image_ref"
    assert "not fetched" in error.message


def test_transparency_is_flattened_onto_white(tmp_path: Path) -> None:
    path = tmp_path / "transparent.png"
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(path)
    image = load_image(str(path), ImageLimits())
    assert image.mode == "RGB"
    assert image.getpixel((0, 0)) == (255, 255, 255)


def test_exif_rotation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "rotated.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: display rotated by 90°
    Image.new("RGB", (40, 20), "red").save(path, exif=exif)
    assert load_image(str(path), ImageLimits()).size == (20, 40)


def test_a_confined_loader_refuses_paths_outside_its_root(tmp_path: Path) -> None:
    root = tmp_path / "uploads"
    root.mkdir()
    Image.new("RGB", (20, 20), "white").save(root / "ok.png")
    (tmp_path / "secret.png").write_bytes((root / "ok.png").read_bytes())
    limits = ImageLimits(root=root)

    assert load_image("ok.png", limits).size == (20, 20)
    for outside in ("../secret.png", str(tmp_path / "secret.png"), "/etc/passwd"):
        with pytest.raises(ItemError) as caught:
            load_image(outside, limits, "m1")
        assert caught.value.code == "unsupported_image_ref"
