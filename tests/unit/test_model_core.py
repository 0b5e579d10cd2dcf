"""The pure-numpy model core: features equal scikit-learn's, artifacts round-trip, metrics."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score, precision_recall_fscore_support

from jingwang.core.model import (
    ArtifactError,
    char_ngrams,
    classification_report,
    load_model,
    pinyin_tokens,
    save_model,
)
from jingwang.core.model.features import segment_pinyin, surface_form, surface_offsets
from jingwang.core.normalize import normalize
from jingwang.training.data import load_jsonl
from jingwang.training.evaluate import make_variant
from jingwang.training.train import (
    TrainConfig,
    build_pinyin_table,
    fit_featurizer,
    make_doc,
    train,
)


def _testdata():  # tests run with --import-mode=importlib: load the sibling helper by path
    name = "jingwang_test_model_data"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("test_model_data.py")
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_td = _testdata()
cold_like_rows = _td.cold_like_rows
make_rows = _td.make_rows
write_jsonl = _td.write_jsonl


SAMPLES = [
    "加拿大28  下注\n\n赢钱",
    "a  b\tc",
    "你好",
    "x",
    "",
    "兼职 日结，高佣金！！",
    "  两个  空格  ",
]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("model")
    main = load_jsonl(write_jsonl(tmp / "main.jsonl", make_rows(30, seed=1)))
    cold = load_jsonl(write_jsonl(tmp / "cold.jsonl", cold_like_rows(30, seed=2)))
    dev = load_jsonl(write_jsonl(tmp / "dev.jsonl", make_rows(8, seed=3)))
    blocks = (
        ("char", "char", "normalized", 1, 4),
        ("pinyin", "pinyin", "normalized", 1, 2),
        ("surface", "char", "surface", 1, 3),
    )
    cfg = TrainConfig(seed=5, folds=3, blocks=blocks)
    result = train([main, cold], dev=[dev], cfg=cfg)
    return result.model, main, cold, dev, cfg, tmp


def test_char_ngrams_equal_sklearn_char_analyzer() -> None:
    analyzer = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 4), lowercase=False
    ).build_analyzer()
    for text in SAMPLES:
        assert char_ngrams(text, 1, 4) == analyzer(text)


def test_pinyin_tokens_make_homophones_share_features() -> None:
    table = {"富": "fu", "副": "fu", "叶": "ye", "业": "ye"}
    assert pinyin_tokens("富叶", table) == pinyin_tokens("副业", table) == ["fu", "ye"]
    assert pinyin_tokens("加v abc12!", table) == ["加", "v", "|", "abc12", "|"]


def test_numpy_vectoriser_equals_sklearn(trained) -> None:
    model, main, _cold, _dev, cfg, _ = trained

    feat = fit_featurizer([make_doc(t) for t in main.texts], cfg, build_pinyin_table(), cfg.min_df)
    assert set(feat.vectorizers) == {"char", "pinyin", "surface"}
    samples = [
        *main.texts[:20],
        "加拿大28下注  约炮！！",
        "ＦＵＬＬ width 完全没见过的字",
        "jianzhi日结",
        "",
    ]
    for original in samples:
        ours = model.transform(normalize(original).text, "main", original)
        for block_name, vec in feat.vectorizers.items():
            row = vec.transform([make_doc(original)])
            names = vec.get_feature_names_out()
            expected = {names[j]: v for j, v in zip(row.indices, row.data, strict=True)}
            vocab = model.blocks[block_name].vocabulary
            got = {vocab[c]: v for c, v in ours[block_name].items()}
            assert got.keys() == expected.keys()
            for gram, value in expected.items():
                assert got[gram] == pytest.approx(value, rel=1e-5, abs=1e-7)


def test_predicts_synthetic_labels(trained) -> None:
    model, *_ = trained
    test = make_rows(10, seed=99)
    probs = model.predict_proba(
        [normalize(r["text"]).text for r in test], [r["text"] for r in test]
    )
    pred = [model.labels[i] for i in probs.argmax(axis=1)]
    acc = np.mean([p == r["label"] for p, r in zip(pred, test, strict=True)])
    assert acc >= 0.9
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert model.predict("澳门娱乐城下注赢钱").label == "gambling"


def test_aux_domain_is_fused_not_mixed(trained) -> None:
    model, *_ = trained
    assert model.fusion["aux"]["head"] == "aux"
    meta = model.metadata["training_data"]
    assert [Path(s["file"]).name for s in meta["aux"]] == ["cold.jsonl"]
    p = model.predict("说南方人的都是垃圾，真恶心").as_dict()
    q = model.predict("关于地域问题，我觉得应该理性讨论").as_dict()
    assert p["abuse"] > p["normal"]
    assert q["normal"] > q["abuse"]


def test_artifact_round_trip(trained) -> None:
    model, _main, _cold, dev, _cfg, tmp = trained
    out = tmp / "artifact"
    save_model(model, out)
    assert sorted(p.name for p in out.iterdir()) == [
        "model.json",
        "pinyin.json",
        "vocab.json",
        "weights.npz",
    ]
    with np.load(out / "weights.npz", allow_pickle=False) as npz:
        assert all(npz[k].dtype != object for k in npz.files)
    loaded = load_model(out)
    texts = [normalize(t).text for t in dev.texts]
    a, b = model.predict_proba(texts, dev.texts), loaded.predict_proba(texts, dev.texts)
    assert np.abs(a - b).max() < 1e-5
    save_model(loaded, tmp / "again")
    assert np.array_equal(load_model(tmp / "again").predict_proba(texts, dev.texts), b)
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert meta["format"] == "jingwang-linear-v1"
    assert set(meta["thresholds"]) == {"gambling", "porn", "fraud", "abuse"}
    assert all(len(s["sha256"]) == 64 for s in meta["training_data"]["main"])


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(ArtifactError, match="no such model directory"):
        load_model(tmp_path / "nope")
    (tmp_path / "model.json").write_text('{"format": "other"}')
    with pytest.raises(ArtifactError, match="not a jingwang-linear-v1"):
        load_model(tmp_path)


def test_training_is_deterministic(trained) -> None:
    model, main, cold, _dev, cfg, _ = trained
    again = train([main, cold], cfg=cfg).model
    for name, head in model.heads.items():
        for block, coef in head.coef.items():
            assert np.array_equal(coef, again.heads[name].coef[block])
        assert np.array_equal(head.cal_coef, again.heads[name].cal_coef)


def test_classification_report_matches_sklearn() -> None:
    y = ["a", "b", "c", "a", "b", "c", "a", "a"]
    p = ["a", "b", "b", "a", "c", "c", "b", "a"]
    rep = classification_report(y, p, labels=["a", "b", "c"])
    prec, rec, f1, sup = precision_recall_fscore_support(y, p, labels=["a", "b", "c"])
    for i, m in enumerate(rep.per_class):
        assert (m.precision, m.recall, m.f1, m.support) == pytest.approx(
            (prec[i], rec[i], f1[i], sup[i])
        )
    assert rep.macro_f1 == pytest.approx(f1_score(y, p, average="macro"))
    assert rep.accuracy == pytest.approx(5 / 8)
    assert rep.confusion[0] == (3, 1, 0)


def test_pinyin_segmentation_and_surface_offsets() -> None:
    syllables = frozenset({"jian", "zhi", "ri", "jie", "xi", "an", "xian"})
    assert segment_pinyin("jianzhi", syllables) == ["jian", "zhi"]
    assert segment_pinyin("xian", syllables) == ["xian"]  # fewest syllables wins
    assert segment_pinyin("vx", syllables) == ["vx"]
    assert pinyin_tokens("jianzhi日结", {"日": "ri", "结": "jie"}, syllables) == [
        "jian",
        "zhi",
        "ri",
        "jie",
    ]
    text = "ＡＢ㎏c"  # ㎏ folds to two characters
    surface, origin = surface_offsets(text)
    assert surface == "abkgc"
    assert origin == [0, 1, 2, 2, 3]


def test_top_grams_point_into_their_view(trained) -> None:
    model, *_ = trained
    original = "快来 澳门娱乐城 下注！！"
    grams = model.top_grams(normalize(original).text, "gambling", k=3, original=original)
    assert grams and len(grams) <= 3
    for view, gram, weight in grams:
        assert weight > 0
        source = normalize(original).text if view == "normalized" else surface_form(original)
        assert gram in source


def test_variants() -> None:
    assert make_variant("加v 12", "fullwidth") == "加ｖ\u3000１２"
    assert make_variant("发财", "traditional") == "發財"
    out = make_variant("兼职日结兼职日结", "pinyin", rate=1.0)
    assert out == "jianzhirijiejianzhirijie"
    assert make_variant("兼职日结", "pinyin") == make_variant("兼职日结", "pinyin")
    with pytest.raises(ValueError, match="unknown variant"):
        make_variant("x", "nope")
