"""PDQ hashes, the known-bad list file and the findings a match becomes."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from jingwang.adapters.images import (
    HASH_DETECTOR,
    HashListError,
    HashListFile,
    ImageLimits,
    ImageOptions,
    ImageSource,
    KnownImage,
    load_image,
    pdq_hash,
)
from jingwang.adapters.images.hashlist import HashIndex, read_hash_list
from jingwang.adapters.images.pdq import hamming_distance
from jingwang.adapters.images.source import match_score
from jingwang.core.types import Evidence, ScanItem

HASHES_ONLY = ImageOptions(ocr=False, qr=False)


def reencoded(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def test_hash_is_64_hex_digits_with_quality(make_picture: Callable[[int], Image.Image]) -> None:
    digest = pdq_hash(make_picture(1))
    assert len(digest.hex) == 64
    assert int(digest.hex, 16) >= 0
    assert digest.useful


def test_small_changes_stay_within_the_threshold(
    make_picture: Callable[[int], Image.Image],
) -> None:
    original = make_picture(1)
    known = pdq_hash(original).hex
    width, height = original.size
    copies = {
        "jpeg-q60": reencoded(original, 60),
        "resized-70%": original.resize((width * 7 // 10, height * 7 // 10)),
        # PDQ tolerates trimmed edges, not real crops: 5% off every side moves ~80 bits.
        "edges-trimmed-1%": original.crop((0, 0, width * 99 // 100, height * 99 // 100)),
        "resized+jpeg": reencoded(original.resize((width // 2, height // 2)), 75),
    }
    distances = {name: hamming_distance(known, pdq_hash(copy).hex) for name, copy in copies.items()}
    assert all(d <= 31 for d in distances.values()), distances


def test_unrelated_pictures_are_far_apart(make_picture: Callable[[int], Image.Image]) -> None:
    known = pdq_hash(make_picture(1)).hex
    distances = [hamming_distance(known, pdq_hash(make_picture(seed)).hex) for seed in (2, 3, 4)]
    assert all(d > 31 for d in distances), distances


def test_plain_images_have_useless_hashes() -> None:
    assert not pdq_hash(Image.new("RGB", (300, 200), "white")).useful


def entry(pdq: str, label: str = "porn", subcategory: str | None = "porn_resource") -> KnownImage:
    return KnownImage(pdq, label, subcategory, note="from a report")


def test_index_returns_matches_nearest_first() -> None:
    zero = "0" * 64
    one_bit = "0" * 63 + "1"
    many_bits = "f" * 10 + "0" * 54
    index = HashIndex([entry(many_bits), entry(one_bit, "fraud", None), entry(zero)])
    found = [(m.entry.pdq, m.distance) for m in index.matches(zero, 31)]
    assert found == [(zero, 0), (one_bit, 1)]
    assert index.matches(zero, 40)[-1].distance == 40
    assert HashIndex([]).matches(zero, 31) == []


def test_list_file_round_trip_and_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "hashes.tsv"
    hashes = HashListFile(path)
    assert hashes.index().entries == ()
    added = hashes.add(KnownImage("ab" * 32, "porn", None, 'tab\there "quoted"'))
    assert added.added_at.endswith("Z")
    with pytest.raises(HashListError, match="already listed as porn"):
        hashes.add(KnownImage("ab" * 32, "fraud"))
    assert read_hash_list(path) == [added]
    assert hashes.remove("ab" * 32) == added
    assert hashes.remove("ab" * 32) is None
    assert read_hash_list(path) == []


def test_index_follows_edits_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "hashes.tsv"
    hashes = HashListFile(path)
    assert len(hashes.index().entries) == 0
    HashListFile(path).add(KnownImage("cd" * 32, "porn"))  # e.g. the CLI, meanwhile
    assert [e.pdq for e in hashes.index().entries] == ["cd" * 32]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("pdq\tlabel\n", "first row must be the header"),
        ("pdq\tlabel\tsubcategory\tnote\tadded_at\nxyz\tporn\t\t\t\n", "line 2: 'xyz' is not"),
        ("pdq\tlabel\tsubcategory\tnote\tadded_at\n" + "0" * 64 + "\tnope\t\t\t\n", "unknown"),
        ("pdq\tlabel\tsubcategory\tnote\tadded_at\n" + "0" * 64 + "\tporn\n", "5 tab-separated"),
    ],
)
def test_malformed_list_files_name_the_problem(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "hashes.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(HashListError, match=problem):
        read_hash_list(path)


def test_write_keeps_the_permissions_of_the_list(tmp_path: Path) -> None:
    path = tmp_path / "hashes.tsv"
    HashListFile(path).add(KnownImage("12" * 32, "porn"))
    os.chmod(path, 0o640)
    HashListFile(path).add(KnownImage("34" * 32, "porn"))
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["hashes.tsv"]


def test_altered_copy_of_a_listed_image_becomes_a_finding(
    tmp_path: Path, picture_file: Path, make_picture: Callable[[int], Image.Image]
) -> None:
    hashes = HashListFile(tmp_path / "hashes.tsv")
    known = pdq_hash(load_image(str(picture_file), ImageLimits())).hex
    hashes.add(KnownImage(known, "porn", "porn_resource", "seed 1"))
    copy = tmp_path / "repost.jpg"
    original = make_picture(1)
    original.resize((500, 375)).crop((0, 0, 495, 372)).save(copy, quality=70)
    unrelated = tmp_path / "holiday.jpg"
    make_picture(7).save(unrelated)

    source = ImageSource(HASHES_ONLY, hash_list=hashes)
    inspection = source.inspect(ScanItem("m1", images=(str(copy), str(unrelated))))

    assert inspection.views == ()
    [finding] = inspection.findings
    distance = int(finding.detail.removeprefix("pdq:")) if finding.detail else -1
    assert 0 < distance <= 31
    assert finding.detector == HASH_DETECTOR
    assert (finding.label, finding.subcategory, finding.kind) == (
        "porn",
        "porn_resource",
        "violation",
    )
    assert finding.evidence == (Evidence(0, 0, "", source=f"image:{copy}"),)
    assert finding.score == match_score(distance, 31)


def test_plain_images_never_match(tmp_path: Path) -> None:
    hashes = HashListFile(tmp_path / "hashes.tsv")
    white = tmp_path / "white.png"
    Image.new("RGB", (300, 200), "white").save(white)
    hashes.add(KnownImage(pdq_hash(Image.open(white).convert("RGB")).hex, "porn"))
    inspection = ImageSource(HASHES_ONLY, hash_list=hashes).inspect(
        ScanItem("m1", images=(str(white),))
    )
    assert inspection.findings == ()


def test_match_score_falls_from_block_to_review() -> None:
    assert match_score(0, 31) == 0.99
    assert match_score(31, 31) == 0.70
    assert 0.8 < match_score(10, 31) < 0.99
    assert match_score(0, 0) == 0.99
