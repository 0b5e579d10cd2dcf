"""What a landing page says: its title and visible text, and where it sends the visitor.

Spam pages often forward the visitor without an HTTP redirect, through
``<meta http-equiv="refresh">`` or a line of JavaScript, so both are read as redirects.
Script and style bodies are never part of the text; ``<meta name="description">`` and
``keywords`` are, because keyword stuffing lives there as much as in the body.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final

READABLE_TYPES: Final = frozenset({"text/html", "text/plain"})

_BLOCK_TAGS: Final = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li"),
        *("main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"),
    }
)
_HIDDEN_TAGS: Final = frozenset({"script", "style", "template"})
_REFRESH: Final = re.compile(
    r"^\s*[\d.]*\s*[;,]\s*(?:url\s*=\s*)?([\"']?)(?P<target>[^\"'\s]+)\1\s*$", re.IGNORECASE
)
_JS_REDIRECT: Final = re.compile(
    r"\blocation(?:\s*\.\s*href)?\s*=\s*([\"'])(?P<assigned>[^\"'\s]+)\1"
    r"|\blocation\s*\.\s*(?:replace|assign)\s*\(\s*([\"'])(?P<called>[^\"'\s]+)\3\s*\)"
)
_SPACES: Final = re.compile(r"[^\S\n]+")
_BLANK_LINES: Final = re.compile(r"\s*\n\s*")
_CHARSET: Final = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# Pages labelled GB2312 or GBK routinely use characters only GB18030, their superset, has.
_SUPERSETS: Final = {"gb2312": "gb18030", "gbk": "gb18030", "ascii": "utf-8"}


@dataclass(frozen=True, slots=True)
class LandingPage:
    title: str
    text: str
    redirect: str | None
    """The target of a meta refresh or JavaScript redirect, as written in the page."""


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.meta: list[str] = []
        self.body: list[str] = []
        self.scripts: list[str] = []
        self.refresh: str | None = None
        self._hidden: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = tag
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            self._meta({name.lower(): value or "" for name, value in attrs})
        elif tag in _BLOCK_TAGS:
            self.body.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._hidden:
            self._hidden = None
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCK_TAGS:
            self.body.append("\n")

    def handle_data(self, data: str) -> None:
        if self._hidden == "script":
            self.scripts.append(data)
        elif self._hidden is not None:
            return
        elif self._in_title:
            self.title.append(data)
        else:
            self.body.append(data)

    def _meta(self, attrs: dict[str, str]) -> None:
        if attrs.get("http-equiv", "").lower() == "refresh" and self.refresh is None:
            match = _REFRESH.match(attrs.get("content", ""))
            if match:
                self.refresh = match.group("target")
        elif attrs.get("name", "").lower() in ("description", "keywords"):
            self.meta.append(attrs.get("content", ""))


def _tidy(text: str) -> str:
    return _BLANK_LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def _script_redirect(scripts: list[str]) -> str | None:
    for script in scripts:
        match = _JS_REDIRECT.search(script)
        if match:
            return match.group("assigned") or match.group("called")
    return None


def parse_html(html: str, max_chars: int) -> LandingPage:
    parser = _PageParser()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:
        # html.parser asserts on some malformed markup (``<![`` followed by junk); what it
        # read up to there is still the page's text.
        pass
    text = "\n".join(filter(None, (_tidy(" ".join(parser.meta)), _tidy("".join(parser.body)))))
    redirect = parser.refresh or _script_redirect(parser.scripts)
    return LandingPage(_tidy("".join(parser.title))[:max_chars], text[:max_chars], redirect)


def parse_plain(text: str, max_chars: int) -> LandingPage:
    return LandingPage("", _tidy(text)[:max_chars], None)


def media_type(content_type: str) -> str:
    return content_type.partition(";")[0].strip().lower()


def _codec(name: str) -> str | None:
    """The text codec a page declares; None for unknown names and for codecs that are not
    text encodings (``hex``, ``base64``, ``rot13``…), which a hostile page could name to
    make decoding fail and so hide its text from the scan."""
    name = _SUPERSETS.get(name.lower(), name)
    try:
        info = codecs.lookup(name)
    except (LookupError, UnicodeError):
        return None
    return info.name if info._is_text_encoding else None


def decode(body: bytes, content_type: str, truncated: bool) -> str:
    """The body as text: the declared charset (header, then ``<meta>``), else UTF-8, else
    GB18030 — the usual encodings of Chinese pages that declare nothing."""
    declared = _CHARSET.search(content_type.encode("latin-1", "replace")) or _CHARSET.search(
        body[:4096]
    )
    codec = _codec(declared.group(1).decode("ascii")) if declared else None
    if codec is not None:
        try:
            return body.decode(codec, errors="replace")
        except UnicodeError:
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A body cut at the size limit may end inside a character; that alone is no
        # reason to doubt UTF-8.
        if truncated and exc.start >= len(body) - 3:
            return body.decode("utf-8", errors="replace")
        return body.decode("gb18030", errors="replace")
