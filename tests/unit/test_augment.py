"""Training on perturbed copies: copies stay in their source's fold and do not inflate
the vocabulary."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold

import jingwang.training.train as train_module
from jingwang.training.perturb import perturb
from jingwang.training.train import (
    Augmented,
    TrainConfig,
    _oof,
    augment_rows,
    build_pinyin_table,
    fit_featurizer,
    make_doc,
)

TEXTS = [
    "加微信领取高佣金兼职",
    "今天天气真不错我们去爬山",
    "澳门娱乐城在线下注赢钱",
    "abc 123",  # no Han word: initials leave it unchanged
    "免费看色情视频请私聊",
    "周末一起吃饭看电影吧",
]
CFG = TrainConfig(seed=3, folds=3, augment=("initials", "pinyin"), augment_rate=0.5)


def test_copies_are_seeded_perturbations_of_changed_rows() -> None:
    augmented = augment_rows(TEXTS, CFG)
    assert len(augmented.docs) == len(augmented.sources) == len(augmented.kinds)
    assert set(augmented.kinds.tolist()) == {"initials", "pinyin"}
    assert 3 not in augmented.sources.tolist()  # unchanged rows are not copied
    for doc, source, kind in zip(augmented.docs, augmented.sources, augmented.kinds, strict=True):
        copy = perturb(TEXTS[source], str(kind), seed=CFG.seed, rate=CFG.augment_rate)
        assert copy != TEXTS[source]
        assert doc == make_doc(copy)
    again = augment_rows(TEXTS, CFG)
    assert again.docs == augmented.docs and np.array_equal(again.sources, augmented.sources)


def test_no_row_is_scored_by_a_fold_that_trained_on_its_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [f"{t}{n}号" for n in "一二三" for t in TEXTS]  # every row distinct
    labels = np.array(["spam", "normal"] * (len(texts) // 2))
    augmented = augment_rows(texts, CFG)
    fitted_on: list[list[tuple[str, str, str]]] = []
    real_fit_featurizer = train_module.fit_featurizer

    def recording_fit_featurizer(docs, *args, **kwargs):  # type: ignore[no-untyped-def]
        fitted_on.append(list(docs))
        return real_fit_featurizer(docs, *args, **kwargs)

    monkeypatch.setattr(train_module, "fit_featurizer", recording_fit_featurizer)
    cfg = TrainConfig(seed=3, folds=3, blocks=(("s", "char", "simplified", 1, 1),))
    _oof(
        [make_doc(t) for t in texts],
        y=labels,
        strat=labels,
        fit=lambda x, y: (np.zeros((x.shape[1], 1)), np.zeros(1)),
        cfg=cfg,
        table=build_pinyin_table(),
        min_df=1,
        augmented=augmented,
    )
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=3).split(texts, labels)
    for (train_rows, test_rows), docs in zip(folds, fitted_on, strict=True):
        trained = {i for i, doc in enumerate(augmented.docs) if doc in docs}
        assert trained == set(augmented.of_rows(train_rows).tolist())
        assert not set(augmented.sources[sorted(trained)].tolist()) & set(test_rows.tolist())


def test_a_gram_of_one_row_and_its_copy_does_not_reach_min_df() -> None:
    cfg = TrainConfig(blocks=(("s", "char", "simplified", 1, 1),))
    table = build_pinyin_table()
    originals = [make_doc(t) for t in ("甲乙", "甲丙", "丁戊")]
    copies = [make_doc("丁戊x")]  # a copy of the third row
    plain = fit_featurizer([*originals, *copies], cfg, table, min_df=2)
    grouped = fit_featurizer([*originals, *copies], cfg, table, 2, [originals, copies])
    assert "丁" in plain.vectorizers["s"].vocabulary_  # counted twice without groups
    assert set(grouped.vectorizers["s"].vocabulary_) == {"甲"}


@pytest.mark.parametrize("rows", [np.array([0, 2]), np.array([], dtype=np.int64)])
def test_of_rows_selects_copies_by_source(rows: np.ndarray) -> None:
    augmented = Augmented(
        [("a",) * 4, ("b",) * 4, ("c",) * 4],
        np.array([0, 1, 2]),
        np.array(["pinyin", "pinyin", "initials"]),
    )
    picked = augmented.of_rows(rows)
    assert augmented.sources[picked].tolist() == rows.tolist()
    assert [len(g) for g in augmented.by_kind(np.arange(3))] == [1, 2]


def test_the_gate_gets_each_domains_missing_evasions_and_keeps_row_offsets() -> None:
    main = augment_rows(TEXTS, CFG, ["initials"])
    extra = train_module._missing_copies(TEXTS, CFG, ["initials"], ["initials", "pinyin"])
    assert set(extra.kinds.tolist()) == {"pinyin"}
    assert not len(train_module._missing_copies(TEXTS, CFG, ["pinyin"], ["pinyin"]).docs)
    both = main.followed_by(extra, 0).followed_by(main, len(TEXTS))
    assert len(both.docs) == 2 * len(main.docs) + len(extra.docs)
    tail = both.sources[len(main.docs) + len(extra.docs) :]
    assert np.array_equal(tail, main.sources + len(TEXTS))


def test_copies_of_a_row_range_are_renumbered() -> None:
    augmented = augment_rows(TEXTS, CFG)
    lo, hi = 1, len(TEXTS) - 1
    part = augmented.within(lo, hi)
    inside = (augmented.sources >= lo) & (augmented.sources < hi)
    assert part.docs == [augmented.docs[k] for k in np.flatnonzero(inside)]
    assert part.sources.tolist() == (augmented.sources[inside] - lo).tolist()
    assert part.kinds.tolist() == augmented.kinds[inside].tolist()
