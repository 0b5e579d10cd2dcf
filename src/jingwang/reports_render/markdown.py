"""The Markdown report: the tables and both announcements, for wikis and mail."""

from __future__ import annotations

import re
from typing import Final

from jingwang.core.reports import TransparencyReport
from jingwang.reports_render.announcement import announcement
from jingwang.reports_render.names import (
    ACTIONS,
    APPEAL_OUTCOMES,
    LABELS,
    SUBCATEGORIES,
    SURFACES,
    TARGET_KINDS,
    name,
    rule_name,
)
from jingwang.reports_render.templating import text_environment

# Characters that would open markup or break a table cell.
_SPECIAL: Final = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def md_escape(value: object) -> str:
    return _SPECIAL.sub(r"\\\1", str(value))


def render_markdown(report: TransparencyReport) -> str:
    environment = text_environment()
    template = environment.get_template("report.md.j2")
    return template.render(
        report=report,
        e=md_escape,
        label_rows=[
            (rule_name(label, None, "zh"), name(LABELS, label, "en"), counts, subs)
            for label, counts in report.by_label.items()
            for subs in [
                [
                    (name(SUBCATEGORIES, sub, "zh"), name(SUBCATEGORIES, sub, "en"), c)
                    for sub, c in report.by_subcategory.get(label, {}).items()
                ]
            ]
        ],
        surface_rows=[
            (name(SURFACES, surface, "zh"), name(SURFACES, surface, "en"), counts)
            for surface, counts in report.by_surface.items()
        ],
        actions=[(name(ACTIONS, kind, "zh"), kind, n) for kind, n in report.actions.items()],
        appeal_outcomes=[
            (name(APPEAL_OUTCOMES, outcome, "zh"), outcome, n)
            for outcome, n in report.appeals.outcomes.items()
        ],
        examples=[
            (
                example,
                name(TARGET_KINDS, example.kind, "zh"),
                rule_name(example.label, example.subcategory, "zh"),
                name(ACTIONS, example.measure, "zh"),
            )
            for example in report.examples
        ],
        announcement_zh=announcement(report, "zh"),
        announcement_en=announcement(report, "en"),
    )
