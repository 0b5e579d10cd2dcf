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

from jingwang.core.normalize.scripts import HAN_CLASS

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
# The same emoji alternating with single Han characters, letters or digits
# (💧迷💧药💧, 听💧话💧水, 有🍂空🍂接): it separates them. Read as its name each time
# (水滴, 落叶) it would break the word it spells out. One emoji between two characters
# (约🔥炮), or one used as a word twice (想🌿就🌿/), may be the word it names, so a run
# counts when the emoji occurs three times in it, or twice with a character outside
# each end (see :func:`_blank_repeated_separator`).
_HAN_OR_ALNUM = f"{HAN_CLASS}{_LATIN_ALNUM}"
EMOJI_BETWEEN_CHARACTERS = re.compile(
    # Group 1 is the separator, then (character, separator) once or more.
    f"([{_PICTOGRAPH}][{_MODIFIER}]*)(?:[{_HAN_OR_ALNUM}]\\1)+"
)
_ONE_HAN_OR_ALNUM = re.compile(f"[{_HAN_OR_ALNUM}]")
_SEPARATOR_MIN_REPEATS = 3
_ZERO_WIDTH_SPACE = "\u200b"


def _blank(emoji_text: str) -> str:
    return _ZERO_WIDTH_SPACE * len(emoji_text)


def _blank_repeated_separator(match: re.Match[str]) -> str:
    run, separator = match.group(), match.group(1)
    repeats = run.count(separator)
    if repeats < _SEPARATOR_MIN_REPEATS:
        text, start, end = match.string, match.start(), match.end()
        enclosed = start > 0 and end < len(text)
        if not (
            enclosed
            and _ONE_HAN_OR_ALNUM.fullmatch(text[start - 1])
            and _ONE_HAN_OR_ALNUM.fullmatch(text[end])
        ):
            return run
    return run.replace(separator, _blank(separator))


def blank_separating_emoji(text: str) -> str:
    """Emoji that separate rather than name: those put inside a word written in Latin
    letters or digits (Wei🔥Xin, abc💰123), where no emoji word of Chinese belongs and
    read as one (火焰, 钱) the emoji would break the pinyin or handle around it; and the
    same emoji repeated between single characters (:data:`EMOJI_BETWEEN_CHARACTERS`).
    Each such emoji becomes zero-width spaces, which normalising deletes as an evasion;
    the length stays, so offsets into the result are offsets into ``text``."""
    # Nearly every text has neither: two searches that skip to pictographs in C.
    if EMOJI_INSIDE_LATIN_WORD.search(text) is not None:
        text = EMOJI_INSIDE_LATIN_WORD.sub(lambda m: _blank(m.group()), text)
    if EMOJI_BETWEEN_CHARACTERS.search(text) is not None:
        text = EMOJI_BETWEEN_CHARACTERS.sub(_blank_repeated_separator, text)
    return text
