"""A loopback HTTP server playing spam sites, a fake DNS and a connection recorder.

Resolvers in these tests see made-up public host names (``short.cn``, ``landing.top``)
that the fake DNS maps to public addresses; the recording backend notes each address a
connection was opened for and connects to the loopback server instead. So the SSRF
rules run exactly as in production while no socket ever leaves 127.0.0.1.
"""

from __future__ import annotations

import gzip
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpcore

from jingwang.adapters.fetch import FetchLimits, Resolver

SPAM_PAGE = (
    "<html><head><title>澳门娱乐城</title>"
    '<meta name="keywords" content="百家乐,时时彩">'
    "<style>body { color: red }</style></head>"
    "<body><div>真人百家乐 在线开户</div><script>var tracking = 1;</script>"
    "<p>充值送彩金</p></body></html>"
)
FAKE_DNS = {
    "short.cn": ["8.8.8.8"],
    "secure.top": ["9.9.9.9"],
    "hop.cn": ["8.8.4.4"],
    "landing.top": ["1.1.1.1"],
    "localhost": ["127.0.0.1"],
    "intranet.corp.com": ["10.1.2.3"],
    "metadata.cloud.com": ["169.254.169.254"],
    "mixed.com": ["1.0.0.1", "192.168.1.1"],
}


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Iterable[bytes] = ()
    delay: float = 0.0


def html(text: str, status: int = 200) -> Reply:
    return Reply(status, text.encode(), {"Content-Type": "text/html; charset=utf-8"})


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, headers={"Location": location})


def _huge_body() -> Iterator[bytes]:
    chunk = b"x" * 65536
    for _ in range(800):  # 50 MiB offered; the client must stop long before
        yield chunk


def _drip() -> Iterator[bytes]:
    for _ in range(200):
        time.sleep(0.02)
        yield b"."


ROUTES: dict[str, Callable[[dict[str, list[str]]], Reply]] = {
    "/start": lambda q: redirect("/hop2", 301),
    "/hop2": lambda q: redirect("http://hop.cn/hop3"),
    "/hop3": lambda q: redirect("../landing"),
    "/landing": lambda q: html(SPAM_PAGE),
    "/meta": lambda q: html(
        '<html><head><meta http-equiv="refresh" content="0; URL=\'/landing\'"></head></html>'
    ),
    "/js": lambda q: html('<html><script>window.location.href = "/landing";</script></html>'),
    "/js-replace": lambda q: html(
        "<script>location.replace('http://landing.top/landing')</script>"
    ),
    "/self-refresh": lambda q: html(
        '<meta http-equiv="refresh" content="30;url=/self-refresh"><p>每日更新</p>'
    ),
    "/loop-a": lambda q: redirect("/loop-b"),
    "/loop-b": lambda q: redirect("/loop-a"),
    "/endless": lambda q: redirect(f"/endless?n={int(q.get('n', ['0'])[0]) + 1}"),
    "/to": lambda q: redirect(q["target"][0]),
    "/huge": lambda q: Reply(
        headers={"Content-Type": "text/html", "Content-Length": str(800 * 65536)},
        chunks=_huge_body(),
    ),
    "/slow": lambda q: Reply(delay=3.0, body=b"late", headers={"Content-Type": "text/plain"}),
    "/drip": lambda q: Reply(headers={"Content-Type": "text/plain"}, chunks=_drip()),
    "/plain": lambda q: Reply(
        body="加微信 领取福利".encode(), headers={"Content-Type": "text/plain"}
    ),
    "/gbk": lambda q: Reply(
        body='<meta charset="gbk"><p>六合彩</p>'.encode("gbk"),
        headers={"Content-Type": "text/html"},
    ),
    "/gzip": lambda q: Reply(
        body=gzip.compress(b"<p>hidden</p>"),
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
    ),
    "/image": lambda q: Reply(body=b"\x89PNG....", headers={"Content-Type": "image/png"}),
    "/gone": lambda q: html("<p>not here</p>", 404),
    "/ftp": lambda q: redirect("ftp://files.example.com/x"),
}


class SpamServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str]] = []  # (Host header, path)
        self.server_names: list[str | None] = []  # SNI of each TLS handshake
        if tls is not None:
            tls.sni_callback = self._record_sni
            self.socket = tls.wrap_socket(self.socket, server_side=True)

    def _record_sni(
        self, connection: ssl.SSLObject | ssl.SSLSocket, name: str | None, context: ssl.SSLContext
    ) -> None:
        self.server_names.append(name)

    @property
    def port(self) -> int:
        return self.server_address[1]


class _Handler(BaseHTTPRequestHandler):
    server: SpamServer

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.requests.append((self.headers.get("Host", ""), self.path))
        route = ROUTES.get(parts.path)
        reply = route(parse_qs(parts.query)) if route else html("no such page", 404)
        time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if "Content-Length" not in reply.headers and not reply.chunks:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
            for chunk in reply.chunks:
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should for /huge

    def log_message(self, format: str, *args: object) -> None:
        pass


class FakeDns:
    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.lookups: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host not in self.table:
            raise OSError(f"fake DNS has no {host}")
        return self.table[host]


class LoopbackRecorder(httpcore.NetworkBackend):
    """Records the address each connection was meant for, then connects to the server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.attempts: list[tuple[str, int]] = []
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        self.attempts.append((host, port))
        return self._inner.connect_tcp(
            "127.0.0.1", self.port, timeout, local_address, socket_options
        )


TEST_LIMITS = FetchLimits(connect_timeout=0.5, read_timeout=0.3, url_budget=2.0)


@dataclass
class Rig:
    resolver: Resolver
    dns: FakeDns
    backend: LoopbackRecorder
    server: SpamServer
    time_shift: list[float]  # seconds added to the resolver's clock

    def connected_to(self) -> list[str]:
        return [host for host, _ in self.backend.attempts]


def make_rig(
    server: SpamServer, limits: FetchLimits = TEST_LIMITS, ssl_context: ssl.SSLContext | None = None
) -> Rig:
    dns = FakeDns(FAKE_DNS)
    backend = LoopbackRecorder(server.port)
    shift = [0.0]

    def clock() -> float:
        return time.monotonic() + shift[0]

    resolver = Resolver(
        limits=limits,
        resolve_host=dns,
        network_backend=backend,
        ssl_context=ssl_context,
        clock=clock,
    )
    return Rig(resolver, dns, backend, server, shift)
