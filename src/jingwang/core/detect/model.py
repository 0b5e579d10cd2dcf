"""The learned classifier as a detector: calibrated probabilities per contract label.

The packaged default model lives in ``jingwang/resources/model/``; ``JINGWANG_MODEL_DIR``
points at another model directory (written by ``jingwang train``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from jingwang.core.detect.base import NormalizedItem, TextView
from jingwang.core.detect.lexicon.phonetic import segment_pinyin
from jingwang.core.model import LinearModel, load_model
from jingwang.core.model.features import VIEWS_REMEMBERED, view_offsets
from jingwang.core.model.linear import Prediction
from jingwang.core.normalize.scripts import HAN_CLASS
from jingwang.core.types import Evidence, Finding

MODEL_DIR_ENV = "JINGWANG_MODEL_DIR"
NORMAL = "normal"
MIN_SCORE = 0.05
MAX_SPANS = 3
REVIEW_SCORE = 0.5
BLOCK_SCORE = 0.8


_HAN = re.compile(f"[{HAN_CLASS}]")
_LATIN_WORD = re.compile(r"[a-z]{2,}")
_MIN_PROSE_WORDS = 2
_VOWELS = frozenset("aeiouv")  # v: pinyin's ü
_ENGLISH_VOWELS = frozenset("aeiou")


def reads_as_latin_prose(text: str) -> bool:
    """Whether a normal form is written in a Latin-script language: no Han character,
    and at least two Latin words of which fewer than half read as Chinese (pinyin, or
    initials such as nmsl, sb, yp: no vowel).

    The classifier learnt Chinese. In its training data Latin letters are handles, URLs
    and pinyin evasions, nearly all of them spam, so it reads any English sentence as
    spam: "ok see you later" as porn, "lol that's so funny" as gambling (7 of 7 everyday
    English lines reached review or block). On such text it abstains; the lexicon,
    contacts and links detectors still read it.
    """
    if _HAN.search(text):
        return False
    words = _LATIN_WORD.findall(text)
    chinese = sum(1 for word in words if _ENGLISH_VOWELS.isdisjoint(word) or _spells_pinyin(word))
    return len(words) >= _MIN_PROSE_WORDS and 2 * chinese < len(words)


def _spells_pinyin(word: str) -> bool:
    """Whether ``word`` splits into syllables of which only the first may open with a
    vowel: written together, pinyin marks a vowel-initial syllable with an apostrophe
    (xi'an), while English splits that way all the time (see → se·e)."""
    syllables = segment_pinyin(word)
    return syllables is not None and not any(s[2][0] in _VOWELS for s in syllables[1:])


# Fewer normalised characters than this give the classifier nothing but surface
# associations to go on: 木琴 read as abuse, 蓝色 as porn, 你好 as abuse and 在吗 as porn
# (all at review or block). The lexicon still reads listed words (约炮, 傻逼).
MIN_CHARS = 3


def _readable(normal_form: str) -> bool:
    """Whether the classifier should read a view's normal form at all."""
    return len(normal_form.strip()) >= MIN_CHARS and not reads_as_latin_prose(normal_form)


def default_model_dir() -> Path:
    """The model directory to load: ``$JINGWANG_MODEL_DIR`` or the packaged default."""
    env = os.environ.get(MODEL_DIR_ENV)
    if env:
        return Path(env)
    return Path(str(resources.files("jingwang.resources") / "model"))


def decision_score(probability: float, review: float, block: float) -> float:
    """The model's probability on the decision layer's scale.

    Each label has its own dev-chosen ``review`` and ``block`` probabilities (in
    ``model.json``); the decider has one pair of cut-offs for every detector (0.5 and
    0.8). A piecewise-linear map sends ``review`` to 0.5 and ``block`` to 0.8, so the
    model's per-label calibration survives fusion with the lexicon's weights.
    """
    if probability < review:
        return REVIEW_SCORE * probability / review
    if probability < block:
        return REVIEW_SCORE + (BLOCK_SCORE - REVIEW_SCORE) * (probability - review) / (
            block - review
        )
    return BLOCK_SCORE + (1.0 - BLOCK_SCORE) * (probability - block) / max(1.0 - block, 1e-9)


class ModelDetector:
    """Reports every non-normal label whose calibrated probability is at least 0.05, on
    texts of at least :data:`MIN_CHARS` normalised characters not written in a Latin-script
    language.

    Scores are probabilities mapped onto the decision scale by :func:`decision_score`;
    evidence spans (the n-grams that push hardest towards the label) are computed only
    for labels that reach review, the rest carry none.
    """

    name = "model"

    def __init__(self, model: LinearModel | None = None, *, min_score: float = MIN_SCORE) -> None:
        self.model = model if model is not None else load_model(default_model_dir())
        self.labels: tuple[str, ...] = tuple(lab for lab in self.model.labels if lab != NORMAL)
        self.min_score = min_score
        raw = self.model.metadata.get("thresholds", {})
        self.thresholds: dict[str, dict[str, float]] = {
            lab: {k: float(v) for k, v in t.items()} for lab, t in raw.items()
        }

    def detect(self, item: NormalizedItem) -> list[Finding]:
        return self.detect_batch([item])[0]

    def detect_batch(self, items: Sequence[NormalizedItem]) -> list[list[Finding]]:
        """Every item's findings, the texts scored :data:`VIEWS_REMEMBERED` at a time."""
        views = [
            (k, view)
            for k, item in enumerate(items)
            for view in item.views
            if _readable(view.normalized.text)
        ]
        found: list[list[Finding]] = [[] for _ in items]
        for start in range(0, len(views), VIEWS_REMEMBERED):
            chunk = views[start : start + VIEWS_REMEMBERED]
            for (k, view), prediction in zip(chunk, self._predictions(chunk), strict=True):
                if prediction is None:
                    continue
                try:
                    found[k].extend(self._findings(view, prediction))
                except Exception:  # a detector never raises on odd input
                    continue
        return found

    def _predictions(self, views: Sequence[tuple[int, TextView]]) -> list[Prediction | None]:
        """The model's prediction per view, scored together; when that fails, one by one,
        None for a view the model cannot score."""
        texts = [view.normalized.text for _, view in views]
        originals = [view.normalized.original for _, view in views]
        try:
            return list(self.model.predict_many(texts, originals))
        except Exception:
            pass
        predictions: list[Prediction | None] = []
        for text, original in zip(texts, originals, strict=True):
            try:
                predictions.append(self.model.predict(text, original))
            except Exception:
                predictions.append(None)
        return predictions

    def _findings(self, view: TextView, prediction: Prediction) -> list[Finding]:
        out: list[Finding] = []
        for label, prob in zip(prediction.labels, prediction.probabilities, strict=True):
            if label == NORMAL or prob < self.min_score:
                continue
            limits = self.thresholds.get(label, {})
            score = decision_score(
                float(prob), limits.get("review", REVIEW_SCORE), limits.get("block", BLOCK_SCORE)
            )
            out.append(
                Finding(
                    detector=self.name,
                    label=label,
                    score=round(score, 4),
                    evidence=self._evidence(view, label) if score >= REVIEW_SCORE else (),
                    detail=f"learned classifier, calibrated probability {prob:.3f}",
                )
            )
        out.sort(key=lambda f: -f.score)
        return out

    def _evidence(self, view: TextView, label: str) -> tuple[Evidence, ...]:
        """The spans of the n-grams that push hardest towards ``label``, else the whole text."""
        norm = view.normalized
        original = norm.original
        spans: list[tuple[int, int]] = []  # original offsets
        written: dict[str, tuple[str, Sequence[int]]] = {}  # surface-like views, with offsets
        for gram_view, gram, _weight in self.model.top_grams(
            norm.text, label, k=MAX_SPANS, original=original, min_len=2
        ):
            if not gram.strip():
                continue
            if gram_view == "normalized":
                start = norm.text.find(gram)
                if start >= 0:
                    ev = norm.evidence(start, start + len(gram), view.source)
                    spans.append((ev.start, ev.end))
            else:
                if gram_view not in written:
                    written[gram_view] = view_offsets(original, gram_view)
                text, origin = written[gram_view]
                start = text.find(gram)
                if start >= 0:
                    spans.append((origin[start], origin[start + len(gram) - 1] + 1))
        spans = [(a, b) for a, b in spans if 0 <= a < b <= len(original)]
        if not spans:
            return (Evidence(0, len(original), original, view.source),) if original else ()
        spans.sort()
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return tuple(
            Evidence(start, end, original[start:end], view.source)
            for start, end in merged[:MAX_SPANS]
        )
