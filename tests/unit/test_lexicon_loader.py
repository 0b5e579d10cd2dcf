"""The lexicon TSV format: parsing, errors with file:line, packaged files, extra dirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from jingwang.core.detect.lexicon import LexiconFormatError, load_directories, parse_lexicon
from jingwang.core.detect.lexicon.entries import Needs
from jingwang.core.detect.lexicon.loader import lexicon_files, packaged_lexicon_dir
from jingwang.core.labels import SUBCATEGORIES

HEADER = "term\tlabel\tsubcategory\tweight\tneeds\tflags\n"


def test_parses_rows_comments_and_short_rows() -> None:
    content = (
        "# a comment\n"
        + HEADER
        + "\n"
        + "催情药\tillicit_ads\taphrodisiac\t0.95\t\t\n"
        + "香烟\tillicit_ads\ttobacco\t0.3\tany:contact|price\texact\n"
        + "百家乐\tgambling\t\t0.85\n"
        + "微信\tcontact\tword\t0.5\t\thomophone\n"
    )
    entries = parse_lexicon(content, "x.tsv")
    assert [e.term for e in entries] == ["催情药", "香烟", "百家乐", "微信"]
    assert entries[0].subcategory == "aphrodisiac"
    assert entries[0].kind == "violation"
    assert entries[1].needs == Needs("any", ("contact", "price"))
    assert entries[1].flags == frozenset({"exact"})
    assert entries[2].subcategory is None
    assert entries[3].kind == "signal"
    assert entries[1].origin == "x.tsv:5"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x\tporn\tvulgar", "expected 4 to 6 tab-separated columns, got 3"),
        ("x\tporn\tvulgar\t0.5\t\t\textra", "expected 4 to 6 tab-separated columns, got 7"),
        ("\tporn\tvulgar\t0.5", "empty term"),
        ("x\tpolitics\t\t0.5", "unknown label 'politics'"),
        ("x\tporn\tcasino\t0.5", "unknown subcategory 'casino' for 'porn'"),
        ("x\tporn\tvulgar\theavy", "weight 'heavy' is not a number"),
        ("x\tporn\tvulgar\t0", "weight 0 is outside (0, 1]"),
        ("x\tporn\tvulgar\t1.5", "weight 1.5 is outside (0, 1]"),
        ("x\tporn\tvulgar\t0.5\tphone", "needs names unknown signal 'phone'"),
        ("x\tporn\tvulgar\t0.5\tsome:contact", "needs prefix 'some' must be 'any' or 'all'"),
        ("x\tporn\tvulgar\t0.5\t\tfuzzy", "unknown flag(s) fuzzy"),
        ("x\tcontact\tWord Type\t0.5", "bad signal subcategory 'Word Type'"),
    ],
)
def test_malformed_rows_name_file_and_line(row: str, message: str) -> None:
    with pytest.raises(LexiconFormatError) as caught:
        parse_lexicon(HEADER + "ok\tporn\tvulgar\t0.5\n" + row + "\n", "bad.tsv")
    assert str(caught.value).startswith("bad.tsv:3: ")
    assert message in str(caught.value)
    assert caught.value.origin == "bad.tsv:3"


def test_header_is_required() -> None:
    with pytest.raises(LexiconFormatError, match=r"^h\.tsv:1: header must be"):
        parse_lexicon("word\tlabel\n", "h.tsv")
    with pytest.raises(LexiconFormatError, match=r"^e\.tsv:1: empty file"):
        parse_lexicon("# only a comment\n", "e.tsv")


def test_duplicate_row_in_one_file_is_an_error() -> None:
    content = HEADER + "刷单\tfraud\torder_brushing\t0.8\n" + "刷单\tfraud\torder_brushing\t0.9\n"
    with pytest.raises(LexiconFormatError, match=r"^d\.tsv:3: duplicate of line 2"):
        parse_lexicon(content, "d.tsv")


def test_packaged_lexicons_load_and_cover_every_subcategory() -> None:
    files = [f.name for f in lexicon_files(packaged_lexicon_dir())]
    assert {"porn.tsv", "illicit_ads.tsv", "signals.tsv", "seo_spam.tsv"} <= set(files)
    entries = load_directories([packaged_lexicon_dir()])
    covered = {(e.label, e.subcategory) for e in entries}
    for label, subcategories in SUBCATEGORIES.items():
        if label in ("rumor", "clickbait"):  # article-level judgements, not word lists
            continue
        assert any(found == label for found, _ in covered), label
        for subcategory in subcategories:
            assert (label, subcategory) in covered, (label, subcategory)


def test_extra_directory_adds_and_reweights(tmp_path: Path) -> None:
    (tmp_path / "mine.tsv").write_text(
        HEADER + "催情药\tillicit_ads\taphrodisiac\t0.5\n" + "蓝精灵\tillicit_ads\trx_drug\t0.9\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.txt").write_text("not a lexicon", encoding="utf-8")
    entries = load_directories([packaged_lexicon_dir(), tmp_path])
    by_term = {(e.term, e.label, e.subcategory): e for e in entries}
    assert by_term[("催情药", "illicit_ads", "aphrodisiac")].weight == 0.5
    assert by_term[("蓝精灵", "illicit_ads", "rx_drug")].origin == "mine.tsv:3"
