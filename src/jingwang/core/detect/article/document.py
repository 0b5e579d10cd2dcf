"""An article split into its headline and its body, each normalised for matching.

The headline is ``item.title`` when given (evidence source ``"title"``, offsets into the
title), else the first non-empty line of the text (source ``"text"``). HTML bodies are
matched as plain text; evidence still indexes the original string of its source.
"""

from __future__ import annotations

from dataclasses import dataclass

from jingwang.core.detect.article.html_text import PlainText, looks_like_html, strip_html
from jingwang.core.normalize import Normalized, normalize
from jingwang.core.types import Evidence, ScanItem


@dataclass(frozen=True, slots=True)
class Segment:
    """A part of an article: its plain text, normal form, and where it came from."""

    source: str
    original: str
    plain: PlainText
    normalized: Normalized

    @classmethod
    def of(cls, source: str, original: str, plain: PlainText) -> Segment:
        return cls(source, original, plain, normalize(plain.text))

    @property
    def text(self) -> str:
        """The normalised text that cues are matched against."""
        return self.normalized.text

    def plain_offset(self, normalized_offset: int) -> int:
        """Where in the plain text a normalised offset falls (for "latter part of body")."""
        if not self.normalized.text:
            return 0
        if normalized_offset >= len(self.normalized.text):
            return len(self.plain.text)
        return self.normalized.span(normalized_offset, normalized_offset + 1)[0]

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for normalised ``text[start:end]`` (non-empty), in the original string."""
        plain_start, plain_end = self.normalized.span(start, end)
        original_start = self.plain.starts[plain_start]
        original_end = self.plain.ends[plain_end - 1]
        return Evidence(
            original_start,
            original_end,
            self.original[original_start:original_end],
            self.source,
        )


@dataclass(frozen=True, slots=True)
class Article:
    title: Segment
    body: Segment


def _first_line(plain: PlainText) -> tuple[int, int] | None:
    position = 0
    for line in plain.text.split("\n"):
        if line.strip():
            return position, position + len(line)
        position += len(line) + 1
    return None


def is_article(item: ScanItem) -> bool:
    return item.surface == "article" or item.title is not None


def parse_article(item: ScanItem) -> Article | None:
    """The item as an article, or None when it is not one or has no text."""
    if not is_article(item):
        return None
    text = item.text or ""
    plain = strip_html(text) if looks_like_html(text) else PlainText.identity(text)
    if item.title is not None:
        title_plain = (
            strip_html(item.title)
            if looks_like_html(item.title)
            else PlainText.identity(item.title)
        )
        return Article(
            Segment.of("title", item.title, title_plain), Segment.of("text", text, plain)
        )
    line = _first_line(plain)
    if line is None:
        return None
    start, end = line
    return Article(
        Segment.of("text", text, plain.slice(start, end)),
        Segment.of("text", text, plain.slice(end, len(plain.text))),
    )
