"""Following a link to its landing page: redirects of every kind, under hard limits.

A chain is followed hop by hop: HTTP 3xx with a ``Location`` (relative ones too), then
``<meta http-equiv="refresh">`` and simple JavaScript ``location`` assignments in the
page. Every connection goes through :class:`GuardedBackend`, so each hop's host is
resolved and checked before a socket is opened, and the socket goes to the checked
address. Bodies are streamed and read only up to ``max_bytes``.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

import httpcore
import httpx

from jingwang.adapters.fetch.addresses import (
    AddressGuard,
    HostResolver,
    RefusedAddressError,
    UnresolvableHostError,
    system_resolver,
)
from jingwang.adapters.fetch.backend import GuardedBackend
from jingwang.adapters.fetch.cache import TtlCache
from jingwang.adapters.fetch.landing import (
    READABLE_TYPES,
    LandingPage,
    decode,
    media_type,
    parse_html,
    parse_plain,
)
from jingwang.adapters.fetch.urls import BadUrlError, follow, parse_link

ErrorKind = Literal[
    "timeout",
    "refused_address",
    "refused_userinfo",
    "too_many_redirects",
    "too_large",
    "bad_scheme",
    "bad_url",
    "http_error",
    "unreachable",
]

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
# A slow or briefly unreachable server may answer next time; everything else is a fact
# about the link that holds for the cache's lifetime.
_TRANSIENT: Final = frozenset({"timeout", "unreachable"})
_NO_PAGE: Final = LandingPage("", "", None)


@dataclass(frozen=True, slots=True)
class FetchLimits:
    max_hops: int = 8
    """Redirects followed (HTTP, meta refresh and JavaScript alike) before giving up."""
    connect_timeout: float = 3.0
    read_timeout: float = 5.0
    url_budget: float = 10.0
    """Seconds for a whole chain, every hop and body read included (DNS excepted)."""
    max_bytes: int = 1_000_000
    max_text_chars: int = 20_000
    cache_entries: int = 1024
    cache_ttl: float = 300.0
    user_agent: str = "Mozilla/5.0 (compatible; jingwang-linkcheck/0.1)"


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a link led. ``chain`` runs from the link as given to the final URL;
    ``status`` is the final URL's HTTP status (None when it never answered). On failure
    ``error`` says why and ``message`` in words; a ``too_large`` page keeps the text of
    its first ``max_bytes``."""

    chain: tuple[str, ...]
    status: int | None = None
    title: str = ""
    text: str = ""
    error: ErrorKind | None = None
    message: str = ""

    @property
    def final_url(self) -> str:
        return self.chain[-1]


class _HopError(Exception):
    def __init__(self, kind: ErrorKind, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class _Answer:
    """One hop's response: a redirect target, or the page it served."""

    status: int
    location: str | None
    page: LandingPage
    truncated: bool = False


class Resolver:
    """Follows links to their landing pages; safe to share between threads.

    ``resolve_host`` and ``network_backend`` exist for tests: a fake DNS, and a backend
    that records connection attempts instead of reaching the addresses it is given.
    ``ssl_context`` replaces the default certificate store (certifi's), e.g. with a
    test or corporate CA.
    """

    def __init__(
        self,
        *,
        allow_private: bool = False,
        limits: FetchLimits | None = None,
        resolve_host: HostResolver = system_resolver,
        network_backend: httpcore.NetworkBackend | None = None,
        ssl_context: ssl.SSLContext | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits if limits is not None else FetchLimits()
        self._backend = GuardedBackend(AddressGuard(allow_private, resolve_host), network_backend)
        self._ssl_context = ssl_context or httpx.create_ssl_context()
        self._clock = clock
        self._cache: TtlCache[str, Resolution] = TtlCache(
            self.limits.cache_entries, self.limits.cache_ttl, clock
        )

    def resolve(self, url: str, budget: float | None = None) -> Resolution:
        """Follow ``url`` within ``budget`` seconds (at most ``url_budget``).

        Never raises for what a link or its servers do: every failure is a
        :class:`Resolution` with an ``error``.
        """
        try:
            start = parse_link(url)
        except BadUrlError as problem:
            return Resolution((url,), error=problem.kind, message=problem.message)
        key = str(start)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        seconds = self.limits.url_budget if budget is None else min(budget, self.limits.url_budget)
        resolution = self._follow(start, self._clock() + seconds)
        if resolution.error not in _TRANSIENT:
            self._cache.put(key, resolution)
        return resolution

    def _follow(self, start: httpx.URL, deadline: float) -> Resolution:
        chain = [start]
        with httpcore.ConnectionPool(
            ssl_context=self._ssl_context, network_backend=self._backend, retries=0
        ) as pool:
            while True:
                url = chain[-1]
                try:
                    answer = self._fetch(pool, url, deadline)
                except _HopError as failure:
                    return _result(chain, failure.status, error=failure)
                if answer.location is None:
                    return _result(chain, answer.status, answer.page, _too_large(answer))
                try:
                    target = follow(url, answer.location)
                except BadUrlError as problem:
                    return _result(
                        chain, answer.status, error=_HopError(problem.kind, problem.message)
                    )
                if target in chain and answer.status not in REDIRECT_STATUSES:
                    # A page that refreshes itself (or an earlier hop) is a landing page.
                    return _result(chain, answer.status, answer.page)
                if target in chain or len(chain) > self.limits.max_hops:
                    endless = _HopError(
                        "too_many_redirects",
                        f"{start} redirects in a loop or more than {self.limits.max_hops} times",
                    )
                    return _result(chain, answer.status, error=endless)
                chain.append(target)

    def _fetch(self, pool: httpcore.ConnectionPool, url: httpx.URL, deadline: float) -> _Answer:
        if url.userinfo:
            raise _HopError("refused_userinfo", f"{url} hides its host behind user info")
        extensions = {"timeout": self._timeouts(deadline)}
        target = httpcore.URL(
            scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
        )
        headers = [
            (b"Host", url.netloc),
            (b"User-Agent", self.limits.user_agent.encode("ascii")),
            (b"Accept", b"text/html,text/plain;q=0.9,*/*;q=0.1"),
            # Bodies are never decompressed (no decompression bombs), so ask for none.
            (b"Accept-Encoding", b"identity"),
        ]
        try:
            with pool.stream("GET", target, headers=headers, extensions=extensions) as response:
                return self._answer(response, url, deadline)
        except RefusedAddressError as exc:
            raise _HopError("refused_address", str(exc)) from None
        except UnresolvableHostError as exc:
            raise _HopError("unreachable", str(exc)) from None
        except httpcore.TimeoutException:
            raise _HopError("timeout", f"{url} did not answer in time") from None
        except httpcore.NetworkError as exc:
            raise _HopError("unreachable", f"{url}: {type(exc).__name__} {exc}") from None
        except (httpcore.ProtocolError, httpcore.UnsupportedProtocol) as exc:
            raise _HopError("http_error", f"{url}: {type(exc).__name__} {exc}") from None

    def _timeouts(self, deadline: float) -> dict[str, float]:
        left = deadline - self._clock()
        if left <= 0:
            raise _HopError("timeout", "the time budget ran out before the link resolved")
        connect = min(self.limits.connect_timeout, left)
        read = min(self.limits.read_timeout, left)
        return {"connect": connect, "read": read, "write": read, "pool": connect}

    def _answer(self, response: httpcore.Response, url: httpx.URL, deadline: float) -> _Answer:
        status = response.status
        location = _header(response, b"location")
        if status in REDIRECT_STATUSES and location:
            return _Answer(status, location, _NO_PAGE)
        if status >= 400:
            raise _HopError("http_error", f"{url} answered HTTP {status}", status)
        content_type = _header(response, b"content-type") or ""
        kind = media_type(content_type)
        encoding = (_header(response, b"content-encoding") or "identity").strip().lower()
        if kind not in READABLE_TYPES or encoding != "identity":
            return _Answer(status, None, _NO_PAGE)
        body, truncated = self._read_body(response, url, deadline)
        text = decode(body, content_type, truncated)
        limit = self.limits.max_text_chars
        page = parse_html(text, limit) if kind == "text/html" else parse_plain(text, limit)
        # A page cut short may have lost the end of its redirect script; it is the landing.
        return _Answer(status, None if truncated else page.redirect, page, truncated)

    def _read_body(
        self, response: httpcore.Response, url: httpx.URL, deadline: float
    ) -> tuple[bytes, bool]:
        body = bytearray()
        for chunk in response.iter_stream():
            body += chunk
            if len(body) > self.limits.max_bytes:
                return bytes(body[: self.limits.max_bytes]), True
            if self._clock() > deadline:
                raise _HopError("timeout", f"{url} sent its page too slowly", response.status)
        return bytes(body), False


def _header(response: httpcore.Response, name: bytes) -> str | None:
    for key, value in response.headers:
        if key.lower() == name:
            return value.decode("utf-8", errors="replace")
    return None


def _too_large(answer: _Answer) -> _HopError | None:
    if not answer.truncated:
        return None
    return _HopError("too_large", "the page is larger than the size limit; its start was read")


def _result(
    chain: list[httpx.URL],
    status: int | None,
    page: LandingPage = _NO_PAGE,
    error: _HopError | None = None,
) -> Resolution:
    return Resolution(
        chain=tuple(str(url) for url in chain),
        status=status,
        title=page.title,
        text=page.text,
        error=error.kind if error else None,
        message=error.message if error else "",
    )
