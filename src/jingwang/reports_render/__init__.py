"""Rendering transparency reports: Markdown, self-contained HTML and JSON.

Kept out of ``jingwang.core`` because it needs Jinja2; it only ever receives a built
:class:`~jingwang.core.reports.TransparencyReport`, in which every id is already masked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

from jingwang.core.reports import TransparencyReport
from jingwang.reports_render.announcement import announcement
from jingwang.reports_render.html import render_html
from jingwang.reports_render.json_form import render_json, report_dict
from jingwang.reports_render.markdown import render_markdown

ReportFormat = Literal["md", "html", "json"]

RENDERERS: Final[dict[str, Callable[[TransparencyReport], str]]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
}
MEDIA_TYPES: Final = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "json": "application/json",
}


def render(report: TransparencyReport, report_format: ReportFormat) -> str:
    return RENDERERS[report_format](report)


__all__ = [
    "MEDIA_TYPES",
    "RENDERERS",
    "ReportFormat",
    "announcement",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "report_dict",
]
