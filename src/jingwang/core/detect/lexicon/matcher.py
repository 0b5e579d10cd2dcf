"""One Aho-Corasick automaton over syllable-coded text finds literal, homophone and
pinyin matches of every term.

A text is coded with :mod:`.phonetic` (each Chinese character becomes the code of its
toneless syllable; other characters stay), then spelled with :mod:`.radix`, in a single
``str.translate``. Terms are coded the same way, so one C-level scan finds 微信 and 薇信
alike; comparing the written span with the term then tells a literal match from a
homophone. Pinyin spelled in Latin letters (``yuepao``) is found by a second scan with
those letters re-spelled as syllables, only when the text has runs that parse as pinyin.

Offsets returned are into ``Normalized.text``; the detector maps them to the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple

import ahocorasick

from jingwang.core.detect.lexicon.entries import LexiconEntry
from jingwang.core.detect.lexicon.loader import LexiconFormatError
from jingwang.core.detect.lexicon.phonetic import (
    PinyinRun,
    coded_forms,
    pinyin_runs,
    syllable_codes,
    syllable_table,
    term_initials,
)
from jingwang.core.detect.lexicon.radix import DIGITS_PER_SYMBOL, RadixCode
from jingwang.core.normalize import normalize

MatchPath = Literal["exact", "initials", "homophone", "pinyin"]

_ASCII_ALNUM: Final = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_HAS_LATIN = re.compile(r"[a-z]")
# Initials are false-positive prone: only terms of three or more syllables get them
# unless flagged, and then at least two letters.
_MIN_INITIALS_SYLLABLES: Final = 3
_MIN_FLAGGED_INITIALS: Final = 2
# Initials that everyday text writes as an acronym far more often than as a term: CNN
# the network (not 操你娘), CNY the currency (not 草你丫).
_ACRONYM_INITIALS: Final = frozenset({"cnn", "cny"})
# Two-character terms are matched by sound only when flagged ``homophone``: measured on
# normal text, most pairs collide with everyday words (包过/包裹, 人渣/人炸, 葡京/普京).
# A sound match must also keep one character as written.
_SHORT_TERM_CHARS: Final = 2
_MIN_LITERAL: Final = 1


@dataclass(frozen=True, slots=True)
class Pattern:
    """One automaton key of an entry.

    ``key`` is the term's normal form; ``written`` the text that counts as a literal
    match (the key itself, or the initials); ``length`` the key's length in coded
    characters; ``by_sound`` whether a differently written span of the same sound
    counts; ``half_pinyin`` whether, though it does not, a span that keeps one of the
    term's two characters and spells the other in pinyin counts (卖yin, bing毒);
    ``check_left``/``check_right`` ask for ASCII word boundaries there.
    """

    entry: LexiconEntry
    key: str
    written: str
    length: int
    by_sound: bool
    check_left: bool
    check_right: bool
    literal_path: MatchPath = "exact"
    as_written: str | None = None
    half_pinyin: bool = False


class Match(NamedTuple):
    """A match in normalised-text offsets (a tuple: built per hit on the hot path)."""

    start: int
    end: int
    pattern: Pattern
    path: MatchPath


class LexiconMatcher:
    """Compiled automaton for a set of entries; immutable and thread-safe once built."""

    def __init__(self, entries: Iterable[LexiconEntry]) -> None:
        coded_keys: dict[str, list[Pattern]] = {}
        for entry in entries:
            for coded, pattern in _patterns(entry):
                coded_keys.setdefault(coded, []).append(pattern)
        self._radix = RadixCode(symbol for coded in coded_keys for symbol in coded)
        self._table = self._radix.table(syllable_table())
        self._syllable_spelling = {
            syllable: self._radix.spell(code) for syllable, code in syllable_codes().items()
        }
        # How far around a pinyin run a match can reach, in coded characters.
        self._reach = max((len(coded) for coded in coded_keys), default=0)
        self._automaton: ahocorasick.Automaton | None = None
        if coded_keys:
            self._automaton = ahocorasick.Automaton()
            for coded, patterns in coded_keys.items():
                self._automaton.add_word(self._radix.encode(coded), tuple(patterns))
            self._automaton.make_automaton()

    def scan(self, text: str) -> list[Match]:
        """Every match in a normalised text, overlaps included."""
        if self._automaton is None or not text:
            return []
        spelled = text.translate(self._table)
        matches = self._scan(text, spelled, None, None)
        if _HAS_LATIN.search(text):
            runs = pinyin_runs(text)
            if runs:
                respelled, starts, ends = self._respell_pinyin(text, spelled, runs)
                pinyin = self._scan(text, respelled, starts, ends)
                matches.extend(m for m in pinyin if m.path == "pinyin")
        return matches

    def _respell_pinyin(
        self, text: str, spelled: str, runs: list[PinyinRun]
    ) -> tuple[str, list[int], list[int]]:
        """The part of ``spelled`` a match through a pinyin run can reach, with each run
        replaced by its syllables' spellings (spaces inside a run dropped), and per coded
        position the ``text`` span it covers."""
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = max(0, runs[0][0] - self._reach)
        for run_start, run_end, syllables in runs:
            pieces.append(spelled[pos * DIGITS_PER_SYMBOL : run_start * DIGITS_PER_SYMBOL])
            starts.extend(range(pos, run_start))
            ends.extend(range(pos + 1, run_start + 1))
            for start, end, syllable in syllables:
                pieces.append(self._syllable_spelling[syllable])
                starts.append(start)
                ends.append(end)
            pos = run_end
        stop = min(len(text), pos + self._reach)
        pieces.append(spelled[pos * DIGITS_PER_SYMBOL : stop * DIGITS_PER_SYMBOL])
        starts.extend(range(pos, stop))
        ends.extend(range(pos + 1, stop + 1))
        return "".join(pieces), starts, ends

    def _scan(
        self, text: str, spelled: str, starts: list[int] | None, ends: list[int] | None
    ) -> list[Match]:
        assert self._automaton is not None
        found: list[Match] = []
        for last, patterns in self._automaton.iter(spelled):
            coded_end = last // DIGITS_PER_SYMBOL + 1
            for p in patterns:
                coded_start = coded_end - p.length
                if starts is None or ends is None:
                    start, end = coded_start, coded_end
                else:
                    start, end = starts[coded_start], ends[coded_end - 1]
                written = text[start:end]
                if written == p.written:
                    if not (p.check_left or p.check_right) or _bounded(
                        text, start, end, p.check_left, p.check_right
                    ):
                        found.append(Match(start, end, p, p.literal_path))
                elif p.by_sound:
                    path = _sound_path(text, start, end, written, p)
                    if path is not None:
                        found.append(Match(start, end, p, path))
                elif p.half_pinyin and _half_pinyin(text, start, end, written, p.key):
                    found.append(Match(start, end, p, "pinyin"))
        return found


def _patterns(entry: LexiconEntry) -> Iterable[tuple[str, Pattern]]:
    """The coded keys of an entry: its literal form, its other readings when it may
    match by sound, and its pinyin initials when long or flagged."""
    key = normalize(entry.term).text
    if not key:
        raise LexiconFormatError(entry.origin, f"term {entry.term!r} normalises to nothing")
    if len(key) == 1 and len(entry.term) > 1:
        # 口交 recomposes to 咬 and 足交 to 跤 (split characters): the key alone would
        # match every 咬 and 跤 of ordinary text, so the original must read as the term.
        coded = key.translate(syllable_table())
        yield (
            coded,
            Pattern(entry, key, key, len(coded), False, False, False, "exact", entry.term.lower()),
        )
        return
    boundary = "sub" not in entry.flags
    check_left = boundary and key[0] in _ASCII_ALNUM
    check_right = boundary and key[-1] in _ASCII_ALNUM
    by_sound = _may_match_by_sound(entry, key)
    forms = coded_forms(key) if by_sound else [key.translate(syllable_table())]
    half_pinyin = not by_sound and _may_match_half_pinyin(entry, key)
    for coded in dict.fromkeys(forms):
        yield (
            coded,
            Pattern(
                entry,
                key,
                key,
                len(coded),
                by_sound,
                check_left,
                check_right,
                half_pinyin=half_pinyin,
            ),
        )
    initials = term_initials(key) if "exact" not in entry.flags else None
    minimum = _MIN_FLAGGED_INITIALS if "initials" in entry.flags else _MIN_INITIALS_SYLLABLES
    if initials is not None and len(initials) >= minimum and initials not in _ACRONYM_INITIALS:
        pattern = Pattern(entry, key, initials, len(initials), False, True, True, "initials")
        yield initials, pattern


def _may_match_by_sound(entry: LexiconEntry, key: str) -> bool:
    if "exact" in entry.flags:
        return False
    chinese = sum(1 for ch in key if ord(ch) in syllable_table())
    return chinese >= 2 and (len(key) > _SHORT_TERM_CHARS or "homophone" in entry.flags)


def _may_match_half_pinyin(entry: LexiconEntry, key: str) -> bool:
    """A two-character Chinese term not flagged ``exact``: its homophones collide with
    everyday words (包过/包裹), but one character kept and the other spelled in Latin
    letters (卖yin, bing毒, 赌bo) is written to dodge a filter."""
    return (
        "exact" not in entry.flags
        and len(key) == _SHORT_TERM_CHARS
        and all(ord(ch) in syllable_table() for ch in key)
    )


def _half_pinyin(text: str, start: int, end: int, written: str, key: str) -> bool:
    """Whether ``written`` is ``key`` with its first or its last character kept and the
    other spelled in ASCII letters that touch no further letter or digit (the kept
    character may: 卖yin嫖chang)."""
    if written[0] == key[0]:
        spelled = written[1:]
    elif written[-1] == key[-1]:
        spelled = written[:-1]
    else:
        return False
    return spelled.isascii() and spelled.isalpha() and _latin_edges_bounded(text, start, end)


def _sound_path(text: str, start: int, end: int, written: str, p: Pattern) -> MatchPath | None:
    """How a span that sounds like the term but is written differently matched, or None
    when it does not count (no character kept, or inside a longer ASCII word)."""
    if _HAS_LATIN.search(written) and not _HAS_LATIN.search(p.key):
        # Spelled in pinyin: the spelling must not be the middle of a longer word.
        return "pinyin" if _latin_edges_bounded(text, start, end) else None
    literal = sum(a == b for a, b in zip(written, p.key, strict=False))
    # A digit written for a numeral is an ASCII edge: 6合彩, not the 6 of 26合彩.
    left = p.check_left or written[0] in _ASCII_ALNUM
    right = p.check_right or written[-1] in _ASCII_ALNUM
    if literal < _MIN_LITERAL or not _bounded(text, start, end, left, right):
        return None
    return "homophone"


def _latin_edges_bounded(text: str, start: int, end: int) -> bool:
    """ASCII word boundaries at the edges of ``text[start:end]`` that are ASCII; an edge
    kept in Han may touch letters (兼zhi刷dan: 刷 after zhi, 卖yin嫖chang)."""
    return _bounded(text, start, end, text[start] in _ASCII_ALNUM, text[end - 1] in _ASCII_ALNUM)


def _bounded(text: str, start: int, end: int, check_left: bool, check_right: bool) -> bool:
    """ASCII word boundaries: the neighbours of an ASCII edge are not letters/digits."""
    if check_left and start > 0 and text[start - 1] in _ASCII_ALNUM:
        return False
    return not (check_right and end < len(text) and text[end] in _ASCII_ALNUM)
