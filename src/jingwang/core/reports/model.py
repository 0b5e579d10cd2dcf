"""The transparency report: counts, figures and masked examples for one period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jingwang.core.reports.period import Period
from jingwang.core.reports.records import AppealFigures, ComplaintFigures


@dataclass(frozen=True, slots=True)
class TargetCounts:
    """Distinct handled targets: personal accounts, official accounts, groups (group
    chats and group-kind accounts) and subjects (the persons or companies behind them)."""

    accounts: int = 0
    official_accounts: int = 0
    groups: int = 0
    subjects: int = 0

    @property
    def total(self) -> int:
        return self.accounts + self.official_accounts + self.groups + self.subjects


@dataclass(frozen=True, slots=True)
class Example:
    """A handled account or group as it may be published: masked, with the rule it broke
    and the most severe measure it received for it."""

    account: str
    kind: str
    nickname: str | None
    label: str
    subcategory: str | None
    rule: str
    measure: str
    surface: str


@dataclass(frozen=True, slots=True)
class TransparencyReport:
    """Breakdowns are ordered by the number of handled targets, largest first.

    ``by_subcategory`` holds only targets whose rule named a sub-category; the others
    count under their label alone.
    """

    period: Period
    totals: TargetCounts
    by_label: Mapping[str, TargetCounts]
    by_subcategory: Mapping[str, Mapping[str, TargetCounts]]
    by_surface: Mapping[str, TargetCounts]
    actions: Mapping[str, int]
    complaints: ComplaintFigures
    appeals: AppealFigures
    examples: tuple[Example, ...]
