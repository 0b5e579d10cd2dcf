"""HTML article bodies as plain text, with every plain character mapped back to the HTML.

Tags are dropped (block-level tags become a line break, so paragraphs stay lines and a
title in the first ``<p>`` stays the first line), ``<script>``/``<style>`` contents are
dropped, and character references are decoded. ``starts[i]:ends[i]`` is the span of
the HTML that produced plain character ``i``, so evidence found in the plain text can
point into the original HTML, as the contract requires.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Final

_HTML_HINT: Final = re.compile(
    r"<(?:p|div|br|h[1-6]|span|section|article|img|a|strong|em|b|i|ul|ol|li|table|tr|td"
    r"|blockquote|body|html)\b[^<>]*>",
    re.IGNORECASE,
)
_TOKEN: Final = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<[^<>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z]+);",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK_TAG: Final = re.compile(
    r"</?(?:p|div|br|h[1-6]|section|article|li|tr|blockquote|ul|ol|table)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class PlainText:
    """Text and, per character, the ``[start, end)`` span of the original it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def identity(cls, text: str) -> PlainText:
        return cls(text, tuple(range(len(text))), tuple(range(1, len(text) + 1)))

    def slice(self, start: int, end: int) -> PlainText:
        return PlainText(self.text[start:end], self.starts[start:end], self.ends[start:end])


def looks_like_html(text: str) -> bool:
    return _HTML_HINT.search(text) is not None


def strip_html(text: str) -> PlainText:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def emit(value: str, start: int, end: int) -> None:
        for char in value:
            chars.append(char)
            starts.append(start)
            ends.append(end)

    position = 0
    for token in _TOKEN.finditer(text):
        for offset in range(position, token.start()):
            emit(text[offset], offset, offset + 1)
        raw = token.group()
        if raw.startswith("&"):
            emit(html.unescape(raw), token.start(), token.end())
        elif _BLOCK_TAG.match(raw) and chars and chars[-1] != "\n":
            emit("\n", token.start(), token.end())
        position = token.end()
    for offset in range(position, len(text)):
        emit(text[offset], offset, offset + 1)
    return PlainText("".join(chars), tuple(starts), tuple(ends))
