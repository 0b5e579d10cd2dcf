"""Headline and body of an article, HTML stripping and its offset map."""

from __future__ import annotations

from jingwang.core.detect.article.document import parse_article
from jingwang.core.detect.article.html_text import looks_like_html, strip_html

from .conftest import article


def test_plain_text_maps_to_itself() -> None:
    plain = strip_html("没有标签的文字")
    assert plain.text == "没有标签的文字"
    assert plain.starts == tuple(range(7))


def test_html_tags_are_dropped_and_blocks_become_lines() -> None:
    html = "<div><p>第一段</p><p>第二&amp;段<b>加粗</b></p><script>var x=1;</script></div>"
    plain = strip_html(html)
    assert plain.text.strip("\n") == "第一段\n第二&段加粗"
    for i, char in enumerate(plain.text):
        original = html[plain.starts[i] : plain.ends[i]]
        assert char == "\n" or original == char or original == "&amp;"


def test_looks_like_html_needs_a_real_tag() -> None:
    assert looks_like_html("<p>段落</p>")
    assert not looks_like_html("价格<100元，数量>3件")


def test_title_field_is_the_headline_with_its_own_source() -> None:
    parsed = parse_article(article("正文第一行\n第二行", title="标题"))
    assert parsed is not None
    assert parsed.title.source == "title"
    assert parsed.title.plain.text == "标题"
    assert parsed.body.plain.text == "正文第一行\n第二行"


def test_first_line_is_the_headline_without_a_title() -> None:
    parsed = parse_article(article("\n  标题行\n正文"))
    assert parsed is not None
    assert parsed.title.source == parsed.body.source == "text"
    assert parsed.title.plain.text == "  标题行"
    assert parsed.body.plain.text == "\n正文"


def test_html_headline_is_the_first_paragraph() -> None:
    text = "<p>深夜福利</p><p>正文在这里</p>"
    parsed = parse_article(article(text))
    assert parsed is not None
    evidence = parsed.title.evidence(0, len(parsed.title.text))
    assert text[evidence.start : evidence.end] == evidence.text == "深夜福利"


def test_non_articles_are_not_parsed() -> None:
    assert parse_article(article("普通聊天消息", surface="chat")) is None
    assert parse_article(article("带标题的消息", title="标题", surface="chat")) is not None
