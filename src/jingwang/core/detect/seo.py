"""Search-engine keyword stuffing: blocks of porn/gambling site titles around a page.

Stuffed pages wrap an ordinary article in a header and footer of short keyword
segments ("亚洲AV无码专区_国产精品_日韩欧美一区二区 | …"). The article may be
harmless; the stuffing is the violation. A stretch is stuffing when several
consecutive short segments are each dense with porn or gambling keywords — ordinary
navigation ("首页 | 新闻 | 体育") has the shape but not the words, and a vulgar story
has the words but in long clauses, not in runs of titles.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import opencc

from jingwang.core.detect.base import NormalizedItem
from jingwang.core.detect.extract.fold import BASE_FOLD
from jingwang.core.detect.extract.handles import MAX_EVIDENCE
from jingwang.core.detect.extract.html import blank_markup, looks_like_html
from jingwang.core.types import Evidence, Finding

# Words that title porn and gambling sites; written for this detector, not a lexicon.
# Look-behinds sit after a word's first letters: one at the start of an alternative
# would make the engine try the whole alternation at every position.
_STRONG: Final = (
    r"色情|黄色网站|黄片|毛片|a片|三级片|成人(?:网|电影|视频|影院|片|小说)|无码|有码|乱伦|人妻|偷拍"
    r"|久久精品|久久热|久久爱|约炮|裸聊|激情(?:视频|电影|小说|图片|网)|淫|屄|肏|草榴|撸|伦理(?:片|电影)|一区二区|精品国产"
    r"|国产精品|av(?<![a-z]av)(?![a-z])|porn|sex(?<![a-z]sex)|xxx|里番|福利姬|色综合|色播|色站|色中色"
    r"|色欲|麻豆|丝袜美腿|性爱|做爱|巨乳|女优|番号"
    r"|博彩|赌场|娱乐城|百家乐|老虎机|时时彩|六合彩|赌博|赌球|葡京|金沙|威尼斯人|真人荷官|网投|菠菜"
    r"|体育投注|彩票网|casino|bet365"
)
_WEAK: Final = (
    r"在线观看|看片|免费|高清|视频|电影|影院|国产|美女|日韩|欧美|亚洲|福利|真人|棋牌|彩票|澳门|开户"
    r"|注册送|网站|一区|二区|三区|日本|韩国|中文字幕|资源|大全|直播|久久|夜夜"
)


# Traditional-character pages stuff the same titles (黃色網站 在線觀看); the keyword
# list is written in simplified characters and converted once at import.
def _with_traditional(words: str) -> str:
    converter = opencc.OpenCC("s2t")
    return words if converter.convert(words) == words else f"{words}|{converter.convert(words)}"


_WEAK_WEIGHT: Final = 0.5
_STRONG_ALL: Final = _with_traditional(_STRONG)
# One alternation without groups: Python's engine scans that far faster than one with
# a named group per kind; the kind of each (rare) match is looked up afterwards.
_KEYWORDS: Final = re.compile(f"{_STRONG_ALL}|{_with_traditional(_WEAK)}")
_STRONG_KEYWORD: Final = re.compile(_STRONG_ALL)


@lru_cache(maxsize=4096)
def _keyword_weight(keyword: str) -> float:
    return 1.0 if _STRONG_KEYWORD.fullmatch(keyword) else _WEAK_WEIGHT


_SEGMENT: Final = re.compile(
    r"[^\s|｜_\-—–,，、/\\·•;；:：()（）\[\]【】《》<>\"'“”‘’!！?？。.…~～#*+=]+"
)

_MAX_SEGMENT: Final = 40
_MAX_GAP_SEGMENT: Final = 4
_MIN_BAD_SEGMENTS: Final = 3
_MIN_STRETCH_WEIGHT: Final = 3.5
# No stretch can outweigh the whole text, so a lighter text needs no segmenting.
_MIN_TEXT_WEIGHT: Final = _MIN_STRETCH_WEIGHT
_MIN_COVERAGE: Final = 0.4
_FULL_COVERAGE: Final = 0.75
_MIN_REPEAT_PHRASE: Final = 4
_MIN_REPEAT_RUN: Final = 6
_REPEAT_WINDOW: Final = 3


@dataclass(slots=True)
class _Segment:
    start: int
    end: int
    weight: float = 0.0
    covered: int = 0


@dataclass(frozen=True, slots=True)
class _Stretch:
    start: int
    end: int
    bad_segments: int


class SeoStuffingDetector:
    """Violation ``seo_spam`` for runs of keyword-dense title segments."""

    name = "seo"
    labels: tuple[str, ...] = ("seo_spam",)

    def detect(self, item: NormalizedItem) -> list[Finding]:
        findings = []
        for view in item.views:
            stretches = self._stretches(view.original)
            if stretches:
                findings.append(self._finding(view.original, view.source, stretches))
        return findings

    def _stretches(self, original: str) -> list[_Stretch]:
        text = original.translate(BASE_FOLD)
        if looks_like_html(text):
            text = blank_markup(text)
        hits = list(_KEYWORDS.finditer(text))
        # The common case: an ordinary message has few keywords and no segment repeated
        # within a few segments; stop here.
        weight = sum(_keyword_weight(m.group()) for m in hits)
        keyword_dense = weight >= _MIN_TEXT_WEIGHT
        if not keyword_dense and not _repeats_phrases(_SEGMENT.findall(text)):
            return []
        segments = [_Segment(*m.span()) for m in _SEGMENT.finditer(text)]
        repeated = _repeated_runs(text, segments)
        if not keyword_dense:
            return repeated
        starts = [segment.start for segment in segments]
        for hit in hits:
            segment = segments[bisect_right(starts, hit.start()) - 1]
            segment.weight += _keyword_weight(hit.group())
            segment.covered += hit.end() - hit.start()
        keyword_runs = _find_stretches(segments)
        return sorted(
            [*keyword_runs, *(r for r in repeated if not _overlaps(r, keyword_runs))],
            key=lambda stretch: stretch.start,
        )

    @staticmethod
    def _finding(original: str, source: str, stretches: list[_Stretch]) -> Finding:
        best = max(stretch.bad_segments for stretch in stretches)
        score = 0.65 + min(0.2, 0.05 * (best - _MIN_BAD_SEGMENTS))
        stuffed = sum(stretch.end - stretch.start for stretch in stretches)
        at_edge = any(
            stretch.start < 0.2 * len(original) or stretch.end > 0.8 * len(original)
            for stretch in stretches
        )
        if at_edge and stuffed < 0.6 * len(original):
            # A header or footer of titles around other content: the stuffing pattern.
            score += 0.1
        if len(stretches) > 1:
            score += 0.05
        evidence = tuple(
            Evidence(s.start, s.end, original[s.start : s.end], source)
            for s in stretches[:MAX_EVIDENCE]
        )
        return Finding(
            detector="seo",
            label="seo_spam",
            score=round(min(score, 0.97), 3),
            evidence=evidence,
            detail=f"stuffed_segments:{sum(s.bad_segments for s in stretches)}",
        )


def _repeats_phrases(phrases: list[str]) -> bool:
    """Cheap hint for ``_repeated_runs``: enough segments occur more than once."""
    return len(phrases) - len(set(phrases)) >= _MIN_REPEAT_RUN // 2


def _overlaps(stretch: _Stretch, others: list[_Stretch]) -> bool:
    return any(o.start < stretch.end and stretch.start < o.end for o in others)


def _repeated_runs(text: str, segments: list[_Segment]) -> list[_Stretch]:
    """Runs of phrases that each come back within a few segments ("办证刻章 发票代开 …").

    Stuffing for goods without porn or gambling words repeats its phrases instead; a
    navigation bar or an article's clauses do not.
    """
    phrases = [text[s.start : s.end] for s in segments]
    runs: list[_Stretch] = []
    run: list[int] = []
    for index, phrase in enumerate([*phrases, ""]):
        nearby = phrases[max(0, index - _REPEAT_WINDOW) : index]
        nearby += phrases[index + 1 : index + 1 + _REPEAT_WINDOW]
        if len(set(phrase)) > 1 and len(phrase) >= _MIN_REPEAT_PHRASE and phrase in nearby:
            run.append(index)
            continue
        if len(run) >= _MIN_REPEAT_RUN and len({phrases[i] for i in run}) >= 2:
            runs.append(_Stretch(segments[run[0]].start, segments[run[-1]].end, len(run)))
        run = []
    return runs


def _find_stretches(segments: list[_Segment]) -> list[_Stretch]:
    """Runs of dense segments, bridging single short clean ones ("首页" between titles)."""
    stretches: list[_Stretch] = []
    run: list[_Segment] = []
    gap = 0
    for segment in segments:
        length = segment.end - segment.start
        # Dense: a strong keyword or two weak ones, or nothing but keywords ("在线观看").
        dense = segment.weight >= 1.0 or segment.covered >= _FULL_COVERAGE * length > 0
        if dense and length <= _MAX_SEGMENT:
            run.append(segment)
            gap = 0
        elif run and gap == 0 and length <= _MAX_GAP_SEGMENT:
            gap = 1
        else:
            _close(run, stretches)
            run, gap = [], 0
    _close(run, stretches)
    return stretches


def _close(run: list[_Segment], stretches: list[_Stretch]) -> None:
    if len(run) < _MIN_BAD_SEGMENTS:
        return
    weight = sum(segment.weight for segment in run)
    keyword_chars = sum(segment.covered for segment in run)
    segment_chars = sum(segment.end - segment.start for segment in run)
    if weight >= _MIN_STRETCH_WEIGHT and keyword_chars >= _MIN_COVERAGE * segment_chars:
        stretches.append(_Stretch(run[0].start, run[-1].end, len(run)))
