"""Seeded evasion perturbations (``jingwang.training.perturb``) and ``eval --perturb``."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jingwang.cli.main import app
from jingwang.training.data import Dataset
from jingwang.training.perturb import (
    PERTURBATIONS,
    parse_perturbations,
    perturb,
    perturb_dataset,
    robustness,
)

ELIGIBLE = {
    "pinyin": "加微信看美女直播",
    "initials": "加微信看美女直播",
    "homophone": "加微信看美女直播",
    "traditional": "这个网站的东西很便宜",
    "split": "河湖说钱妈娼",
    "radical": "河湖说钱妈娼",
    "emoji": "我的猫和狗都很好",
    "emoji_runs": "出售听话水",
    "symbols": "加微信看美女",
    "punctuation": "加微信看美女",
    "zero_width": "加微信看美女",
    "fullwidth": "QQ 123 vx",
    "numerals": "电话 13800138000",
}
RATE_BASED = [k for k in PERTURBATIONS if k not in {"traditional", "fullwidth"}]

# Every code point, lone surrogates included, with Han characters over-represented.
any_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from("0123456789 *氵亻"),
    ),
    max_size=40,
)


def test_every_kind_has_an_eligible_sample() -> None:
    assert set(ELIGIBLE) == set(PERTURBATIONS)


@pytest.mark.parametrize("kind", PERTURBATIONS)
def test_deterministic_and_changes_eligible_text(kind: str) -> None:
    text = ELIGIBLE[kind]
    first = perturb(text, kind, seed=7)
    assert first == perturb(text, kind, seed=7)
    assert first != text
    for seed in range(20):  # every seed changes an eligible text
        assert perturb(text, kind, seed=seed) != text


@pytest.mark.parametrize("kind", RATE_BASED)
def test_rate_zero_changes_nothing(kind: str) -> None:
    assert perturb(ELIGIBLE[kind], kind, rate=0.0) == ELIGIBLE[kind]


def test_seed_matters_somewhere() -> None:
    text = "我们一起去河边看看那些可爱的小猫和小狗吧"
    for kind in ("pinyin", "homophone", "symbols", "zero_width", "emoji"):
        assert len({perturb(text, kind, seed=s) for s in range(6)}) > 1, kind


def test_examples_look_like_the_evasion() -> None:
    assert "jia" in perturb("加", "pinyin", rate=1.0)
    assert perturb("微信", "initials", rate=1.0) == "wx"
    assert perturb("网站", "traditional") == "網站"
    assert perturb("河", "split", rate=1.0) in {"水可", "氵可"}
    assert perturb("河", "radical", rate=1.0) == "\u2ea1可"  # CJK RADICAL WATER ONE
    assert perturb("口", "radical", rate=1.0) == "\u2f1d"  # KANGXI RADICAL MOUTH
    assert unicodedata.normalize("NFKC", perturb("口", "radical", rate=1.0)) == "口"
    assert perturb("Ab 1", "fullwidth") == "Ａｂ\u3000１"
    assert perturb("1", "numerals", rate=1.0) in {"①", "壹"}
    homophone = perturb("美", "homophone", rate=1.0)
    assert homophone != "美"
    assert "mei" in perturb(homophone, "pinyin", rate=1.0)
    punctuated = perturb("加微信", "punctuation", rate=1.0)
    assert punctuated[0] == "加" and punctuated[-1] == "信" and "微" in punctuated
    assert set(punctuated) - set("加微信") <= set("，。、！？；：～……")
    assert set(perturb("加微信", "zero_width", rate=1.0)) - set("加微信") <= {
        "\u200b",
        "\u200c",
        "\u2060",
    }


@pytest.mark.parametrize("kind", PERTURBATIONS)
@settings(max_examples=40, deadline=None)
@given(text=any_text, seed=st.integers(0, 2**32), rate=st.floats(0.0, 1.0))
def test_never_raises(kind: str, text: str, seed: int, rate: float) -> None:
    out = perturb(text, kind, seed=seed, rate=rate)
    assert isinstance(out, str)
    assert out == perturb(text, kind, seed=seed, rate=rate)


def test_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown perturbation"):
        perturb("x", "leet")


def test_parse_perturbations() -> None:
    assert parse_perturbations("all") == PERTURBATIONS
    assert parse_perturbations("pinyin, zero-width,pinyin") == ("pinyin", "zero_width")
    for bad in ("", "pinyin,leet", "all,pinyin"):
        with pytest.raises(ValueError, match="unknown perturbation"):
            parse_perturbations(bad)


def test_dataset_keeps_labels_and_robustness_reports_deltas() -> None:
    data = Dataset(
        "d.jsonl", ("加微信看美女", "今天天气很好", "abc"), ("porn", "normal", "normal"), "0"
    )
    for kind in PERTURBATIONS:
        perturbed = perturb_dataset(data, kind, seed=3)
        assert perturbed.labels == data.labels
        assert len(perturbed.texts) == len(data.texts)
        assert perturbed.path == f"d.jsonl#{kind}"
    results = robustness(lambda ds: (0.5, 0.25), data, ["symbols", "fullwidth"], clean_macro_f1=0.5)
    assert [r.kind for r in results] == ["symbols", "fullwidth"]
    assert results[0].delta_macro_f1 == pytest.approx(-0.25)
    assert results[0].changed == pytest.approx(1.0)  # every row has a gap, "abc" too
    assert results[1].changed == pytest.approx(1 / 3)  # only "abc" has ASCII
    assert results[1].to_dict()["changed_rows"] == pytest.approx(0.3333)


# --- CLI -----------------------------------------------------------------------------

runner = CliRunner()

ROWS = [
    ("加微信看美女裸聊视频，一夜情约炮", "porn"),
    ("同城约炮小姐上门服务加微信", "porn"),
    ("澳门赌场在线开户，百家乐充值送彩金", "gambling"),
    ("时时彩平台稳赚不赔，加群下注", "gambling"),
    ("今天天气很好，我们去公园散步吧", "normal"),
    ("这本书写得很好，推荐大家看看", "normal"),
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("perturb") / "tiny.jsonl"
    path.write_text(
        "".join(json.dumps({"text": t, "label": lab}, ensure_ascii=False) + "\n" for t, lab in ROWS)
    )
    return path


@pytest.mark.parametrize("pipeline", [False, True])
def test_cli_perturb(tiny: Path, tmp_path: Path, pipeline: bool) -> None:
    report = tmp_path / "r.json"
    args = ["eval", str(tiny), "--perturb", "all", "--perturb-rate", "0.5", "--seed", "5"]
    args += ["--json-out", str(report)] + (["--pipeline"] if pipeline else [])
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "robustness" in res.output and "zero_width" in res.output
    payload = json.loads(report.read_text())
    section = payload["perturbations"]
    assert section["seed"] == 5 and section["rate"] == 0.5
    assert list(section["results"]) == list(PERTURBATIONS)
    name = "pipeline" if pipeline else "model"
    assert payload["evaluated"] == name
    clean = payload[name]["macro_f1"]
    assert section["clean"]["macro_f1"] == pytest.approx(clean, abs=1e-4)
    for row in section["results"].values():
        assert row["delta_macro_f1"] == pytest.approx(row["macro_f1"] - clean, abs=2e-4)
        assert 0.0 <= row["changed_rows"] <= 1.0


def test_cli_perturb_errors(tiny: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["eval", str(tiny), "--perturb", "leet"])
    assert res.exit_code == 2
    assert "unknown perturbation" in res.output
    res = runner.invoke(app, ["eval", str(tiny), "--pipeline", "--model", str(tmp_path)])
    assert res.exit_code == 2
    assert "JINGWANG_MODEL_DIR" in res.output
