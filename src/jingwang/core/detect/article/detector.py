"""The article detector: clickbait, rumours and vulgar (擦边) public-account articles.

Order of reasoning, per article:

1. An article that frames what it quotes as a rumour (辟谣, 网传…系谣言, 经核实…不实)
   is a debunk: it yields a ``news_context`` signal, so the decision layer damps any
   label, and never a rumour finding — quoting a rumour to refute it is not spreading it.
2. Otherwise the rumour knowledge base is searched for a near-duplicate; a match is a
   rumour finding whose ``detail`` is the debunk reference.
3. Three logistic models (``scoring.py``) score clickbait, rumour and vulgar from the
   features of ``features.py``; evidence is the cue spans of the features that pushed
   the score up. Scores are calibrated so that one weak cue stays below review, a
   plausible but unverified claim lands in review, and a stack of cues blocks.
"""

from __future__ import annotations

from typing import Final

from jingwang.core.detect.article.document import Article, is_article, parse_article
from jingwang.core.detect.article.features import Features, extract
from jingwang.core.detect.article.knowledge import (
    SHINGLE_CHARS,
    RumorKnowledgeBase,
    RumorMatch,
    seed_knowledge_base,
    shingles,
)
from jingwang.core.detect.article.scoring import LabelModel, packaged_models
from jingwang.core.detect.base import NormalizedItem
from jingwang.core.types import Evidence, Finding

# Containment of a known rumour's shingles in an article: above STRONG it is the same
# rumour re-published with edits (block); above WEAK it shares much of it (review).
KB_STRONG: Final = 0.6
KB_WEAK: Final = 0.4
KB_STRONG_SCORE: Final = 0.95
KB_WEAK_SCORE: Final = 0.6
# Words that on their own frame an article as a debunk; other debunk cues need company.
_DEBUNK_ALONE: Final = frozenset({"辟谣", "谣言", "不实", "系编造", "系伪造"})
DEBUNK_SIGNAL_SCORE: Final = 0.9
REPORT_MIN: Final = 0.1
MAX_EVIDENCE: Final = 8
# Model label → (contract label, subcategory).
_REPORTED_AS: Final = {
    "clickbait": ("clickbait", None),
    "rumor": ("rumor", None),
    "vulgar": ("porn", "vulgar"),
}


def is_debunk(features: Features) -> bool:
    cues = {e.text for e in features.debunk}
    return bool(cues & _DEBUNK_ALONE) or len(cues) >= 2


def _best_run(article: Article, match: RumorMatch) -> Evidence:
    """The longest stretch of the article made of the known rumour's shingles."""
    best: tuple[int, int, int] = (0, 0, 0)  # (segment index, start, end)
    segments = (article.body, article.title)
    for index, segment in enumerate(segments):
        text, run_start = segment.text, -1
        # One position past the last shingle closes a run that reaches the end.
        for i in range(len(text) - SHINGLE_CHARS + 2):
            inside = i <= len(text) - SHINGLE_CHARS and text[i : i + SHINGLE_CHARS] in match.shared
            if inside and run_start < 0:
                run_start = i
            elif not inside and run_start >= 0:
                end = i - 1 + SHINGLE_CHARS
                if end - run_start > best[2] - best[1]:
                    best = (index, run_start, end)
                run_start = -1
    index, start, end = best
    if end == 0:
        return article.title.evidence(0, len(article.title.text))
    return segments[index].evidence(start, end)


class ArticleDetector:
    """Finds clickbait, rumour and vulgar articles; acts only on articles."""

    name = "article"
    labels: tuple[str, ...] = ("clickbait", "rumor", "porn")

    def __init__(
        self,
        knowledge_base: RumorKnowledgeBase | None = None,
        models: dict[str, LabelModel] | None = None,
    ) -> None:
        self.knowledge_base = seed_knowledge_base() if knowledge_base is None else knowledge_base
        self.models = packaged_models() if models is None else models

    def detect(self, item: NormalizedItem) -> list[Finding]:
        if not is_article(item.item):
            return []
        article = parse_article(item.item)
        if article is None:
            return []
        features = extract(article)
        findings: list[Finding] = []
        debunk = is_debunk(features)
        if debunk:
            findings.append(
                Finding(
                    detector=self.name,
                    label="news_context",
                    score=DEBUNK_SIGNAL_SCORE,
                    evidence=tuple(features.debunk[:MAX_EVIDENCE]),
                    kind="signal",
                    detail="debunk",
                )
            )
        else:
            findings.extend(self._known_rumors(article))
        for model_label, model in sorted(self.models.items()):
            if debunk and model_label == "rumor":
                continue
            finding = self._model_finding(model_label, model, features)
            if finding is not None:
                findings.append(finding)
        return findings

    def _known_rumors(self, article: Article) -> list[Finding]:
        grams = shingles(article.title.normalized.text) | shingles(article.body.normalized.text)
        found = []
        for match in self.knowledge_base.match_shingles(grams, KB_WEAK)[:1]:
            score = KB_STRONG_SCORE if match.similarity >= KB_STRONG else KB_WEAK_SCORE
            found.append(
                Finding(
                    detector=self.name,
                    label="rumor",
                    score=score,
                    evidence=(_best_run(article, match),),
                    subcategory=None,
                    detail=f"known rumour {match.entry.id} "
                    f"(similarity {match.similarity:.2f}); debunked: {match.entry.debunk}",
                )
            )
        return found

    def _model_finding(
        self, model_label: str, model: LabelModel, features: Features
    ) -> Finding | None:
        score = model.score(features)
        if score < REPORT_MIN:
            return None
        label, subcategory = _REPORTED_AS[model_label]
        reasons = model.reasons(features)
        evidence: dict[tuple[str, int, int], Evidence] = {}
        for reason in reasons:
            for span in features.evidence.get(reason, []):
                evidence.setdefault((span.source, span.start, span.end), span)
        ordered = sorted(evidence.values(), key=lambda e: (e.source != "title", e.start))
        return Finding(
            detector=self.name,
            label=label,
            score=round(score, 4),
            evidence=tuple(ordered[:MAX_EVIDENCE]),
            subcategory=subcategory,
            detail=",".join(reasons),
        )
