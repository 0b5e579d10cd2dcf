"""Link resolution: jingwang's guarded resolver against a plain HTTP GET, in one run.

    .venv/bin/python benchmarks/bench_links.py [--requests 300] [--repeats 3]

A second process serves spam-site pages on 127.0.0.1 (a landing page, a 3-hop HTTP
redirect chain, a meta refresh and a JavaScript redirect), so server work does not share
this process's GIL. The baseline is one plain ``httpx`` GET of the landing page (no
redirects followed, no address checks, no text extraction). The resolver is jingwang's
(``allow_private=True``, the explicit setting that lets it reach loopback; every other
rule — address check at every hop, limits, HTML to text — runs as in production). Each
request uses a fresh URL, so the resolver's cache never answers, except in the "cached"
row. The full scan row is ``Scanner.scan`` of an item whose only content is the link
(resolution + every detector on the landing page). Figures are medians of ``--repeats``
interleaved runs on one client thread.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from multiprocessing.queues import SimpleQueue
from urllib.parse import urlsplit

import httpx

from jingwang.adapters.fetch import LinkViewSource, Resolver
from jingwang.core.pipeline import Scanner
from jingwang.core.types import ScanItem

LANDING = (
    "<html><head><title>澳门娱乐城 真人百家乐</title></head><body>"
    + "<p>充值送彩金，在线开户，客服微信 abc12345</p>" * 20
    + "</body></html>"
).encode()
REDIRECTS = {
    "/chain": "/hop2",
    "/hop2": "/hop3",
    "/hop3": "/landing",
}
META = b'<html><head><meta http-equiv="refresh" content="0; URL=/landing"></head></html>'
SCRIPT = b'<html><script>window.location.href = "/landing";</script></html>'


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, a keep-alive client waits
    # for the delayed ACK (~40 ms) on every request.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path in REDIRECTS:
            self.send_response(302)
            self.send_header("Location", REDIRECTS[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = {"/meta": META, "/js": SCRIPT}.get(path, LANDING)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(port: SimpleQueue[int]) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    port.put(server.server_address[1])
    server.serve_forever()


def _latencies(run: Callable[[str], object], paths: list[str], base: str) -> list[float]:
    fresh = count()
    out = []
    for path in paths:
        url = f"{base}{path}?n={next(fresh)}-{time.perf_counter_ns()}"
        started = time.perf_counter()
        run(url)
        out.append(time.perf_counter() - started)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    ports: SimpleQueue[int] = multiprocessing.SimpleQueue()
    server = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{ports.get()}"
    try:
        resolver = Resolver(allow_private=True)
        scanner = Scanner.from_names(sources=[LinkViewSource(resolver)])
        with httpx.Client(follow_redirects=False) as client:
            cached_url = f"{base}/chain"
            resolver.resolve(cached_url)
            contenders: dict[str, tuple[Callable[[str], object], str]] = {
                "plain httpx GET (baseline)": (client.get, "/landing"),
                "resolve: landing page": (resolver.resolve, "/landing"),
                "resolve: 3 HTTP redirects": (resolver.resolve, "/chain"),
                "resolve: meta refresh": (resolver.resolve, "/meta"),
                "resolve: JavaScript redirect": (resolver.resolve, "/js"),
                "resolve: cached": (lambda _url: resolver.resolve(cached_url), "/chain"),
                "scan an item with the link": (
                    lambda url: scanner.scan(ScanItem("bench", urls=(url,))),
                    "/chain",
                ),
            }
            for run, path in contenders.values():  # connections, tables, caches
                _latencies(run, [path] * 5, base)
            runs: dict[str, list[list[float]]] = {name: [] for name in contenders}
            for _ in range(args.repeats):
                for name, (run, path) in contenders.items():
                    runs[name].append(_latencies(run, [path] * args.requests, base))
    finally:
        server.terminate()

    print(
        f"{args.requests} requests per contender and repeat, median of {args.repeats} "
        "interleaved repeats, loopback, one client thread"
    )
    baseline = statistics.median(statistics.median(r) for r in runs["plain httpx GET (baseline)"])
    for name, repeats in runs.items():
        p50 = statistics.median(statistics.median(r) for r in repeats)
        p99 = statistics.median(sorted(r)[int(0.99 * (len(r) - 1))] for r in repeats)
        print(
            f"  {name:30s} {1 / p50:8,.0f}/s  p50 {1e3 * p50:6.2f} ms  p99 {1e3 * p99:6.2f} ms"
            f"  ×{p50 / baseline:5.1f} baseline"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
