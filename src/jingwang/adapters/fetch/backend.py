"""The network backend that pins every connection to an address the guard accepted.

httpcore asks its backend to ``connect_tcp(host, port)`` whenever it opens a connection,
for the first URL and for every redirect hop alike. This backend resolves the host
itself, through :class:`AddressGuard`, and hands the inner backend the checked IP
literal, so no second DNS look-up happens between check and connect: a name that
rebinds to a private address after the check cannot redirect the socket. The HTTP
``Host`` header, TLS SNI and certificate verification still use the host name, because
httpcore takes those from the request URL, not from the socket's address.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpcore

from jingwang.adapters.fetch.addresses import AddressGuard


class GuardedBackend(httpcore.NetworkBackend):
    def __init__(self, guard: AddressGuard, inner: httpcore.NetworkBackend | None = None) -> None:
        self._guard = guard
        self._inner = inner if inner is not None else httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._guard.addresses(host, port)
        for address in addresses[:-1]:
            try:
                return self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError:
                continue  # e.g. an IPv6 answer on a host without an IPv6 route
        return self._inner.connect_tcp(
            str(addresses[-1]), port, timeout, local_address, socket_options
        )

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)
