"""The lexicon detector: literal, homophone and pinyin matches of curated term lists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final, NamedTuple

from jingwang.core.detect.base import NormalizedItem
from jingwang.core.detect.lexicon.entries import LexiconEntry
from jingwang.core.detect.lexicon.loader import load_directories, packaged_lexicon_dir
from jingwang.core.detect.lexicon.matcher import LexiconMatcher, Match, MatchPath
from jingwang.core.labels import LABELS
from jingwang.core.normalize import Normalized
from jingwang.core.normalize.emoji_words import load_emoji_words
from jingwang.core.normalize.fastpath import char_class
from jingwang.core.types import Evidence, Finding, FindingKind

# A match found only by undoing an evasion is slightly less certain that the term is
# meant (the homophone may be accidental), though the evasion is reported separately.
PATH_FACTOR: Final[dict[MatchPath, float]] = {
    "exact": 1.0,
    "homophone": 0.85,
    "pinyin": 0.85,
    "initials": 0.65,
}
SCORE_CAP: Final = 0.99
# How far (in normalised characters) a ``needs`` signal may be from the term.
NEEDS_WINDOW: Final = 40
# Handles and links count as contact evidence even without a contact word.
_CONTACT_PATTERN = re.compile(r"\d{5,}|@|http|www")


class _Hit(NamedTuple):
    entry: LexiconEntry
    key: str
    score: float
    evidence: Evidence
    evasion: bool


class LexiconDetector:
    """Matches the packaged lexicons (plus ``extra_dirs``) against every text view."""

    name = "lexicon"

    def __init__(self, extra_dirs: Sequence[str | Path] = ()) -> None:
        entries = load_directories([packaged_lexicon_dir(), *(Path(d) for d in extra_dirs)])
        self._matcher = LexiconMatcher(entries)
        self._emoji_words = frozenset(load_emoji_words())
        self._emoji_word_gate = _emoji_gate(self._emoji_words)
        violation_labels = {e.label for e in entries if e.kind == "violation"}
        self.labels: tuple[str, ...] = tuple(label for label in LABELS if label in violation_labels)

    def detect(self, item: NormalizedItem) -> list[Finding]:
        hits: list[_Hit] = []
        for view in item.views:
            normalized = view.normalized
            matches = self._matcher.scan(normalized.text) + self._across_emoji(normalized)
            if not matches:
                continue
            original = normalized.original
            for match in _with_needs_met(normalized.text, _without_contained(matches)):
                pattern = match.pattern
                ostart, oend = normalized.span(match.start, match.end)
                written = original[ostart:oend]
                literal = pattern.as_written or pattern.written
                if pattern.as_written is not None and written.lower() != literal:
                    continue
                hits.append(
                    _Hit(
                        pattern.entry,
                        pattern.as_written or pattern.key,
                        pattern.entry.weight * PATH_FACTOR[match.path],
                        Evidence(ostart, oend, written, view.source),
                        # Whatever ``Normalized.is_evasive`` flags changes the written
                        # form, and so do traditional and full-width forms, which the
                        # mission counts as evasion too: only letter case is innocent.
                        match.path != "exact" or written.lower() != literal,
                    )
                )
        return _aggregate(hits) if hits else []

    def _across_emoji(self, normalized: Normalized) -> list[Match]:
        """Matches that one or more emoji read as words break (约🔥炮 is 约火焰炮): the
        text is scanned again without those words, and only matches spanning where one
        stood are kept. The normaliser must keep such an emoji as its word (🐧 is 企鹅,
        加🐧 a QQ contact), so the matcher, not the normaliser, looks past it."""
        original = normalized.original
        if normalized.unchanged or self._emoji_word_gate.search(original) is None:
            return []
        starts = normalized.starts
        words = self._emoji_words
        kept = [i for i, start in enumerate(starts) if original[start] not in words]
        if len(kept) == len(starts) or not kept:
            return []
        text = normalized.text
        found: list[Match] = []
        for match in self._matcher.scan("".join(text[i] for i in kept)):
            start, end = kept[match.start], kept[match.end - 1] + 1
            if end - start > match.end - match.start:
                found.append(match._replace(start=start, end=end))
        return found


def _emoji_gate(emoji: frozenset[str]) -> re.Pattern[str]:
    """Matches where one of ``emoji`` may stand: a C-level search that rules out nearly
    every text before the per-character look-up. The BMP ones exactly (``re`` tests them
    in a bitmap), the rest as the range they span (tested one by one otherwise)."""
    points = sorted(map(ord, emoji))
    bmp = [cp for cp in points if cp < 0x10000]
    astral = [cp for cp in points if cp >= 0x10000]
    parts = [char_class(bmp)[1:-1]] if bmp else []
    if astral:
        parts.append(f"{chr(astral[0])}-{chr(astral[-1])}")
    return re.compile(f"[{''.join(parts)}]" if parts else "(?!)")


def _without_contained(matches: list[Match]) -> list[Match]:
    """Drop a match lying inside a longer one (黄色 inside 黄色网站, 兼职 inside 兼职妹);
    equal spans and partial overlaps are kept. Violations compete across labels, while a
    signal only gives way to a longer signal of its own label (私聊 inside 价格私聊 is
    still contact evidence)."""
    if len(matches) == 1:
        return matches
    groups: dict[str, list[Match]] = {}
    for m in matches:
        entry = m.pattern.entry
        groups.setdefault("" if entry.kind == "violation" else entry.label, []).append(m)
    kept: list[Match] = []
    for group in groups.values():
        reach_end, reach_start = -1, -1
        for m in sorted(group, key=lambda m: (m.start, -m.end)):
            if m.end < reach_end or (m.end == reach_end and reach_start < m.start):
                continue
            if m.end > reach_end:
                reach_end, reach_start = m.end, m.start
            kept.append(m)
    return kept


def _with_needs_met(text: str, matches: list[Match]) -> Iterable[Match]:
    """Signals, and violations whose ``needs`` condition holds near the match."""
    if not any(m.pattern.entry.needs for m in matches):
        return matches
    signal_spans = [
        (m.start, m.end, m.pattern.entry.label) for m in matches if m.pattern.entry.kind == "signal"
    ]
    signal_spans += [(c.start(), c.end(), "contact") for c in _CONTACT_PATTERN.finditer(text)]
    return [m for m in matches if _needs_met(m, signal_spans)]


def _needs_met(match: Match, signal_spans: list[tuple[int, int, str]]) -> bool:
    """Whether the match's condition holds within ``NEEDS_WINDOW``; a signal inside the
    match itself does not count (上门 must not vouch for 上门服务)."""
    needs = match.pattern.entry.needs
    if needs is None:
        return True
    start, end = match.start, match.end
    low, high = start - NEEDS_WINDOW, end + NEEDS_WINDOW
    nearby = frozenset(
        label
        for s_start, s_end, label in signal_spans
        if s_start < high and s_end > low and not (start <= s_start and s_end <= end)
    )
    return needs.satisfied(nearby)


def _position(evidence: Evidence) -> tuple[str, int, int]:
    return evidence.source, evidence.start, evidence.end


def _aggregate(hits: list[_Hit]) -> list[Finding]:
    """One finding per (kind, label, subcategory): every evidence span, and a noisy-OR
    of the best score of each distinct term, so repeating one word adds nothing."""
    groups: dict[tuple[FindingKind, str, str | None], list[_Hit]] = {}
    for hit in hits:
        entry = hit.entry
        groups.setdefault((entry.kind, entry.label, entry.subcategory), []).append(hit)
    findings: list[Finding] = []
    for (kind, label, subcategory), group in groups.items():
        best: dict[str, float] = {}
        for hit in group:
            if hit.score > best.get(hit.key, 0.0):
                best[hit.key] = hit.score
        miss = 1.0
        for score in best.values():
            miss *= 1.0 - score
        if len(group) == 1:  # the common case, without the sorting
            evidence: tuple[Evidence, ...] = (group[0].evidence,)
            terms = list(best)
        else:
            evidence = tuple(dict.fromkeys(sorted((h.evidence for h in group), key=_position)))
            terms = sorted(best, key=lambda k: (-best[k], k))
        findings.append(
            Finding(
                detector="lexicon",
                label=label,
                score=round(min(SCORE_CAP, 1.0 - miss), 4),
                evidence=evidence,
                subcategory=subcategory,
                kind=kind,
                evasion=any(h.evasion for h in group),
                detail="terms: " + ", ".join(terms),
            )
        )
    findings.sort(key=lambda f: (f.kind != "violation", -f.score, f.label, f.subcategory or ""))
    return findings
