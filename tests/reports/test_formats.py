"""The JSON form against the contract's schema; Markdown and HTML essentials."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from jingwang.adapters.reports import transparency_report
from jingwang.core.reports import TransparencyReport
from jingwang.reports_render import render, render_html, render_json, render_markdown

from .conftest import FIRST_DAY, LAST_DAY, History

COUNTS = {
    "type": "object",
    "required": ["accounts", "groups", "official_accounts"],
    "properties": {
        name: {"type": "integer", "minimum": 0}
        for name in ("accounts", "groups", "official_accounts", "subjects")
    },
}
CONTRACT = {
    "type": "object",
    "required": ["from", "to", "by_label", "actions", "examples"],
    "properties": {
        "from": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "to": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "by_label": {"type": "object", "additionalProperties": COUNTS},
        "by_surface": {"type": "object", "additionalProperties": COUNTS},
        "by_subcategory": {
            "type": "object",
            "additionalProperties": {"type": "object", "additionalProperties": COUNTS},
        },
        "actions": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
        "complaints": {
            "type": "object",
            "required": ["received", "verified", "rejected"],
        },
        "appeals": {"type": "object", "required": ["received", "outcomes"]},
        "examples": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["account", "kind", "nickname", "label", "rule", "measure"],
                "properties": {"account": {"type": "string", "pattern": r"\*\*\*\*"}},
            },
        },
        "announcement": {"type": "object", "required": ["zh", "en"]},
    },
}


@pytest.fixture
def report(memory_month: History) -> TransparencyReport:
    return transparency_report(memory_month.service.storage, FIRST_DAY, LAST_DAY)


def test_the_json_form_follows_the_contract(report: TransparencyReport) -> None:
    document = json.loads(render_json(report))
    jsonschema.validate(document, CONTRACT)
    assert (document["from"], document["to"]) == ("2025-05-01", "2025-05-31")
    assert document["complaints"]["note"] == "complaint figures unavailable"
    assert document["examples"]


def test_the_html_fetches_nothing_and_carries_charts(report: TransparencyReport) -> None:
    page = render_html(report)
    assert page.count("<svg") == 3
    assert "default-src 'none'" in page
    # No attribute may point anywhere: the only URL is the SVG namespace.
    urls = set(re.findall(r"(?:src|href)=\"([^\"]*)\"", page))
    assert urls == set()
    assert "关于集中处置违规帐号的公告" in page and "notice on accounts handled" in page


def test_markdown_and_announcements(report: TransparencyReport) -> None:
    text = render_markdown(report)
    assert "| 色情低俗 (pornography and vulgar content) | 2 |" in text
    assert "净网安全中心关于集中处置违规帐号的公告" in text
    assert "Jingwang Security Centre: notice on accounts handled for violations" in text
    assert render(report, "md") == text
