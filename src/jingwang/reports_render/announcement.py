"""The public announcement of a report, in Chinese and in English.

Written in the register of a platform security centre's notice: what was handled, by
category, complaints, masked examples, and a reminder of the rules. The texts come from
``templates/announcement_{zh,en}.txt.j2``; every value they receive is already masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from jingwang.core.reports import MANUAL_LABEL, TargetCounts, TransparencyReport
from jingwang.reports_render.names import (
    ACTIONS,
    APPEAL_OUTCOMES,
    TARGET_KINDS,
    Language,
    name,
    rule_name,
)
from jingwang.reports_render.templating import text_environment

ISSUER: Final = {"zh": "净网安全中心", "en": "Jingwang Security Centre"}


@dataclass(frozen=True, slots=True)
class _Line:
    """One category of the announcement: its name and its handled targets."""

    name: str
    counts: TargetCounts


@dataclass(frozen=True, slots=True)
class _Count:
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class _ExampleLine:
    account: str
    kind: str
    nickname: str | None
    rule: str
    measure: str
    manual: bool


def format_day(day: date, language: Language) -> str:
    if language == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%B} {day.year}"


def announcement(report: TransparencyReport, language: Language) -> str:
    period = report.period
    template = text_environment().get_template(f"announcement_{language}.txt.j2")
    return template.render(
        issuer=ISSUER[language],
        first_day=format_day(period.first_day, language),
        last_day=format_day(period.last_day, language),
        totals=report.totals,
        lines=[
            _Line(rule_name(label, None, language), counts)
            for label, counts in report.by_label.items()
        ],
        complaints=report.complaints,
        appeals=report.appeals,
        appeal_outcomes=[
            _Count(name(APPEAL_OUTCOMES, outcome, language), count)
            for outcome, count in report.appeals.outcomes.items()
        ],
        examples=[
            _ExampleLine(
                account=example.account,
                kind=name(TARGET_KINDS, example.kind, language),
                nickname=example.nickname,
                rule=rule_name(example.label, example.subcategory, language),
                measure=name(ACTIONS, example.measure, language),
                manual=example.label == MANUAL_LABEL,
            )
            for example in report.examples
        ],
    )
