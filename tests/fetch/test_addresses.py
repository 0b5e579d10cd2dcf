"""The SSRF address rules: classification only, no connections."""

from __future__ import annotations

import ipaddress

import pytest

from jingwang.adapters.fetch.addresses import (
    AddressGuard,
    RefusedAddressError,
    UnresolvableHostError,
    is_public,
)

from .rig import FAKE_DNS, FakeDns


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.1",
        "10.255.255.254",
        "172.16.0.1",
        "172.31.255.1",
        "192.168.1.1",
        "100.64.0.1",  # carrier-grade NAT
        "169.254.169.254",  # cloud metadata
        "0.0.0.0",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",  # documentation
        "198.18.0.1",  # benchmarking
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "::ffff:127.0.0.1",
        "2002:a00:1::",  # 6to4 wrapping 10.0.0.1
        "64:ff9b::a00:1",  # NAT64 wrapping 10.0.0.1
        "2001:db8::1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "223.5.5.5", "2001:4860::", "2400:3200::1", "::ffff:8.8.8.8"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_guard_refuses_a_name_with_any_private_answer() -> None:
    guard = AddressGuard(resolve=FakeDns(FAKE_DNS))
    with pytest.raises(RefusedAddressError) as refused:
        guard.addresses("mixed.com", 80)
    assert refused.value.address == ipaddress.ip_address("192.168.1.1")


def test_guard_checks_ip_literals_without_dns() -> None:
    dns = FakeDns({})
    guard = AddressGuard(resolve=dns)
    with pytest.raises(RefusedAddressError):
        guard.addresses("10.0.0.1", 80)
    assert guard.addresses("8.8.8.8", 80) == [ipaddress.ip_address("8.8.8.8")]
    assert dns.lookups == []


def test_guard_allows_private_addresses_only_when_told() -> None:
    guard = AddressGuard(allow_private=True, resolve=FakeDns(FAKE_DNS))
    assert guard.addresses("localhost", 80) == [ipaddress.ip_address("127.0.0.1")]


def test_unknown_names_are_unresolvable() -> None:
    with pytest.raises(UnresolvableHostError):
        AddressGuard(resolve=FakeDns({})).addresses("nowhere.invalid", 80)
