"""``jingwang report``: the transparency report for a period, from the configured database."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jingwang.adapters.reports import transparency_report
from jingwang.cli.common import configured_storage, fail, settings_or_exit
from jingwang.core.reports import PeriodError
from jingwang.reports_render import render

_DAY = ["%Y-%m-%d"]


class Format(StrEnum):
    md = "md"
    html = "html"
    json = "json"


def report(
    first_day: Annotated[
        datetime, typer.Option("--from", formats=_DAY, help="First day, YYYY-MM-DD (Beijing).")
    ],
    last_day: Annotated[
        datetime, typer.Option("--to", formats=_DAY, help="Last day, included, YYYY-MM-DD.")
    ],
    report_format: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.md,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Accounts, groups and official accounts handled in a period, by category and surface,
    with masked examples and the announcement texts (definitions: docs/reports.md)."""
    settings = settings_or_exit()
    with configured_storage(settings) as storage:
        try:
            built = transparency_report(storage, first_day.date(), last_day.date())
        except PeriodError as exc:
            raise fail(str(exc), code=2) from None
    text = render(built, report_format.value)
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror}") from None


def register(app: typer.Typer) -> None:
    """Add ``jingwang report`` to ``app``."""
    app.command("report")(report)
