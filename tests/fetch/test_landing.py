"""Reading landing pages: visible text, page-level redirects, encodings."""

from __future__ import annotations

import pytest

from jingwang.adapters.fetch.landing import decode, parse_html


def test_visible_text_leaves_out_scripts_styles_and_templates() -> None:
    page = parse_html(
        "<html><head><title> 招聘 &amp; 兼职 </title><style>p{}</style></head><body>"
        "<div>日结<b>300</b></div><template>隐藏</template><script>var a='x';</script>"
        "<noscript>请开启脚本</noscript><p>加我&nbsp;微信</p></body></html>",
        max_chars=1000,
    )

    assert page.title == "招聘 & 兼职"
    assert page.text == "日结300\n请开启脚本\n加我 微信"
    assert page.redirect is None


def test_text_is_cut_to_the_limit() -> None:
    page = parse_html("<p>" + "刷单" * 100 + "</p>", max_chars=10)

    assert page.text == "刷单" * 5


@pytest.mark.parametrize(
    ("content", "target"),
    [
        ('"0;url=http://a.top/x"', "http://a.top/x"),
        ("\"0; URL='/next'\"", "/next"),
        ("'3 ; url=\"next.html\"'", "next.html"),
        ('"0;http://a.top/"', "http://a.top/"),
    ],
)
def test_meta_refresh_targets(content: str, target: str) -> None:
    html = f'<meta http-equiv="Refresh" content={content}>'
    assert parse_html(html, 1000).redirect == target


def test_a_refresh_without_a_target_is_no_redirect() -> None:
    assert parse_html('<meta http-equiv="refresh" content="30">', 1000).redirect is None


@pytest.mark.parametrize(
    ("script", "target"),
    [
        ('window.location = "http://a.top/"', "http://a.top/"),
        ("location.href='/b'", "/b"),
        ('top.location.href = "/c";', "/c"),
        ('document.location="/d"', "/d"),
        ('location.replace("/e")', "/e"),
        ("window.location.assign( '/f' )", "/f"),
    ],
)
def test_javascript_redirects(script: str, target: str) -> None:
    assert parse_html(f"<script>{script}</script>", 1000).redirect == target


def test_javascript_comparisons_and_text_outside_scripts_are_no_redirect() -> None:
    page = parse_html(
        '<script>if (location.href == "/x") {}</script><p>location.href="/y"</p>', 1000
    )
    assert page.redirect is None


def test_meta_refresh_wins_over_javascript() -> None:
    page = parse_html(
        '<meta http-equiv="refresh" content="0;url=/meta"><script>location="/js"</script>', 1000
    )
    assert page.redirect == "/meta"


def test_undeclared_chinese_encodings_are_recognised() -> None:
    assert decode("百家乐".encode(), "text/html", truncated=False) == "百家乐"
    assert decode("百家乐".encode("gb18030"), "text/html", truncated=False) == "百家乐"


def test_gb2312_labels_are_read_as_gb18030() -> None:
    body = "㐀赌".encode("gb18030")  # 㐀 exists only in GB18030
    assert decode(body, "text/html; charset=GB2312", truncated=False) == "㐀赌"


def test_a_utf8_body_cut_mid_character_stays_utf8() -> None:
    body = "赌场".encode()[:-1]
    assert decode(body, "text/plain", truncated=True).startswith("赌")


def test_an_unknown_charset_falls_back_to_detection() -> None:
    assert decode("彩金".encode(), "text/html; charset=x-nonsense", truncated=False) == "彩金"
