"""Landing pages of an item's links as text views, so every detector reads them too.

A link that cannot be followed (a refused address, a dead host, a timeout) is an
everyday thing for spam and never fails the item: it still yields a
:class:`LandingView` with the chain walked so far, empty text, and the error, so the
links detector can judge the hosts of the chain. Only an entry of ``urls`` that is not
an http(s) URL at all is the caller's mistake and raises ``ItemError("invalid_url")``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from jingwang.adapters.fetch.resolver import ErrorKind, Resolution, Resolver
from jingwang.adapters.fetch.urls import BadUrlError, parse_link
from jingwang.core.detect.base import Inspection, TextView
from jingwang.core.detect.extract.urls import URL_FOLD, find_links
from jingwang.core.io import ItemError
from jingwang.core.normalize import normalize
from jingwang.core.types import ScanItem


@dataclass(frozen=True, slots=True)
class LandingView(TextView):
    """A landing page's view; ``status`` and ``error`` tell how its resolution ended."""

    status: int | None = None
    error: ErrorKind | None = None


def landing_view(resolution: Resolution) -> LandingView:
    text = "\n".join(filter(None, (resolution.title, resolution.text)))
    return LandingView(
        source=f"url:{resolution.final_url}",
        normalized=normalize(text),
        chain=resolution.chain,
        status=resolution.status,
        error=resolution.error,
    )


def _with_scheme(url: str) -> str:
    # The same leniency as the links detector's host_of: "example.com/x" is a web link.
    stripped = url.strip()
    return stripped if "//" in stripped else "http://" + stripped


class LinkViewSource:
    """One :class:`LandingView` per link of an item: its ``urls`` first, then (when
    ``text_urls``) links written in its text, obfuscated ones included; at most
    ``max_urls`` links and ``item_budget`` seconds per item."""

    name = "landing_pages"

    def __init__(
        self,
        resolver: Resolver,
        *,
        max_urls: int = 5,
        item_budget: float = 20.0,
        text_urls: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._resolver = resolver
        self._max_urls = max_urls
        self._item_budget = item_budget
        self._text_urls = text_urls
        self._clock = clock

    def references(self, item: ScanItem) -> bool:
        try:
            return bool(self._links(item))
        except ItemError:
            return True  # ``inspect`` reports it

    def inspect(self, item: ScanItem) -> Inspection:
        deadline = self._clock() + self._item_budget
        return Inspection(
            tuple(
                landing_view(self._resolver.resolve(url, budget=deadline - self._clock()))
                for url in self._links(item)
            )
        )

    def _links(self, item: ScanItem) -> list[str]:
        links: dict[str, None] = {}
        for given in item.urls:
            try:
                url = parse_link(_with_scheme(given))
            except BadUrlError as problem:
                raise ItemError("invalid_url", problem.message, item.id) from None
            links.setdefault(str(url))
        if self._text_urls and item.text:
            for link in find_links(item.text.translate(URL_FOLD), item.text):
                links.setdefault(link.url)
        return list(links)[: self._max_urls]
