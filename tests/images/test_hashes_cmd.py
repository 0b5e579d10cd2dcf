"""``jingwang hashes``: add, list, check and remove known-bad images; errors without tracebacks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from click.testing import Result
from PIL import Image
from typer.testing import CliRunner

from jingwang.adapters.images import ImageLimits, load_image, pdq_hash
from jingwang.adapters.images.hashlist import read_hash_list
from jingwang.cli import hashes_cmd

Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    app = typer.Typer()
    hashes_cmd.register(app)
    app.command("noop")(lambda: None)  # a second command keeps "hashes" a sub-command
    monkeypatch.setenv("JINGWANG_HASH_LIST_PATH", str(tmp_path / "hashes.tsv"))
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["hashes", *args])


def test_add_list_check_remove(run: Run, picture_file: Path, tmp_path: Path) -> None:
    pdq = pdq_hash(load_image(str(picture_file), ImageLimits())).hex

    added = run(
        "add",
        str(picture_file),
        "--label",
        "porn",
        "--subcategory",
        "porn_resource",
        "--note",
        "report\n#42",
    )
    assert added.exit_code == 0, added.output
    assert pdq in added.output
    [entry] = read_hash_list(tmp_path / "hashes.tsv")
    assert (entry.label, entry.subcategory, entry.note) == ("porn", "porn_resource", "report #42")

    listed = run("list")
    assert listed.exit_code == 0
    assert pdq in listed.output and "porn_resource" in listed.output

    copy = tmp_path / "copy.jpg"
    Image.open(picture_file).convert("RGB").save(copy, quality=60)
    checked = run("check", str(copy))
    assert checked.exit_code == 0
    assert "matches" in checked.output and "porn_resource" in checked.output

    assert run("add", str(picture_file), "--label", "fraud").exit_code == 1
    removed = run("remove", str(picture_file))
    assert removed.exit_code == 0 and "removed" in removed.output
    assert run("remove", pdq).exit_code == 1
    assert "no hashes" in run("list").output


def test_check_without_a_match(run: Run, picture_file: Path) -> None:
    result = run("check", str(picture_file))
    assert result.exit_code == 0
    assert "no match within 31 bits among 0 listed hashes" in result.output


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["add", "{picture}", "--label", "nudity"], 2, "unknown label 'nudity'"),
        (["add", "{picture}", "--label", "porn", "--subcategory", "x"], 2, "no subcategory 'x'"),
        (["add", "{missing}", "--label", "porn"], 1, "does not exist"),
        (["add", "{plain}", "--label", "porn"], 1, "too plain to hash reliably"),
        (["check", "{corrupt}"], 1, "not an image in a supported format"),
        (["check", "https://example.com/a.png"], 1, "not fetched"),
        (["remove", "{missing}"], 1, "does not exist"),
    ],
)
def test_errors_are_one_clear_line(
    run: Run, picture_file: Path, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    plain = tmp_path / "plain.png"
    Image.new("RGB", (200, 200), "white").save(plain)
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(b"not an image")
    paths = {
        "picture": picture_file,
        "missing": tmp_path / "gone.png",
        "plain": plain,
        "corrupt": corrupt,
    }
    result = run(*(a.format(**paths) for a in args))
    assert result.exit_code == code, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_broken_list_file_is_reported(run: Run, tmp_path: Path) -> None:
    (tmp_path / "hashes.tsv").write_text("not a header\n", encoding="utf-8")
    result = run("list")
    assert result.exit_code == 1
    assert "first row must be the header" in " ".join(result.output.split())
