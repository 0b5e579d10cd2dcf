"""``jingwang train`` / ``jingwang eval`` end to end on synthetic data, and their errors."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jingwang.cli.main import app
from jingwang.core.detect.base import prepare
from jingwang.core.detect.model import ModelDetector
from jingwang.core.model import load_model
from jingwang.core.types import ScanItem
from support import load_module

_td = load_module("jingwang_test_model_data", Path(__file__).with_name("test_model_data.py"))
cold_like_rows = _td.cold_like_rows
make_rows = _td.make_rows
write_jsonl = _td.write_jsonl


runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("cli")
    return {
        "train": write_jsonl(tmp / "train.jsonl", make_rows(25, seed=11)),
        "cold": write_jsonl(tmp / "cold.jsonl", cold_like_rows(25, seed=12)),
        "dev": write_jsonl(tmp / "dev.jsonl", make_rows(6, seed=13)),
        "cold_dev": write_jsonl(tmp / "cold_dev.jsonl", cold_like_rows(6, seed=14)),
        "tmp": tmp,
    }


@pytest.fixture(scope="module")
def model_dir(files: dict[str, Path]) -> Path:
    out = files["tmp"] / "model"
    res = runner.invoke(
        app,
        [
            "train",
            str(files["train"]),
            str(files["cold"]),
            "--dev",
            str(files["dev"]),
            "-o",
            str(out),
            "--seed",
            "3",
        ],
    )
    assert res.exit_code == 0, res.output
    return out


def test_train_writes_a_loadable_model(model_dir: Path) -> None:
    model = load_model(model_dir)
    assert set(model.labels) == {"gambling", "porn", "fraud", "abuse", "normal"}
    assert model.metadata["seed"] == 3
    assert model.metadata["dev_metrics"]["dev.jsonl"]["macro_f1"] >= 0.9


def test_initials_flag_adds_the_initials_block(files: dict[str, Path], model_dir: Path) -> None:
    out = files["tmp"] / "model-initials"
    args = ["train", str(files["train"]), "--dev", str(files["dev"]), "-o", str(out)]
    res = runner.invoke(app, [*args, "--initials"])
    assert res.exit_code == 0, res.output
    assert "initials" in load_model(out).blocks
    assert "initials" not in load_model(model_dir).blocks
    detector = ModelDetector(load_model(out))
    findings = detector.detect(prepare(ScanItem("m", text="加wx，dubo下注赢钱"), []))
    assert all(f.label in detector.labels for f in findings)


def test_eval_reports_table_json_and_baseline(files: dict[str, Path], model_dir: Path) -> None:
    report = files["tmp"] / "report.json"
    res = runner.invoke(
        app,
        [
            "eval",
            str(files["dev"]),
            "--model",
            str(model_dir),
            "--baseline-train",
            str(files["train"]),
            "--json-out",
            str(report),
            "--variants",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "macro-F1" in res.output and "confusion" in res.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["model"]["macro_f1"] >= 0.9
    assert data["baseline"]["macro_f1"] > 0.5
    assert set(data["model"]["per_class"]) == {"gambling", "porn", "fraud", "abuse", "normal"}
    assert sum(map(sum, data["model"]["confusion_matrix"])) == data["model"]["n"]
    assert set(data["variants"]) == {"fullwidth", "traditional", "pinyin"}
    assert data["variants"]["fullwidth"]["macro_f1"] >= 0.85


def test_eval_binary_dataset_is_restricted(files: dict[str, Path], model_dir: Path) -> None:
    report = files["tmp"] / "cold_report.json"
    res = runner.invoke(
        app, ["eval", str(files["cold_dev"]), "--model", str(model_dir), "--json-out", str(report)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["model"]["labels"] == ["abuse", "normal"]
    assert data["model"]["restricted_to_dataset_labels"] is True
    assert data["model"]["accuracy"] >= 0.9


def test_plot_without_matplotlib_says_so(files: dict[str, Path], model_dir: Path) -> None:
    png = files["tmp"] / "cm.png"
    res = runner.invoke(
        app, ["eval", str(files["dev"]), "--model", str(model_dir), "--plot", str(png)]
    )
    if importlib.util.find_spec("matplotlib") is None:
        assert res.exit_code == 1
        assert "matplotlib" in res.output and "jingwang[plot]" in res.output
    else:
        assert res.exit_code == 0, res.output
        assert png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"text": "a", "label": "normal"}\n{"text": "b", "label": \n',
            "bad.jsonl:2: invalid JSON",
        ),
        ('{"text": "a", "label": "weird"}\n', "bad.jsonl:1: unknown label 'weird'"),
        ('{"label": "normal"}\n', 'bad.jsonl:1: missing or non-string "text"'),
        ("[1, 2]\n", "bad.jsonl:1: expected a JSON object"),
    ],
)
def test_bad_input_files_are_reported_without_traceback(
    tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    for args in (["train", str(bad), "-o", str(tmp_path / "m")], ["eval", str(bad)]):
        res = runner.invoke(app, args)
        assert res.exit_code == 2
        assert message in " ".join(res.output.split())
        assert "Traceback" not in res.output


def test_missing_file_and_missing_model(tmp_path: Path, files: dict[str, Path]) -> None:
    res = runner.invoke(app, ["train", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2 and "no such file" in res.output
    res = runner.invoke(app, ["eval", str(files["dev"]), "--model", str(tmp_path / "none")])
    assert res.exit_code == 2 and "cannot load model" in res.output


def test_detector_findings_and_evidence(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINGWANG_MODEL_DIR", str(model_dir))
    det = ModelDetector()
    assert det.name == "model" and "normal" not in det.labels
    text = "快来  澳门娱乐城  下注赢钱！！"
    findings = det.detect(prepare(ScanItem(id="1", text=text)))
    assert findings and findings[0].label == "gambling"
    assert findings[0].kind == "violation"
    for f in findings:
        assert f.detector == "model"
        review = det.thresholds[f.label]["review"]
        assert f.kind == ("violation" if f.score >= review else "signal")
    assert all(f.score >= 0.05 for f in findings)
    assert [f.score for f in findings] == sorted((f.score for f in findings), reverse=True)
    for f in findings:
        assert 1 <= len(f.evidence) <= 3
        for ev in f.evidence:
            assert text[ev.start : ev.end] == ev.text and ev.source == "text"
    assert det.detect(prepare(ScanItem(id="2", text="   "))) == []


def test_train_rejects_dev_labels_it_cannot_learn(tmp_path: Path, files: dict[str, Path]) -> None:
    dev = write_jsonl(tmp_path / "dev.jsonl", [{"text": "买卖账号", "label": "spam"}])
    res = runner.invoke(
        app, ["train", str(files["train"]), "--dev", str(dev), "-o", str(tmp_path / "m")]
    )
    assert res.exit_code == 2
    assert "labels not in the training data: spam" in " ".join(res.output.split())


def test_augment_option_is_recorded_and_checked(files: dict[str, Path], model_dir: Path) -> None:
    assert load_model(model_dir).metadata["config"]["augment"] == ["initials"]  # the default
    out = files["tmp"] / "model-plain"
    args = ["train", str(files["train"]), "--dev", str(files["dev"]), "-o", str(out)]
    res = runner.invoke(app, [*args, "--augment", "none"])
    assert res.exit_code == 0, res.output
    assert "thresholds chosen on dev" in res.output
    meta = load_model(out).metadata
    assert meta["config"]["augment"] == []
    for label, (low, high) in meta["review_ranges"].items():
        assert low <= meta["thresholds"][label]["review"] <= high
    res = runner.invoke(app, [*args, "--augment", "initials,bogus"])
    assert res.exit_code == 2
    assert "--augment: unknown perturbation bogus" in res.output
    assert "Traceback" not in res.output


def test_drop_suspect_option_is_reported_recorded_and_checked(files: dict[str, Path]) -> None:
    rows = make_rows(40, seed=21)
    _td.mislabel(rows, "porn", "abuse", 2)  # porn adverts filed as abuse
    data = write_jsonl(files["tmp"] / "noisy.jsonl", rows)
    out = files["tmp"] / "model-noisy"
    args = ["train", str(data), "-o", str(out), "--augment", "none"]
    res = runner.invoke(app, [*args, "--drop-suspect", "0.05"])
    assert res.exit_code == 0, res.output
    assert "rows left out as suspect labels (--drop-suspect): 2 main" in res.output
    assert load_model(out).metadata["config"]["drop_suspect"] == 0.05
    res = runner.invoke(app, args)  # the default keeps every row
    assert res.exit_code == 0, res.output
    assert "suspect" not in res.output
    assert load_model(out).metadata["suspects_left_out"] == {"main": 0, "expert": None}
    res = runner.invoke(app, [*args, "--drop-suspect", "1.5"])
    assert res.exit_code == 2 and "Traceback" not in res.output
