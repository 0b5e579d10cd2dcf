"""The pure-numpy model core: features equal scikit-learn's, artifacts round-trip, metrics."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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
from jingwang.core.model.features import (
    InitialsFolder,
    PinyinTokenizer,
    compact_spacing,
    segment_pinyin,
    simplify_script,
    surface_form,
    surface_offsets,
    token_ngrams,
    view_offsets,
)
from jingwang.core.model.grams import GramIndex
from jingwang.core.normalize import normalize
from jingwang.training.data import load_jsonl
from jingwang.training.evaluate import make_variant
from jingwang.training.train import (
    TrainConfig,
    _f1_curve,
    _f1_threshold,
    _flat_range,
    augment_rows,
    build_pinyin_table,
    fit_featurizer,
    make_doc,
    train,
)
from support import load_module

_td = load_module("jingwang_test_model_data", Path(__file__).with_name("test_model_data.py"))
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
        ("simplified", "char", "simplified", 1, 2),
        ("compact", "char", "compact", 1, 3),
        ("initials", "initials", "normalized", 2, 3),
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


def test_simplified_form_keeps_style_and_length_but_not_script() -> None:
    assert simplify_script(surface_form("加我薇信！！發財 ＡＢＣ")) == "加我薇信!!发财 abc"
    assert surface_form("發財") == "發財"
    for text in ("發財 ＡＢＣ ①", "﷽ 發", "ﬁ發"):  # NFKC may lengthen: offsets follow it
        written, origin = view_offsets(text, "simplified")
        assert written == simplify_script(surface_form(text)) and len(origin) == len(written)
        assert all(0 <= i < len(text) for i in origin)


def test_compact_form_drops_whitespace_and_cloaking_punctuation_between_han() -> None:
    for cloaked in ("加 我 微 信", "加\n我\n微\n信", "加　我 \t微信"):
        assert compact_spacing(simplify_script(surface_form(cloaked))) == "加我微信"
    prose = "hello world 你好 ok 价格 100 元。\n\n第二段 end"
    assert compact_spacing(prose) == prose
    # spaced out (whitespace in most gaps): every inner space goes, digits and letters too
    assert compact_spacing("加 v ： 1 8 4\nw x") == "加v：184wx"
    assert compact_spacing(" 来\n人\n1\n5\n0 ") == " 来人150 "
    # punctuated out (punctuation in a quarter of the gaps between Han characters): the
    # punctuation between Han characters goes too; ordinary clauses keep theirs
    assert compact_spacing(surface_form("加，我。微、信！号？码")) == "加我微信号码"
    assert compact_spacing(surface_form("加 ， 我 。 微 、 信 ！ 号 ？ 码")) == "加我微信号码"
    sentence = surface_form("今天天气很好，我们去公园玩吧。你来吗？")
    assert compact_spacing(sentence) == sentence
    assert compact_spacing("一,二") == "一,二"  # too short to tell
    for text in (
        "加，我。微、信！号？码",
        "加 ， 我 。 微 、 信 ！ 号",
        "加 我 微\n信 ok",
        "發 財 ＡＢＣ 了",
        "﷽ 發 財",
        "  两 个  ",
        "a b c d",
        "ab cd",
    ):
        written, origin = view_offsets(text, "compact")
        assert written == compact_spacing(simplify_script(surface_form(text)))
        assert len(origin) == len(written)
        assert list(origin) == sorted(origin) and all(0 <= i < len(text) for i in origin)
        # every kept character still comes from an original character that folds to it
        assert all(
            written[k] in simplify_script(surface_form(text[origin[k]]))
            for k in range(len(written))
        )


def test_an_artifact_with_an_unknown_view_is_refused(trained) -> None:
    model, *_rest, tmp = trained
    out = tmp / "future"
    save_model(model, out)
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    meta["blocks"][0]["view"] = "hologram"
    (out / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ArtifactError, match="hologram need a newer jingwang"):
        load_model(out)


def test_initials_form_reads_words_and_their_initials_alike() -> None:
    initials_form = InitialsFolder(build_pinyin_table())
    assert initials_form("加微信") == initials_form("加WX") == "jwx"
    assert initials_form("加weixin") == initials_form("jiaWeiXin") == "jwx"
    assert initials_form("qq号 hello") == "qqh hello"
    assert initials_form("政府，zf！") == "zf zf "
    assert initials_form("买12号") == "m12h"
    assert initials_form("ｱ😀\u200b") == "   "  # nothing to read: spaces, never raises


def test_numpy_vectoriser_equals_sklearn(trained) -> None:
    model, main, _cold, _dev, cfg, _ = trained

    # The main space as training fits it: the rows, their augmented copies, and document
    # frequency counted within each group.
    originals = [make_doc(t) for t in main.texts]
    augmented = augment_rows(main.texts, cfg)
    assert augmented.docs, "the default configuration trains on initials copies"
    groups = [originals, *augmented.by_kind(np.arange(len(augmented.docs)))]
    feat = fit_featurizer(
        [*originals, *augmented.docs], cfg, build_pinyin_table(), cfg.min_df, groups
    )
    assert set(feat.vectorizers) == {
        "char",
        "pinyin",
        "surface",
        "simplified",
        "compact",
        "initials",
    }
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
        sources = {
            "normalized": normalize(original).text,
            "surface": surface_form(original),
            "simplified": simplify_script(surface_form(original)),
        }
        assert gram in sources[view]


def test_variants() -> None:
    assert make_variant("加v 12", "fullwidth") == "加ｖ\u3000１２"
    assert make_variant("发财", "traditional") == "發財"
    out = make_variant("兼职日结兼职日结", "pinyin", rate=1.0)
    assert out == "jianzhirijiejianzhirijie"
    assert make_variant("兼职日结", "pinyin") == make_variant("兼职日结", "pinyin")
    with pytest.raises(ValueError, match="unknown variant"):
        make_variant("x", "nope")


TOKENIZER_SAMPLES = [
    *SAMPLES,
    "jianzhi日结 vx123 qq号 ｆｕｌｌ",
    "富叶兼职，日赚500+，加V：abc_123！！",
    "𠀀𠀁 CJK ext-B, 豈 compatibility, 〇 and ㈠ and ²³ and 😀🎰",
    "xian xi an XiAn zhuangzhuang aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "\u3000全角空格\t\n\x1c分隔\u200b零宽",
    "未见字㐀䶵鿿 and 龥",
]


def test_fast_pinyin_tokenizer_equals_reference() -> None:
    table = build_pinyin_table()
    syllables = frozenset(table.values())
    rng = np.random.default_rng(7)
    alphabet = [*"abcxyzAZ09 _|，。！\t", "中", "国", "兼", "职", "𠀀", "😀", "²", "〇", "ａ"]
    fuzzed = ["".join(rng.choice(alphabet, size=int(rng.integers(0, 30)))) for _ in range(300)]
    randoms = ["".join(chr(int(c)) for c in rng.integers(1, 0x2FFFF, size=20)) for _ in range(200)]
    for syl in (syllables, frozenset()):
        fast = PinyinTokenizer(table, syl)
        for text in [*TOKENIZER_SAMPLES, *fuzzed, *randoms]:
            assert fast(text) == pinyin_tokens(text, table, syl), repr(text)


def test_fast_tokenizer_falls_back_for_odd_tables() -> None:
    table = {"甲": "a b", "乙": "", "丙": "xian"}  # spaced, empty: the shortcut would differ
    fast = PinyinTokenizer(table, {"xi", "an", "xian"})
    for text in ["甲乙丙", "甲 xian乙", ""]:
        assert fast(text) == pinyin_tokens(text, table, {"xi", "an", "xian"})


def _by_end_longest_first(units: list[str], vocabulary: dict[str, int], joiner: str) -> list[int]:
    """The columns of the in-vocabulary 1–4-grams of ``units``, by where each gram ends
    and longest first among grams ending at one place."""
    found = []
    for end in range(1, len(units) + 1):
        for n in range(min(4, end), 0, -1):
            gram = joiner.join(units[end - n : end])
            if gram in vocabulary:
                found.append(vocabulary[gram])
    return found


GRAM_TEXTS = [
    *TOKENIZER_SAMPLES,
    *["澳门娱乐城 澳门娱乐 娱乐城下注", "aaaa aaaa", "a  b\n\n c ", "a\0b", ""],
]


@pytest.mark.parametrize("huge_alphabet", [False, True], ids=["packed keys", "aho-corasick"])
def test_gram_index_finds_what_a_lookup_per_gram_finds(huge_alphabet: bool) -> None:
    texts = GRAM_TEXTS
    # The grams of some texts, every third one dropped, and grams no analyser makes
    # (too long, or ones that reach across a token boundary) that must never be found.
    seen = sorted({g for t in texts[-6:] for g in char_ngrams(t, 1, 4)})
    vocabulary = {g: i for i, g in enumerate(seen) if i % 3}
    vocabulary |= {"澳门娱乐城": 10_000, "aaaaa": 10_001}
    if huge_alphabet:  # more distinct characters than a 4-gram key has room for
        vocabulary |= {chr(0x20000 + i): 20_000 + i for i in range(1 << 16)}
    index = GramIndex(vocabulary, 1, 4, tokens=False)
    assert (index._table is None) == huge_alphabet
    for text in texts:
        collapsed = re.sub(r"\s\s+", " ", text)
        assert index.char_ids(text) == _by_end_longest_first(list(collapsed), vocabulary, "")
    # Enough texts for the batch lookup (a single text takes the Aho-Corasick pass).
    many = texts * 20
    assert index.char_ids_many(many) == [index.char_ids(t) for t in many]
    assert index.char_ids_many([]) == []
    table = build_pinyin_table()
    token_lists = [pinyin_tokens(t, table) for t in texts]
    seen = sorted({g for tokens in token_lists[-6:] for g in token_ngrams(tokens, 1, 2)})
    vocabulary = {g: i for i, g in enumerate(seen) if i % 3}
    vocabulary |= {"a": 20_000, "men yu le": 20_001}  # "a" inside "jia" is no token
    index = GramIndex(vocabulary, 1, 2, tokens=True)
    for tokens in [*token_lists, ["jia", "a"]]:
        expected = [vocabulary[g] for g in token_ngrams(tokens, 1, 2) if g in vocabulary]
        assert sorted(index.token_ids(tokens)) == sorted(expected), tokens
    many_lists = token_lists * 20
    assert index.token_ids_many(many_lists) == [index.token_ids(t) for t in many_lists]
    assert GramIndex({}, 1, 4, tokens=False).char_ids("任何文本") == []
    with pytest.raises(ValueError, match="token_ids"):
        index.char_ids("jia a")
    with pytest.raises(ValueError, match="char_ids"):
        GramIndex({}, 1, 4, tokens=False).token_ids(["jia"])


def test_gram_index_orders_token_grams_by_end_then_length() -> None:
    vocabulary = {"jia": 1, "jia wei": 2, "wei": 3, "wei xin": 4, "xin": 5}
    index = GramIndex(vocabulary, 1, 2, tokens=True)
    assert index.token_ids(["jia", "wei", "xin", "|"]) == [1, 2, 3, 4, 5]


def test_vectorised_scores_equal_a_per_head_reference(trained) -> None:
    """raw_scores (one gather and matmul for every head) against the textbook formula:
    Σ over the head's blocks of value · coef[column], plus the intercept."""
    model, main, *_ = trained
    samples = [*main.texts[:15], "澳门娱乐城下注", "jianzhi日结", "", "！！", "x"]
    for original in samples:
        text = normalize(original).text
        raw = model.raw_scores(text, original)
        for name, head in model.heads.items():
            feats = model.transform(text, head.space, original)
            expected = head.intercept.astype(np.float64).copy()
            for block_name, coef in head.coef.items():
                for col, value in feats[block_name].items():
                    expected += value * coef[col].astype(np.float64)
            assert np.allclose(raw[name], expected, rtol=1e-5, atol=1e-6), (name, original)
        probs = model.predict(text, original).probabilities
        fused = model.fuse(model.head_probabilities(text, original))
        assert probs == tuple(float(p) for p in fused)
        heads = {n: h.calibrate(raw[n]) for n, h in model.heads.items()}
        assert np.array_equal(model.fuse(heads), fused)


def test_a_batch_scores_each_text_as_it_scores_alone(trained) -> None:
    """predict_many does the numpy work once for the batch; every text's probabilities
    are still bit for bit those it gets alone, whatever the batch around it."""
    model, main, *_ = trained
    originals = [*main.texts[:40], "", "！！", "澳门娱乐城下注", main.texts[0]]
    texts = [normalize(t).text for t in originals]
    alone = [model.predict(text, original) for text, original in zip(texts, originals, strict=True)]
    assert model.predict_many(texts, originals) == alone
    assert model.predict_many(texts[::-1], originals[::-1]) == alone[::-1]
    proba = model.predict_proba(texts, originals)
    assert proba.shape == (len(texts), len(model.labels))
    assert [tuple(row) for row in proba.tolist()] == [p.probabilities for p in alone]
    assert model.predict_proba([], []).shape == (0, len(model.labels))


def test_feature_memo_never_leaks_between_texts(trained) -> None:
    model, *_ = trained
    pairs = [
        ("澳门娱乐城真人百家乐", None),
        ("澳门娱乐城真人百家乐", "兼职日结，高佣金"),  # same normal form, other surface text
        ("关于地域问题，我觉得应该理性讨论", None),
    ]
    first = [model.predict(text, original) for text, original in pairs]
    assert first[0] != first[1]
    for _ in range(2):
        for (text, original), expected in reversed(list(zip(pairs, first, strict=True))):
            assert model.predict(text, original) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"加我微信a1 \n\t，。!_😀❤發ＡＢ①﷽"]), max_size=30))
def test_compact_offsets_agree_with_the_compact_form(text: str) -> None:
    written, origin = view_offsets(text, "compact")
    assert written == compact_spacing(simplify_script(surface_form(text)))
    assert len(origin) == len(written)
    assert list(origin) == sorted(origin) and all(0 <= i < len(text) for i in origin)


def test_review_threshold_is_the_best_f1_and_its_flat_range_is_reported() -> None:
    # five positives at 0.9; three negatives between 0.25 and 0.45: flagging from 0.50
    # up to 0.90 catches every positive and no negative.
    p = np.array([0.9] * 5 + [0.25, 0.35, 0.45])
    pos = np.array([True] * 5 + [False] * 3)
    curve = _f1_curve(p, pos, np.ones(len(p)))
    assert dict(curve)[0.5] == dict(curve)[0.9] == 1.0 > dict(curve)[0.45]
    assert _f1_threshold(curve) == 0.5  # the lowest of the tied best
    assert _flat_range(curve) == [0.5, 0.9]
