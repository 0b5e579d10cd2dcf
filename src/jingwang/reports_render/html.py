"""The HTML report: one self-contained page, styles and SVG charts inline.

A Content-Security-Policy forbids every fetch, so a published copy cannot call home
and nothing a template might one day link would load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup

from jingwang.core.reports import TargetCounts, TransparencyReport
from jingwang.reports_render.announcement import announcement, format_day
from jingwang.reports_render.charts import Series, bar_chart
from jingwang.reports_render.names import (
    ACTIONS,
    APPEAL_OUTCOMES,
    LABELS,
    SUBCATEGORIES,
    SURFACES,
    TARGET_KINDS,
    Names,
    name,
    rule_name,
)
from jingwang.reports_render.templating import html_environment

COLOURS: Final = {
    "accounts": "#c0392b",
    "official_accounts": "#2471a3",
    "groups": "#229954",
    "subjects": "#7d3c98",
}
SERIES_NAMES: Final = {
    "accounts": "个人帐号",
    "official_accounts": "公众号",
    "groups": "群聊",
    "subjects": "注册主体",
}


@dataclass(frozen=True, slots=True)
class _Row:
    """A table row: the reader's names for a key, and its counts."""

    key: str
    zh: str
    en: str
    counts: TargetCounts
    indent: bool = False


def _rows(counts: Mapping[str, TargetCounts], table: Names) -> list[_Row]:
    return [
        _Row(key, name(table, key, "zh"), name(table, key, "en"), value)
        for key, value in counts.items()
    ]


def _label_rows(report: TransparencyReport) -> list[_Row]:
    """Each label followed by its sub-categories, indented."""
    rows = []
    for row in _rows(report.by_label, LABELS):
        rows.append(row)
        subs = report.by_subcategory.get(row.key, {})
        rows += [
            _Row(sub.key, sub.zh, sub.en, sub.counts, indent=True)
            for sub in _rows(subs, SUBCATEGORIES)
        ]
    return rows


def _counts_chart(title: str, rows: list[_Row]) -> Markup:
    fields = [f for f in COLOURS if f != "subjects" or any(r.counts.subjects for r in rows)]
    series = [
        Series(SERIES_NAMES[f], COLOURS[f], [getattr(r.counts, f) for r in rows]) for f in fields
    ]
    return bar_chart(title, [row.zh for row in rows], series)


def _actions_chart(report: TransparencyReport) -> Markup:
    kinds = list(report.actions)
    values = [report.actions[kind] for kind in kinds]
    categories = [name(ACTIONS, kind, "zh") for kind in kinds]
    return bar_chart("处置措施（次）", categories, [Series("措施", "#566573", values)])


def render_html(report: TransparencyReport, *, controls: Markup | None = None) -> str:
    """The page; ``controls`` (already safe HTML) is shown above the report, for a
    console that lets people pick the period."""
    label_rows = _rows(report.by_label, LABELS)
    surface_rows = _rows(report.by_surface, SURFACES)
    template = html_environment().get_template("report.html.j2")
    return template.render(
        report=report,
        first_day=format_day(report.period.first_day, "zh"),
        last_day=format_day(report.period.last_day, "zh"),
        controls=controls,
        label_rows=_label_rows(report),
        surface_rows=surface_rows,
        actions=[
            (name(ACTIONS, kind, "zh"), name(ACTIONS, kind, "en"), count)
            for kind, count in report.actions.items()
        ],
        appeal_outcomes=[
            (name(APPEAL_OUTCOMES, outcome, "zh"), count)
            for outcome, count in report.appeals.outcomes.items()
        ],
        examples=[
            {
                "account": example.account,
                "kind": name(TARGET_KINDS, example.kind, "zh"),
                "nickname": example.nickname or "—",
                "rule": rule_name(example.label, example.subcategory, "zh"),
                "rule_path": example.rule,
                "measure": name(ACTIONS, example.measure, "zh"),
                "surface": name(SURFACES, example.surface, "zh"),
            }
            for example in report.examples
        ],
        charts=[
            _counts_chart("按违规类别处置数量", label_rows),
            _counts_chart("按发布场景处置数量", surface_rows),
            _actions_chart(report),
        ],
        announcement_zh=announcement(report, "zh"),
        announcement_en=announcement(report, "en"),
    )
