"""Features of an article that the label models weigh, each with the evidence behind it.

Headline features read the headline only, commerce in the body reads its latter part
only (an advert tacked onto an unrelated story), and the rumour, vulgar and context
features read the whole article. Counts are of distinct cue texts and capped, so one
word repeated ten times weighs as much as once.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Final

from jingwang.core.detect.article.cues import CueHit, find
from jingwang.core.detect.article.document import Article, Segment
from jingwang.core.types import Evidence

# Share of the body after which commerce counts as "the body switched to an advert".
AD_TAIL_FROM: Final = 0.4
_CJK_RUN: Final = re.compile(r"[\u4e00-\u9fff]{2,}")
# Bigrams so common that their presence in both headline and body says nothing.
_STOP_BIGRAMS: Final = frozenset(
    {
        "一个", "这个", "那个", "什么", "我们", "你们", "他们", "大家", "所有", "今天",
        "明天", "一定", "不是", "没有", "就是", "知道", "自己", "可以", "一下", "怎么",
        "这种", "这些", "人都", "都在", "的人",
    }
)  # fmt: skip
_TITLE_FEATURES: Final = ("bait", "promise", "deictic", "title_ad")
_WHOLE_FEATURES: Final = (
    "chain",
    "urgency",
    "authority",
    "conspiracy",
    "health_claim",
    "harm_event",
    "fake_notice",
    "absolutist",
    "credible",
    "hedge",
    "vulgar",
    "vulgar_strong",
    "safe_context",
)
_CAPS: Final = {"vulgar": 6, "ad_tail": 4, "explain": 4}
_DEFAULT_CAP: Final = 3
# Names of every feature, in the order the weights file lists them.
FEATURE_NAMES: Final = (
    *_TITLE_FEATURES,
    "uncovered",
    "ad_tail",
    "explain",
    "bait_unmatched",
    "promise_unpaid",
    "vulgar_title",
    *_WHOLE_FEATURES,
)


@dataclass(slots=True)
class Features:
    values: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    debunk: list[Evidence] = field(default_factory=list)

    def add(self, name: str, found: list[tuple[Segment, list[CueHit]]]) -> None:
        distinct = {hit.text for _, hits in found for hit in hits}
        self.values[name] = min(float(len(distinct)), float(_CAPS.get(name, _DEFAULT_CAP)))
        self.evidence[name] = [
            segment.evidence(hit.start, hit.end) for segment, hits in found for hit in hits
        ]


def _title_bigrams(title: Segment, masked: list[CueHit]) -> dict[str, tuple[int, int]]:
    """Content bigrams of the headline (outside bait and promise words) and their spans."""
    hidden = {i for hit in masked for i in range(hit.start, hit.end)}
    bigrams: dict[str, tuple[int, int]] = {}
    for run in _CJK_RUN.finditer(title.text):
        for i in range(run.start(), run.end() - 1):
            if i in hidden or i + 1 in hidden:
                continue
            gram = title.text[i : i + 2]
            if gram not in _STOP_BIGRAMS:
                bigrams.setdefault(gram, (i, i + 2))
    return bigrams


def _uncovered(article: Article, masked: list[CueHit]) -> float:
    """Share of the headline's content bigrams that the body never mentions."""
    bigrams = _title_bigrams(article.title, masked)
    if len(bigrams) < 2:
        return 0.0
    missing = [gram for gram in bigrams if gram not in article.body.text]
    return len(missing) / len(bigrams)


def _add_mismatch(features: Features) -> None:
    """Bait whose headline the body does not talk about, and promises the body never keeps:
    the headline-body mismatch that makes bait words clickbait rather than lively style."""
    values = features.values
    baited = min(values["bait"], 1.0)
    values["bait_unmatched"] = baited * values["uncovered"]
    promised = min(values["promise"] + values["deictic"], 1.0)
    values["promise_unpaid"] = promised if values["explain"] == 0 else 0.0
    features.evidence["bait_unmatched"] = features.evidence["uncovered"]
    features.evidence["promise_unpaid"] = (
        features.evidence["promise"] + features.evidence["deictic"]
    )


def extract(article: Article) -> Features:
    features = Features()
    title, body = article.title, article.body
    masked: list[CueHit] = []
    for name in _TITLE_FEATURES:
        hits = find(name, title.text)
        features.add(name, [(title, hits)])
        masked.extend(hits)
    features.add("vulgar_title", [(title, find("vulgar", title.text))])
    features.values["uncovered"] = _uncovered(article, masked)
    features.evidence["uncovered"] = [title.evidence(0, len(title.text))] if title.text else []
    tail_from = math.floor(len(body.text) * AD_TAIL_FROM)
    features.add("ad_tail", [(body, find("ad", body.text, tail_from))])
    features.add("explain", [(body, find("explain", body.text))])
    _add_mismatch(features)
    for name in _WHOLE_FEATURES:
        features.add(name, [(segment, find(name, segment.text)) for segment in (title, body)])
    for segment in (title, body):
        features.debunk.extend(
            segment.evidence(h.start, h.end) for h in find("debunk", segment.text)
        )
    return features
