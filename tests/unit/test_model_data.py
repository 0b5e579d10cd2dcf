"""Synthetic labelled data for the model/training tests (no ../shared needed)."""

from __future__ import annotations

import json
import random
from pathlib import Path

VOCAB = {
    "gambling": ["加拿大28", "下注", "赢钱", "百家乐", "时时彩", "澳门娱乐城", "开盘"],
    "porn": ["约炮", "上门服务", "色情视频", "一夜情", "裸聊", "援交"],
    "fraud": ["高佣金", "刷单返利", "兼职日赚", "贷款秒批", "客服退款", "投资回报"],
    "abuse": ["傻逼", "滚蛋", "脑残", "废物", "去死", "垃圾东西"],
    "normal": ["今天天气", "一起吃饭", "周末爬山", "学习资料", "会议通知", "生日快乐"],
}
FILLER = ["的", "了", "呢", "我们", "大家", "真的", "看看", "快来", "朋友", "这个", "一下"]


def make_rows(
    n_per_label: int, seed: int, labels: tuple[str, ...] | None = None
) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for label in labels or tuple(VOCAB):
        for _ in range(n_per_label):
            words = rng.sample(VOCAB[label], 2) + rng.sample(FILLER, 3)
            rng.shuffle(words)
            rows.append({"text": "".join(words), "label": label})
    rng.shuffle(rows)
    return rows


def cold_like_rows(n_per_label: int, seed: int) -> list[dict[str, str]]:
    """A second domain: discussions (binary abuse/normal)."""
    rng = random.Random(seed)
    topics = ["地域", "性别", "种族", "男女", "南方人", "北方人"]
    rows = []
    for _ in range(n_per_label):
        t = rng.choice(topics)
        rows.append(
            {"text": f"说{t}的都是{rng.choice(['蠢货', '垃圾', '废物'])}，真恶心", "label": "abuse"}
        )
        rows.append(
            {
                "text": f"关于{t}问题，我觉得应该{rng.choice(['理性讨论', '多看数据'])}",
                "label": "normal",
            }
        )
    rng.shuffle(rows)
    return rows


def mislabel(rows: list[dict[str, str]], label: str, filed_as: str, n: int) -> list[int]:
    """File the first ``n`` rows of ``label`` under ``filed_as`` (planted label noise);
    their positions."""
    planted = [i for i, r in enumerate(rows) if r["label"] == label][:n]
    for i in planted:
        rows[i] = {"text": rows[i]["text"], "label": filed_as}
    return planted


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def test_synthetic_data_is_balanced_and_deterministic() -> None:
    rows = make_rows(3, seed=1)
    assert rows == make_rows(3, seed=1)
    assert sorted({r["label"] for r in rows}) == sorted(VOCAB)
    assert len(cold_like_rows(4, seed=1)) == 8
