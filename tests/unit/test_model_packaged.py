"""The committed default model: loads without scikit-learn, and meets its dev figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jingwang.core.detect.base import prepare
from jingwang.core.detect.model import ModelDetector, default_model_dir, reads_as_latin_prose
from jingwang.core.model import load_model
from jingwang.core.types import ScanItem
from jingwang.training.data import load_jsonl
from jingwang.training.evaluate import evaluate_model

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def _shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


@pytest.fixture(scope="module")
def model():
    return load_model(default_model_dir())


def test_packaged_model_is_small_and_pickle_free(model) -> None:
    root = default_model_dir()
    files = {p.name: p.stat().st_size for p in root.iterdir() if p.is_file()}
    assert {"model.json", "vocab.json", "pinyin.json", "weights.npz", "MODEL_CARD.md"} <= set(files)
    assert sum(files.values()) < 15_000_000
    meta = json.loads((root / "model.json").read_text(encoding="utf-8"))
    assert "NON-COMMERCIAL" in meta["licence_note"]
    assert set(meta["labels"]) == {"gambling", "porn", "abuse", "fraud", "illicit_ads", "normal"}
    assert all({"review", "block"} <= set(t) for t in meta["thresholds"].values())


def test_packaged_model_flags_obvious_cases(model) -> None:
    det = ModelDetector(model)
    cases = {
        "澳门娱乐城真人百家乐，充值就送，加微信下注": "gambling",
        "高佣金兼职，日赚五百，在家就能做，有意私聊": "fraud",
        "股票老师免费推荐牛股，加群带你稳赚": "fraud",
        "约炮上门服务，同城空降": "porn",
    }
    for text, label in cases.items():
        findings = det.detect(prepare(ScanItem(id="x", text=text)))
        assert findings and findings[0].label == label, (text, findings)
    normal = det.detect(prepare(ScanItem(id="n", text="明天下午三点开会，请大家准时参加")))
    assert all(f.score < 0.5 for f in normal)


@pytest.mark.parametrize(
    ("text", "prose"),
    [
        ("ok see you later", True),
        ("lol that's so funny", True),
        ("can you send me the file please", True),
        ("wo men ming tian jian ba ji de dai san", False),  # pinyin
        ("yue pao tong cheng jia wei xin abc123", False),
        ("nmsl sb", False),  # initials
        ("see you 明天", False),  # Han
        ("hello", False),  # one word says too little
    ],
)
def test_latin_prose_is_told_from_pinyin_and_initials(text: str, prose: bool) -> None:
    assert reads_as_latin_prose(text) is prose


def test_the_model_abstains_on_latin_prose_and_reads_pinyin(model) -> None:
    det = ModelDetector(model)
    for text in ("lol that's so funny", "Thanks for your help yesterday!"):
        assert det.detect(prepare(ScanItem(id="e", text=text))) == []
    pinyin = det.detect(prepare(ScanItem(id="p", text="yue pao tong cheng jia wei xin")))
    assert pinyin


def test_the_model_abstains_on_texts_of_one_or_two_characters(model) -> None:
    det = ModelDetector(model)
    for text in ("你好", "在吗", "您好！", "蓝色"):
        assert det.detect(prepare(ScanItem(id="s", text=text))) == [], text
    assert det.detect(prepare(ScanItem(id="l", text="约炮吗 同城加微信")))


class _FailsOn:
    """The packaged model, except that a batch call raises and one text cannot be scored."""

    def __init__(self, model, poison: str) -> None:
        self._model = model
        self._poison = poison
        self.labels = model.labels
        self.metadata = model.metadata

    def predict_many(self, texts, originals=None):
        raise RuntimeError("batch scoring is down")

    def predict(self, text, original=None):
        if self._poison in (original or text):
            raise ValueError("cannot score this text")
        return self._model.predict(text, original)

    def top_grams(self, *args, **kwargs):
        return self._model.top_grams(*args, **kwargs)


def test_a_batch_that_cannot_be_scored_falls_back_to_one_text_at_a_time(model) -> None:
    texts = ["澳门娱乐城 注册就送彩金", "☠ 兼职刷单日结", "出售迷药，一滴倒，私聊"]
    items = [prepare(ScanItem(id=str(i), text=t)) for i, t in enumerate(texts)]
    alone = ModelDetector(model)
    failing = ModelDetector(_FailsOn(model, "☠"))
    found = failing.detect_batch(items)
    assert found[1] == []  # the text the model cannot score reports nothing, never raises
    assert found[0] == alone.detect(items[0]) and found[0]
    assert found[2] == alone.detect(items[2]) and found[2]


@pytest.mark.shared_data
def test_packaged_model_on_chineseharm_dev(model) -> None:
    report = evaluate_model(model, load_jsonl(_shared("chineseharm", "dev.jsonl"))).report
    # 0.918 measured: training on the team's short-chat data (data/chat) costs about 1.7
    # points here and lifts chat dev macro-F1 from 0.46 to 0.84 (see MODEL_CARD.md).
    assert report.macro_f1 >= 0.91
    assert report.metric("fraud").recall >= 0.85


@pytest.mark.shared_data
def test_packaged_model_on_cold_dev(model, tmp_path: Path) -> None:
    lines = _shared("cold", "dev.jsonl").read_text(encoding="utf-8").splitlines()
    sample = tmp_path / "cold.jsonl"
    sample.write_text("\n".join(lines[::8]) + "\n", encoding="utf-8")  # both labels, ~800 rows
    result = evaluate_model(model, load_jsonl(sample))
    assert result.restricted
    assert result.report.accuracy >= 0.85


def test_packaged_model_on_short_chat_dev(model) -> None:
    chat_dev = Path(__file__).resolve().parents[2] / "data" / "chat" / "dev.jsonl"
    report = evaluate_model(model, load_jsonl(chat_dev)).report
    assert report.macro_f1 >= 0.80
    assert report.metric("normal").recall >= 0.85
