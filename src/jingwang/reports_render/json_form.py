"""The JSON form of a report: the contract's fields plus the breakdowns and texts."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from jingwang.core.reports import TargetCounts, TransparencyReport
from jingwang.reports_render.announcement import announcement


def _counts(counts: TargetCounts) -> dict[str, int]:
    return {
        "accounts": counts.accounts,
        "groups": counts.groups,
        "official_accounts": counts.official_accounts,
        "subjects": counts.subjects,
    }


def report_dict(report: TransparencyReport) -> dict[str, Any]:
    period = report.period
    return {
        "from": period.first_day.isoformat(),
        "to": period.last_day.isoformat(),
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "totals": _counts(report.totals),
        "by_label": {label: _counts(c) for label, c in report.by_label.items()},
        "by_subcategory": {
            label: {sub: _counts(c) for sub, c in subs.items()}
            for label, subs in report.by_subcategory.items()
        },
        "by_surface": {surface: _counts(c) for surface, c in report.by_surface.items()},
        "actions": dict(report.actions),
        "complaints": asdict(report.complaints),
        "appeals": {
            "received": report.appeals.received,
            "outcomes": dict(report.appeals.outcomes),
            "note": report.appeals.note,
        },
        "examples": [asdict(example) for example in report.examples],
        "announcement": {"zh": announcement(report, "zh"), "en": announcement(report, "en")},
    }


def render_json(report: TransparencyReport) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"
