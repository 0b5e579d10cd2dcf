"""The domain expert: the largest multi-class file gets a head of its own, mixed with the
main head (all files) by a domain gate."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from jingwang.core.model import load_model, save_model
from jingwang.core.model.linear import LinearModel
from jingwang.core.normalize import normalize
from jingwang.training.data import load_jsonl
from jingwang.training.train import TrainConfig, expert_rows, train
from support import load_module

_td = load_module("jingwang_test_model_data", Path(__file__).with_name("test_model_data.py"))

CFG = TrainConfig(seed=5, folds=3, blocks=(("char", "char", "normalized", 1, 3),), augment=())


def chat_rows(n: int, seed: int) -> list[dict[str, str]]:
    """A small second domain in its own style (群里 …, 哈哈), where fraud words are talked
    about in normal messages: the two files disagree about them."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        word = rng.choice(_td.VOCAB["fraud"])
        rows.append({"text": f"群里有人说{word}是骗人的哈哈", "label": "normal"})
        rows.append({"text": f"群里{rng.choice(_td.VOCAB['abuse'])}哈哈", "label": "abuse"})
        rows.append({"text": f"群里{rng.choice(_td.VOCAB['porn'])}私我哈哈", "label": "porn"})
    rng.shuffle(rows)
    return rows


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("expert")
    big = load_jsonl(_td.write_jsonl(tmp / "big.jsonl", _td.make_rows(30, seed=1)))
    chat = load_jsonl(_td.write_jsonl(tmp / "chat.jsonl", chat_rows(12, seed=2)))
    return big, chat, tmp


@pytest.fixture(scope="module")
def model(files):
    big, chat, _tmp = files
    return train([chat, big], cfg=CFG).model


def probabilities(model, text: str) -> dict[str, float]:
    return model.predict(normalize(text).text, text).as_dict()


def test_the_largest_file_gets_the_expert_head(model, files) -> None:
    big, chat, _tmp = files
    assert model.fusion["expert"] == {"head": "expert", "gate": "domain", "power": 2.0}
    assert model.heads["expert"].classes == model.labels
    assert Path(model.metadata["training_data"]["expert"]["file"]).name == "big.jsonl"
    # file order is kept: the chat file's rows come first
    assert expert_rows([chat, big], CFG) == (len(chat.texts), len(chat.texts) + len(big.texts))


def test_the_gate_tells_the_domains_apart(model) -> None:
    def share(text: str) -> float:
        return float(model.head_probabilities(normalize(text).text, text)["domain"][0])

    assert share("我们快来刷单返利的朋友") > 0.5
    assert share("群里有人说刷单返利是骗人的哈哈") < 0.5


def test_each_domain_keeps_its_own_notion(model) -> None:
    """The big file calls fraud words fraud; the chat file calls talk about them normal."""
    big_style = probabilities(model, "大家刷单返利真的高佣金")
    chat_style = probabilities(model, "群里有人说高佣金是骗人的哈哈")
    assert max(big_style, key=big_style.__getitem__) == "fraud"
    assert max(chat_style, key=chat_style.__getitem__) == "normal"


def test_fusion_mixes_expert_and_main_by_the_gate_squared(model) -> None:
    for text in ("大家刷单返利真的高佣金", "群里脑残哈哈", "", "x"):
        heads = model.head_probabilities(normalize(text).text, text)
        share = float(heads["domain"][0]) ** 2
        expected = share * heads["expert"].astype(np.float64) + (1 - share) * heads["main"].astype(
            np.float64
        )
        assert np.allclose(model.fuse(heads), expected, atol=1e-6)


def test_round_trip_keeps_the_expert(model, files) -> None:
    _big, _chat, tmp = files
    save_model(model, tmp / "artifact")
    loaded = load_model(tmp / "artifact")
    text = "群里有人说高佣金是骗人的哈哈"
    assert loaded.fusion["expert"] == model.fusion["expert"]
    assert probabilities(loaded, text) == pytest.approx(probabilities(model, text), abs=1e-6)


def test_no_expert_when_off_or_with_one_file(files) -> None:
    big, chat, _tmp = files
    off = TrainConfig(seed=5, folds=3, blocks=CFG.blocks, augment=(), expert=False)
    assert expert_rows([chat, big], off) is None
    assert expert_rows([big], CFG) is None
    assert "expert" not in train([chat, big], cfg=off).model.fusion


def test_no_expert_when_the_largest_file_is_too_small_to_fold(files) -> None:
    big, chat, _tmp = files
    tiny = TrainConfig(seed=5, folds=40, blocks=CFG.blocks, augment=())
    assert expert_rows([chat, big], tiny) is None


@pytest.mark.parametrize(
    ("expert", "message"),
    [
        ({"head": "domain", "gate": "domain"}, "fusion.expert.head"),
        ({"head": "expert", "gate": "main"}, "fusion.expert.gate"),
        ({"head": "expert", "gate": "domain", "power": 0}, "fusion.expert.power"),
    ],
)
def test_an_artifact_with_a_broken_expert_is_refused(model, expert, message) -> None:
    with pytest.raises(ValueError, match=message):
        LinearModel(
            labels=model.labels,
            blocks=list(model.blocks.values()),
            spaces=list(model.spaces.values()),
            heads=list(model.heads.values()),
            pinyin_table=model.pinyin_table,
            fusion={**model.fusion, "expert": expert},
        )


def test_expert_training_is_deterministic(model, files) -> None:
    big, chat, _tmp = files
    again = train([chat, big], cfg=CFG).model
    for name in ("expert", "domain"):
        for block, coef in model.heads[name].coef.items():
            assert np.array_equal(coef, again.heads[name].coef[block])
        assert np.array_equal(model.heads[name].cal_intercept, again.heads[name].cal_intercept)


def test_only_the_expert_looks_for_suspect_labels(files) -> None:
    """Beside a larger file, a small file's hard negatives would read as mislabelled: the
    main head keeps every row, the expert (one file alone) leaves mislabelled ones out."""
    _big, chat, tmp = files
    rows = _td.make_rows(40, seed=3)
    _td.mislabel(rows, "abuse", "gambling", 3)
    noisy = load_jsonl(_td.write_jsonl(tmp / "noisy.jsonl", rows))
    cfg = replace(CFG, drop_suspect=0.05)
    left_out = train([chat, noisy], cfg=cfg).model.metadata["suspects_left_out"]
    assert left_out["main"] == 0
    assert left_out["expert"] >= 1
