"""Markup blanked out in place, so text found in HTML keeps its offsets.

Tags, comments, scripts, styles and entities become spaces of the same length; the
``content`` of ``<meta name="keywords|description">`` stays, because keyword stuffing
lives there as much as in titles and footers.
"""

from __future__ import annotations

import re
from typing import Final

_LOOKS_LIKE_HTML: Final = re.compile(
    r"<(?:html|head|title|meta|body|div|a|p|span|ul|li|nav|footer|header|br|table|td|h[1-6])\b",
    re.IGNORECASE,
)
_BLOCK: Final = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_TAG: Final = re.compile(r"<[^<>]*>|&#?[a-z0-9]{2,8};", re.IGNORECASE)
_META_KEYWORDS: Final = re.compile(
    r"<meta\b[^>]*\bname\s*=\s*[\"']?(?:keywords|description)\b", re.IGNORECASE
)
_CONTENT: Final = re.compile(r"\bcontent\s*=\s*([\"'])(.*?)\1", re.IGNORECASE | re.DOTALL)


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


def _blank_tag(match: re.Match[str]) -> str:
    tag = match.group()
    if _META_KEYWORDS.match(tag):
        content = _CONTENT.search(tag)
        if content:
            start, end = content.span(2)
            return " " * start + tag[start:end] + " " * (len(tag) - end)
    return " " * len(tag)


def looks_like_html(text: str) -> bool:
    return _LOOKS_LIKE_HTML.search(text) is not None


def blank_markup(text: str) -> str:
    """``text`` with markup replaced by spaces; same length, text nodes in place."""
    return _TAG.sub(_blank_tag, _BLOCK.sub(_blank, text))
