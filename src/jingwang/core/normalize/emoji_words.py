"""Emoji that stand in for words, mapped to Chinese.

Two sources, the curated one first:

* ``SLANG_EMOJI``: what an emoji means in Chinese spam and abuse, which is often not its
  dictionary name (🐔 is 鸡 as in prostitution slang, 🎰 is gambling, 🐶 is the insult
  狗 rather than "dog face").
* Unicode CLDR short names in Chinese, from the ``emoji`` package (BSD), for single
  code point emoji whose name is one or two Han characters (💊 药丸, 🚬 香烟, 🈲 禁).
  Longer names are descriptions ("笑哭了"), not words a spammer means, so those emoji
  are dropped like other symbols.

Emoji that decorate or emote rather than name a thing — hearts, stars, sparkles and the
faces of the Emoticons block, told apart by their Unicode character names — are dropped
too: put between the characters of a word (微❤信, 约✨炮) they are separators, and read
as their names (红心, 闪亮) they would break the word they decorate.
"""

from __future__ import annotations

import re
import unicodedata

import emoji

SLANG_EMOJI: dict[str, str] = {
    "🐔": "鸡",
    "🐓": "鸡",
    "💊": "药",
    "🚬": "烟",
    "🎰": "赌",
    "🎲": "赌",
    "🐶": "狗",
    "🐕": "狗",
    "🐷": "猪",
    "🐖": "猪",
    "🐴": "马",
    "🐮": "牛",
    "🐂": "牛",
    "🍑": "桃",
    "💉": "针",
    "🔫": "枪",
    "💰": "钱",
    "💴": "钱",
    "💵": "钱",
    "☎": "电话",
    "📞": "电话",
    "📱": "手机",
    "🈲": "禁",
    "🚫": "禁",
}

_SHORT_HAN_NAME = re.compile(r":([\u4e00-\u9fff]{1,2}):")
_VARIATION_SELECTOR_16 = "\ufe0f"
_DECORATIVE_NAME = re.compile(r"\b(?:HEARTS?|STAR|SPARKLES?)\b")
_EMOTICONS = range(0x1F600, 0x1F650)


def is_decorative(char: str) -> bool:
    """Hearts, stars, sparkles and Emoticons-block faces: decoration, not words."""
    return ord(char) in _EMOTICONS or bool(_DECORATIVE_NAME.search(unicodedata.name(char, "")))


def load_emoji_words() -> dict[str, str]:
    """Single-code-point emoji → Chinese word (curated slang wins over CLDR names)."""
    emoji.config.load_language("zh")
    words: dict[str, str] = {}
    for sequence, data in emoji.EMOJI_DATA.items():
        base = sequence.replace(_VARIATION_SELECTOR_16, "")
        name = data.get("zh")
        # Below U+2000 the "emoji" are ©, ® and friends, which read as symbols.
        if len(base) != 1 or ord(base) < 0x2000 or not isinstance(name, str):
            continue
        if is_decorative(base):
            continue
        match = _SHORT_HAN_NAME.fullmatch(name)
        if match:
            words[base] = match.group(1)
    words.update(SLANG_EMOJI)
    return words


# Emoji and pictographs (Miscellaneous Symbols, Dingbats less its circled digits, the
# arrows-and-stars block, U+1F300 on; enclosed letters such as 🅥 🇽 stay letters) with
# their variation selectors, joiners and skin tones, between two letters or digits of a
# Latin-script word.
_PICTOGRAPH = "\u2600-\u2775\u2794-\u27bf\u2b00-\u2bff\U0001f300-\U0001faff"
_MODIFIER = "\ufe0f\u200d\u20e3"
_LATIN_ALNUM = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
EMOJI_INSIDE_LATIN_WORD = re.compile(
    # Starts with the pictograph class so that ``re`` skips ahead to candidates in C; the
    # lookbehind then checks the letter before it.
    f"[{_PICTOGRAPH}](?<=[{_LATIN_ALNUM}][{_PICTOGRAPH}])[{_MODIFIER}]*"
    f"(?:[{_PICTOGRAPH}][{_MODIFIER}]*)*(?=[{_LATIN_ALNUM}])"
)
_ZERO_WIDTH_SPACE = "\u200b"


def blank_emoji_inside_latin_words(text: str) -> str:
    """Emoji put inside a word written in Latin letters or digits (Wei🔥Xin, abc💰123)
    decorate it: no emoji word of Chinese belongs there, and read as one (火焰, 钱) the
    emoji would break the pinyin or handle around it. Each such emoji becomes a zero-width
    space, which normalising deletes as an evasion; the length stays, so offsets into the
    result are offsets into ``text``."""
    if EMOJI_INSIDE_LATIN_WORD.search(text) is None:  # nearly every text: half the cost
        return text
    return EMOJI_INSIDE_LATIN_WORD.sub(lambda m: _ZERO_WIDTH_SPACE * len(m.group()), text)
