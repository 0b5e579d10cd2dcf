"""Suspect labels: training rows whose own label the out-of-fold stacker finds implausible
are left out of the multi-class heads' final fit."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from jingwang.core.normalize import normalize
from jingwang.training.data import load_jsonl
from jingwang.training.train import Augmented, TrainConfig, make_doc, suspect_rows, train
from support import load_module

_td = load_module("jingwang_test_model_data", Path(__file__).with_name("test_model_data.py"))

CFG = TrainConfig(
    seed=5, folds=3, blocks=(("char", "char", "normalized", 1, 3),), augment=(), drop_suspect=0.05
)


def scores_for(y: list[str], reads_as: list[str], labels: list[str]) -> np.ndarray:
    """Out-of-fold-like scores: a clear margin for the label each row reads as."""
    rng = np.random.default_rng(0)
    out = rng.normal(0.0, 0.3, size=(len(y), len(labels)))
    for i, label in enumerate(reads_as):
        out[i, labels.index(label)] += 3.0
    return out


def test_rows_that_read_as_another_label_are_suspect() -> None:
    labels = ["abuse", "fraud", "normal"]
    y = [labels[i % 3] for i in range(60)]
    reads_as = list(y)
    planted = [4, 17, 31]
    for i in planted:
        reads_as[i] = labels[(labels.index(y[i]) + 1) % 3]
    suspect = suspect_rows(scores_for(y, reads_as, labels), np.array(y), CFG)
    assert np.flatnonzero(suspect).tolist() == planted


def test_nothing_is_suspect_when_disabled_or_when_a_label_would_run_short() -> None:
    labels = ["abuse", "fraud", "normal"]
    y = [labels[i % 3] for i in range(60)]
    reads_as = list(y)
    reads_as[4] = "fraud"
    oof = scores_for(y, reads_as, labels)
    assert not suspect_rows(oof, np.array(y), replace(CFG, drop_suspect=0.0)).any()
    # every abuse row reads as fraud: leaving them all out would leave abuse no rows
    all_abuse = ["fraud" if label == "abuse" else label for label in y]
    suspect = suspect_rows(scores_for(y, all_abuse, labels), np.array(y), CFG)
    assert not suspect[np.array(y) == "abuse"].any()


def test_copies_follow_the_rows_they_copy() -> None:
    docs = [make_doc(t) for t in ("复制一", "复制二", "复制三")]
    copies = Augmented(docs, np.array([0, 2, 3]), np.array(["initials", "pinyin", "initials"]))
    kept = copies.of(np.array([1, 2, 3]))
    assert kept.sources.tolist() == [1, 2]  # rows 2 and 3 are positions 1 and 2
    assert kept.docs == docs[1:]
    assert kept.kinds.tolist() == ["pinyin", "initials"]
    assert copies.within(2, 4).sources.tolist() == copies.of(np.array([2, 3])).sources.tolist()


def test_training_leaves_mislabelled_rows_out(tmp_path: Path) -> None:
    rows = _td.make_rows(40, seed=3)
    abuse = _td.mislabel(rows, "abuse", "gambling", 3)  # insults filed as gambling
    data = load_jsonl(_td.write_jsonl(tmp_path / "train.jsonl", rows))
    kept = train([data], cfg=CFG).model
    assert kept.metadata["suspects_left_out"] == {"main": 3, "expert": None}
    every = train([data], cfg=replace(CFG, drop_suspect=0.0)).model
    assert every.metadata["suspects_left_out"]["main"] == 0

    text = rows[abuse[0]]["text"]

    def gambling(model) -> float:
        return model.predict(normalize(text).text, text).as_dict()["gambling"]

    assert gambling(kept) < gambling(every)
