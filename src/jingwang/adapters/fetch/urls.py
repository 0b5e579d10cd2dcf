"""Parsing the links the resolver follows: absolute http(s) URLs with a host, nothing else."""

from __future__ import annotations

from typing import Literal

import httpx

BadUrlKind = Literal["bad_scheme", "bad_url"]


class BadUrlError(ValueError):
    def __init__(self, kind: BadUrlKind, message: str) -> None:
        super().__init__(message)
        self.kind: BadUrlKind = kind
        self.message = message


def parse_link(text: str) -> httpx.URL:
    """An http(s) URL with a host, fragment dropped; :class:`BadUrlError` otherwise.

    User info is kept here so that the caller can tell a malformed link from a
    ``https://bank.com@evil.top/`` trick, which is well-formed but never fetched.
    """
    try:
        url = httpx.URL(text.strip())
    except (httpx.InvalidURL, UnicodeError) as exc:  # a lone surrogate cannot be encoded
        raise BadUrlError("bad_url", f"cannot parse {text!r}: {exc}") from None
    if url.scheme not in ("http", "https"):
        raise BadUrlError("bad_scheme", f"only http and https links are followed, not {text!r}")
    if not url.host:
        raise BadUrlError("bad_url", f"{text!r} has no host")
    return url.copy_with(fragment=None)


def follow(base: httpx.URL, location: str) -> httpx.URL:
    """The URL a redirect to ``location`` (absolute, scheme- or path-relative) leads to."""
    try:
        target = base.join(location.strip())
    except httpx.InvalidURL as exc:
        raise BadUrlError("bad_url", f"cannot parse redirect target {location!r}: {exc}") from None
    return parse_link(str(target))
