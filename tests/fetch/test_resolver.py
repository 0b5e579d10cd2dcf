"""Following chains against the loopback spam server, with the SSRF rules in force."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from jingwang.adapters.fetch import FetchLimits, Resolver

from .rig import TEST_LIMITS, Rig, SpamServer, make_rig


def test_three_hop_chain_reaches_the_spam_page(rig: Rig) -> None:
    result = rig.resolver.resolve("http://short.cn/start")

    assert result.error is None
    assert result.chain == (
        "http://short.cn/start",
        "http://short.cn/hop2",
        "http://hop.cn/hop3",
        "http://hop.cn/landing",
    )
    assert result.final_url == "http://hop.cn/landing"
    assert result.status == 200
    assert result.title == "澳门娱乐城"
    assert "真人百家乐 在线开户" in result.text
    assert "百家乐,时时彩" in result.text  # meta keywords
    assert "tracking" not in result.text
    assert "color" not in result.text


def test_every_hop_connects_to_the_checked_address_with_the_real_host_header(
    rig: Rig,
) -> None:
    rig.resolver.resolve("http://short.cn/start")

    assert set(rig.connected_to()) == {"8.8.8.8", "8.8.4.4"}
    hosts = [host for host, path in rig.server.requests if path in ("/start", "/hop3")]
    assert hosts[-2:] == ["short.cn", "hop.cn"]


@pytest.mark.parametrize(
    ("path", "final"),
    [
        ("/meta", "http://short.cn/landing"),
        ("/js", "http://short.cn/landing"),
        ("/js-replace", "http://landing.top/landing"),
    ],
)
def test_page_redirects_are_followed(rig: Rig, path: str, final: str) -> None:
    result = rig.resolver.resolve(f"http://short.cn{path}")

    assert result.error is None
    assert result.chain == (f"http://short.cn{path}", final)
    assert result.title == "澳门娱乐城"


def test_a_page_refreshing_itself_is_the_landing_page(rig: Rig) -> None:
    result = rig.resolver.resolve("http://short.cn/self-refresh")

    assert result.error is None
    assert result.chain == ("http://short.cn/self-refresh",)
    assert result.text == "每日更新"


def test_a_redirect_loop_stops_at_once(rig: Rig) -> None:
    result = rig.resolver.resolve("http://short.cn/loop-a")

    assert result.error == "too_many_redirects"
    assert result.chain == ("http://short.cn/loop-a", "http://short.cn/loop-b")


def test_endless_redirects_stop_at_the_hop_limit(rig: Rig) -> None:
    result = rig.resolver.resolve("http://short.cn/endless")

    assert result.error == "too_many_redirects"
    assert len(result.chain) == TEST_LIMITS.max_hops + 1
    assert result.status == 302


def test_a_huge_body_is_cut_at_the_size_limit(server: SpamServer) -> None:
    rig = make_rig(server, FetchLimits(max_bytes=200_000, read_timeout=2.0))
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = rig.resolver.resolve("http://short.cn/huge")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.error == "too_large"
    assert result.status == 200
    assert result.text.startswith("xxxx")
    assert peak < 5_000_000  # the 50 MiB offered were never held
    assert time.monotonic() - started < 5


def test_a_slow_server_times_out(rig: Rig) -> None:
    started = time.monotonic()
    result = rig.resolver.resolve("http://short.cn/slow")

    assert result.error == "timeout"
    assert result.chain == ("http://short.cn/slow",)
    assert time.monotonic() - started < 2.0


def test_the_budget_bounds_a_body_that_drips_in(server: SpamServer) -> None:
    rig = make_rig(server, FetchLimits(read_timeout=0.3, url_budget=0.3))
    started = time.monotonic()
    result = rig.resolver.resolve("http://short.cn/drip")

    assert result.error == "timeout"
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize(
    ("target", "refused_host"),
    [
        ("http://10.0.0.1/admin", "10.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::1]:8080/", "::1"),
        ("http://localhost/", "localhost"),
        ("http://[::ffff:10.0.0.1]/", "::ffff:10.0.0.1"),
        ("http://intranet.corp.com/", "intranet.corp.com"),
        ("http://metadata.cloud.com/", "metadata.cloud.com"),
        ("http://mixed.com/", "mixed.com"),
    ],
)
def test_redirects_to_private_addresses_are_refused_before_connecting(
    rig: Rig, target: str, refused_host: str
) -> None:
    result = rig.resolver.resolve(f"http://short.cn/to?target={target}")

    assert result.error == "refused_address"
    assert refused_host in result.message
    assert result.chain[-1].startswith(target.rstrip("/"))
    assert result.status is None
    assert rig.connected_to() == ["8.8.8.8"]  # only the first hop's public address


def test_a_first_url_on_a_private_name_is_refused_without_connecting(rig: Rig) -> None:
    result = rig.resolver.resolve("http://intranet.corp.com/")

    assert result.error == "refused_address"
    assert rig.dns.lookups == ["intranet.corp.com"]
    assert rig.connected_to() == []


def test_private_addresses_are_reached_when_allowed(server: SpamServer) -> None:
    # The real resolver and socket backend, as JINGWANG_ALLOW_PRIVATE_URLS=1 wires them.
    resolver = Resolver(allow_private=True, limits=TEST_LIMITS)
    result = resolver.resolve(f"http://127.0.0.1:{server.port}/meta")

    assert result.error is None
    assert result.final_url == f"http://127.0.0.1:{server.port}/landing"


def test_the_default_resolver_refuses_loopback(server: SpamServer) -> None:
    result = Resolver(limits=TEST_LIMITS).resolve(f"http://127.0.0.1:{server.port}/landing")

    assert result.error == "refused_address"


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("ftp://short.cn/file", "bad_scheme"),
        ("javascript:alert(1)", "bad_scheme"),
        ("http://", "bad_url"),
        ("http://short.cn/ftp", "bad_scheme"),
        ("http://bank.com@short.cn/landing", "refused_userinfo"),
        ("http://short.cn/to?target=http://user:pw@hop.cn/landing", "refused_userinfo"),
        ("http://short.cn/gone", "http_error"),
        ("http://unknown.cn/", "unreachable"),
    ],
)
def test_failures_are_reported_not_raised(rig: Rig, url: str, error: str) -> None:
    result = rig.resolver.resolve(url)

    assert result.error == error
    assert result.message


def test_userinfo_is_refused_before_any_lookup(rig: Rig) -> None:
    rig.resolver.resolve("http://bank.com@short.cn/landing")

    assert rig.dns.lookups == []


def test_http_errors_keep_their_status(rig: Rig) -> None:
    assert rig.resolver.resolve("http://short.cn/gone").status == 404


def test_plain_text_and_declared_charsets_are_read(rig: Rig) -> None:
    assert rig.resolver.resolve("http://short.cn/plain").text == "加微信 领取福利"
    assert rig.resolver.resolve("http://short.cn/gbk").text == "六合彩"


@pytest.mark.parametrize("path", ["/image", "/gzip"])
def test_other_content_types_and_compressed_bodies_are_not_read(rig: Rig, path: str) -> None:
    result = rig.resolver.resolve(f"http://short.cn{path}")

    assert result.error is None
    assert (result.status, result.title, result.text) == (200, "", "")


def test_a_cached_resolution_makes_no_request(rig: Rig) -> None:
    first = rig.resolver.resolve("http://short.cn/start#ignored")
    requests = len(rig.server.requests)
    second = rig.resolver.resolve("http://short.cn/start")

    assert second == first
    assert len(rig.server.requests) == requests


def test_cached_resolutions_expire(rig: Rig) -> None:
    rig.resolver.resolve("http://short.cn/landing")
    requests = len(rig.server.requests)
    rig.time_shift[0] += TEST_LIMITS.cache_ttl + 1
    rig.resolver.resolve("http://short.cn/landing")

    assert len(rig.server.requests) == requests + 1


def test_timeouts_are_not_cached(rig: Rig) -> None:
    rig.resolver.resolve("http://short.cn/landing", budget=0)
    result = rig.resolver.resolve("http://short.cn/landing")

    assert result.error is None
