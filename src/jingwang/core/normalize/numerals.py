"""Financial numerals that are also ordinary characters: 肆伍陆拾.

壹贰叁… are folded by the character table because they only ever mean numbers. 肆, 伍,
陆 and 拾 also appear in everyday words (放肆, 队伍, 大陆, 收拾), so they become 四五六十
only next to an unambiguous numeral (digits, 一二三…, or 壹贰叁… already folded): 拾捌
→ 十八, and 伍陆柒 → 伍六七 → 五六七 as the rewrite repeats. Two ambiguous ones side by
side do not vouch for each other, so 队伍陆陆续续 stays as it is.
"""

from __future__ import annotations

import re

AMBIGUOUS_NUMERALS = {"肆": "四", "伍": "五", "陆": "六", "拾": "十"}
_AMBIGUOUS_NUMERAL = re.compile("[肆伍陆拾]")
_NUMERAL_CHARS = "0123456789〇零一二三四五六七八九十百千万亿"
_NUMERALS = frozenset(_NUMERAL_CHARS)
# For ``pipeline.py``'s gate: matches right after a character of
# ``NUMERAL_GATE_FIRST_CHARS`` exactly where ``numeral_positions`` finds a numeral.
NUMERAL_GATE_FIRST_CHARS = frozenset(AMBIGUOUS_NUMERALS)
NUMERAL_GATE = f"(?<=[{_NUMERAL_CHARS}][肆伍陆拾])|(?<=[肆伍陆拾])(?=[{_NUMERAL_CHARS}])"


def numeral_positions(text: str) -> list[int]:
    """Indices of 肆伍陆拾 that stand next to another numeral."""
    positions = []
    for match in _AMBIGUOUS_NUMERAL.finditer(text):
        i = match.start()
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1 : i + 2]
        if before in _NUMERALS or after in _NUMERALS:
            positions.append(i)
    return positions


def convert_numerals(text: str) -> str:
    if not _AMBIGUOUS_NUMERAL.search(text):
        return text
    positions = numeral_positions(text)
    if not positions:
        return text
    chars = list(text)
    for i in positions:
        chars[i] = AMBIGUOUS_NUMERALS[chars[i]]
    return "".join(chars)
