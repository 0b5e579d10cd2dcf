"""Which IP addresses a link may be fetched from, and the DNS look-up that feeds the check.

A host is acceptable only when every address it resolves to is public: a name that
answers with one public and one private address could be steered to the private one, so
it is refused as a whole.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
HostResolver = Callable[[str, int], Sequence[str]]
"""Turns ``(host, port)`` into IP address strings; ``socket.getaddrinfo`` in production."""


class RefusedAddressError(Exception):
    """A host resolves to an address that links may not be fetched from."""

    def __init__(self, host: str, address: IPAddress) -> None:
        super().__init__(f"{host} resolves to {address}, which is not a public address")
        self.host = host
        self.address = address


class UnresolvableHostError(Exception):
    """The host name has no address (or the look-up failed)."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"{host} does not resolve: {reason}")
        self.host = host


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries and forwards to (IPv4-mapped, 6to4).

    ``::ffff:10.0.0.1`` reaches 10.0.0.1 on dual-stack sockets, and ``2002:a00:1::`` is
    routed to 10.0.0.1 by a 6to4 relay, yet Python calls both of them global.
    """
    return address.ipv4_mapped or address.sixtofour


def is_public(address: IPAddress) -> bool:
    """Whether ``address`` is a globally routed unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public(inner)
    # is_global alone lets multicast through (224.0.0.1 is "global"), so every class the
    # fetcher must never reach is named.
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the operating system's resolver gives for a TCP connection."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


class AddressGuard:
    """Resolves a host once and vets the answer; callers connect only to what it returns."""

    def __init__(self, allow_private: bool = False, resolve: HostResolver = system_resolver):
        self.allow_private = allow_private
        self._resolve = resolve

    def addresses(self, host: str, port: int) -> list[IPAddress]:
        """The checked addresses of ``host``; :class:`RefusedAddressError` if any is not public."""
        literal = _ip_literal(host)
        if literal is not None:
            found = [literal]
        else:
            try:
                found = list(dict.fromkeys(map(ipaddress.ip_address, self._resolve(host, port))))
            except (OSError, UnicodeError) as exc:
                raise UnresolvableHostError(host, str(exc)) from None
            if not found:
                raise UnresolvableHostError(host, "no addresses")
        if not self.allow_private:
            for address in found:
                if not is_public(address):
                    raise RefusedAddressError(host, address)
        return found
