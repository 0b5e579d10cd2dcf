"""Landing pages as text views of an item, and through the scanner to evidence."""

from __future__ import annotations

import pytest

from jingwang.adapters.fetch import LandingView, LinkViewSource
from jingwang.core.detect.base import TextView
from jingwang.core.io import ItemError
from jingwang.core.pipeline import Scanner
from jingwang.core.types import ScanItem

from .rig import Rig


def landing_views(source: LinkViewSource, item: ScanItem) -> list[TextView]:
    return list(source.inspect(item).views)


def test_each_link_becomes_a_view_of_its_landing_page(rig: Rig) -> None:
    source = LinkViewSource(rig.resolver)
    item = ScanItem("m1", text="看这里 hop点cn/js-replace 注册", urls=("http://short.cn/start",))

    views = landing_views(source, item)

    assert [view.source for view in views] == [
        "url:http://hop.cn/landing",
        "url:http://landing.top/landing",
    ]
    assert views[0].chain[0] == "http://short.cn/start"
    assert views[1].chain == ("http://hop.cn/js-replace", "http://landing.top/landing")
    assert views[0].original.startswith("澳门娱乐城\n")
    assert "真人百家乐" in views[0].normalized.text


def test_a_failed_link_is_an_empty_view_that_records_the_failure(rig: Rig) -> None:
    item = ScanItem("m1", urls=("http://short.cn/to?target=http://10.0.0.1/",))

    (view,) = landing_views(LinkViewSource(rig.resolver), item)

    assert isinstance(view, LandingView)
    assert view.source == "url:http://10.0.0.1/"
    assert view.chain == ("http://short.cn/to?target=http://10.0.0.1/", "http://10.0.0.1/")
    assert view.original == ""
    assert view.error == "refused_address"


@pytest.mark.parametrize("url", ["ftp://short.cn/x", "http://", "javascript:alert(1)"])
def test_a_malformed_url_fails_the_item(rig: Rig, url: str) -> None:
    with pytest.raises(ItemError) as raised:
        landing_views(LinkViewSource(rig.resolver), ScanItem("m7", urls=(url,)))

    assert (raised.value.code, raised.value.item_id) == ("invalid_url", "m7")


def test_a_url_with_user_info_is_refused_but_does_not_fail_the_item(rig: Rig) -> None:
    (view,) = landing_views(
        LinkViewSource(rig.resolver), ScanItem("m1", urls=("http://bank.com@short.cn/landing",))
    )

    assert isinstance(view, LandingView)
    assert view.error == "refused_userinfo"


def test_urls_without_a_scheme_are_web_links(rig: Rig) -> None:
    (view,) = landing_views(LinkViewSource(rig.resolver), ScanItem("m1", urls=("short.cn/plain",)))

    assert view.source == "url:http://short.cn/plain"


def test_links_are_deduplicated_and_capped(rig: Rig) -> None:
    urls = tuple(f"http://short.cn/plain?n={n}" for n in range(8))
    item = ScanItem("m1", text="http://short.cn/plain?n=0", urls=urls)

    views = landing_views(LinkViewSource(rig.resolver, max_urls=3), item)

    assert [view.chain[0] for view in views] == list(urls[:3])


def test_text_links_can_be_left_alone(rig: Rig) -> None:
    source = LinkViewSource(rig.resolver, text_urls=False)

    assert landing_views(source, ScanItem("m1", text="去 short.cn/landing 看看")) == []


def test_the_item_budget_bounds_all_of_its_links(rig: Rig) -> None:
    source = LinkViewSource(rig.resolver, item_budget=0.4)
    urls = ("http://short.cn/slow", "http://short.cn/slow?again", "http://short.cn/landing")

    views = landing_views(source, ScanItem("m1", urls=urls))

    assert [view.error for view in views if isinstance(view, LandingView)] == [
        "timeout",
        "timeout",
        "timeout",
    ]


def test_the_scanner_reports_landing_page_evidence_under_the_final_url(rig: Rig) -> None:
    scanner = Scanner.from_names(["lexicon"], sources=[LinkViewSource(rig.resolver)])

    findings = scanner.findings(ScanItem("m1", urls=("http://short.cn/start",)))

    sources = {evidence.source for finding in findings for evidence in finding.evidence}
    assert sources == {"url:http://hop.cn/landing"}
    assert any(finding.label == "gambling" for finding in findings)
