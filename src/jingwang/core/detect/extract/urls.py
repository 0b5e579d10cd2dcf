"""Finding URLs in text, including the ways spammers write them to dodge link filters.

``pan 点 baidu 点 com/s/1x``, ``www。abc。com``, ``hxxps://``, ``abc dot xyz``, a
full-width ``．`` — all are folded or matched here and rebuilt into one canonical URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from jingwang.core.detect.extract.fold import fold_table
from jingwang.core.detect.extract.gated import gated_finditer

URL_FOLD: Final = fold_table({"。": ".", "．": ".", "｡": ".", "點": "点"})

# TLDs a bare domain (no scheme, no www) may end in. File extensions that are also
# TLDs (.md, .py, .sh, .pl) are left out: "README.md" is not a link.
BARE_TLDS: Final = frozenset(
    {
        "com",
        "cn",
        "net",
        "org",
        "info",
        "biz",
        "top",
        "vip",
        "xyz",
        "cc",
        "tv",
        "me",
        "io",
        "co",
        "app",
        "club",
        "site",
        "online",
        "shop",
        "store",
        "fun",
        "icu",
        "work",
        "link",
        "win",
        "bet",
        "casino",
        "porn",
        "xxx",
        "sex",
        "adult",
        "cam",
        "asia",
        "ren",
        "wang",
        "ltd",
        "pw",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "ws",
        "hk",
        "tw",
        "la",
        "us",
        "uk",
        "jp",
        "kr",
        "ru",
        "de",
        "sg",
        "so",
        "im",
        "ly",
        "gl",
        "gd",
        "fm",
        "to",
        "ai",
        "buzz",
        "loan",
        "bid",
        "live",
        "mobi",
        "pro",
        "name",
        "edu",
        "gov",
    }
)
# With spaces around a plain dot ("1. In"), only the TLDs spammers use count.
SPACED_TLDS: Final = frozenset({"com", "cn", "net", "org", "top", "vip", "xyz", "cc"})

_LABEL: Final = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_OBFUSCATED_DOT: Final = r"\(dot\)|\[dot\]|\[\.\]|\(\.\)|点"
_DOT: Final = rf"(?:\s{{0,3}}(?:\.|{_OBFUSCATED_DOT})\s{{0,3}}|\s{{1,3}}dot\s{{1,3}})"


def _url_pattern(dot: str, start_guard: str = "") -> re.Pattern[str]:
    return re.compile(
        # Not inside a word — nor right after a Cyrillic or Greek letter, where the
        # ASCII tail of a look-alike host ("pоrnhub") would pass for a host of its own.
        rf"(?<![a-z0-9.@_\-\u0370-\u03ff\u0400-\u04ff]){start_guard}"
        r"(?P<scheme>h\s?[tx]\s?[tx]\s?p(?:\s?s)?\s{0,3}:\s{0,3}/\s{0,3}/\s{0,3})?"
        rf"(?P<www>w\s?w\s?w{dot})?"
        # Bounded label count: real hosts have a handful, and an unbounded repeat turns
        # "a a a a …" into quadratic backtracking.
        rf"(?P<host>{_LABEL}(?:{dot}{_LABEL}){{0,8}}{dot}(?P<tld>[a-z]{{2,24}}))(?![a-z0-9-])"
        r"(?P<port>:\d{2,5})?"
        r"(?P<path>/[^\s<>\"'，。！？、；）】》」]*)?"
    )


_URL: Final = _url_pattern(_DOT)
# The shared normaliser turns "pornhub.com" into "pornhub com": in its output a single
# space between labels stands for the dot it deleted.
# A host starts only at the first word of such a run, or "a a a …" is scanned from
# every word.
_URL_NORMALIZED: Final = _url_pattern(rf"(?:{_DOT}| )", r"(?<![a-z0-9] )")
_DOT_TOKEN: Final = re.compile(_DOT)
_SPACED_DOT: Final = re.compile(rf"{_DOT}| ")
_OBFUSCATION: Final = re.compile(rf"\s|{_OBFUSCATED_DOT}|dot|h\s?x")
_HAS_LETTER: Final = re.compile(r"[a-z]")
_DOT_LIKE: Final = re.compile(r"[.点]|dot")
_HTTPS: Final = re.compile(r"h\s?[tx]\s?[tx]\s?p\s?s")
# Where a URL can begin, for ``gated_finditer``: the first letter or digit of an ASCII
# word (the patterns' look-behind refuses a letter or digit before the start).
_ASCII_WORD: Final = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Link:
    """A URL found in a text: where, its canonical form, and whether it was disguised."""

    start: int
    end: int
    url: str
    host: str
    obfuscated: bool


def find_links(folded: str, unfolded: str, normalized: bool = False) -> list[Link]:
    """Links in ``folded`` (``unfolded`` translated with ``URL_FOLD``).

    Paths keep their case from ``unfolded``: share codes are case-sensitive.
    ``normalized`` says the text is the shared normaliser's output.
    """
    if not normalized and not _DOT_LIKE.search(folded):
        return []
    links = []
    for match in gated_finditer(_URL_NORMALIZED if normalized else _URL, _ASCII_WORD, folded):
        scheme, raw_host, tld = match.group("scheme"), match.group("host"), match.group("tld")
        host = (_SPACED_DOT if normalized else _DOT_TOKEN).sub(".", raw_host)
        if match.group("www"):
            host = "www." + host
        obfuscated = _OBFUSCATION.search(match.group()) is not None
        if not _plausible(host, tld, scheme is not None, raw_host != host):
            continue
        url_scheme = "https" if scheme and _HTTPS.match(scheme) else "http"
        path = unfolded[match.start("path") : match.end("path")] if match.group("path") else ""
        url = f"{url_scheme}://{host}{match.group('port') or ''}{path}"
        links.append(Link(match.start(), match.end(), url, host, obfuscated))
    return links


def _plausible(host: str, tld: str, has_scheme: bool, dots_rewritten: bool) -> bool:
    if has_scheme or host.startswith("www."):
        return True
    if tld not in BARE_TLDS:
        return False
    if dots_rewritten and tld not in SPACED_TLDS:
        return False
    # "1.in", "3.cc": a host needs a letter before its TLD to be a name.
    return bool(_HAS_LETTER.search(host[: -len(tld)]))


def host_of(url: str) -> str | None:
    """The host of a URL given as data (an item's ``urls`` entry), lower-case."""
    candidate = url.strip()
    if "//" not in candidate:
        candidate = "http://" + candidate
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def tld_of(host: str) -> str:
    return host.rpartition(".")[2]
