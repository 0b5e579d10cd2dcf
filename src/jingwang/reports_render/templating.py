"""The Jinja2 environments of the report templates (``templates/``)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined


def count(number: int, noun: str) -> str:
    """``3 groups``, ``1 group``: English announcements name their counts."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@cache
def text_environment() -> Environment:
    """Plain text and Markdown: nothing is escaped, so values are masked before."""
    environment = Environment(
        loader=PackageLoader("jingwang.reports_render", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["count"] = count
    return environment


@cache
def html_environment() -> Environment:
    return Environment(
        loader=PackageLoader("jingwang.reports_render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
