"""Jinja2 rendering with the console's helpers: translation, times, due times."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from jingwang.console.i18n import Lang, translator

TEMPLATES: Final = Path(__file__).with_name("templates")


def relative(moment: datetime | None, now: datetime, lang: Lang) -> str:
    """A due time as reviewers read it: "in 45 min", "overdue 2 h"."""
    if moment is None:
        return ""
    minutes = int((moment - now).total_seconds() // 60)
    span = abs(minutes)
    if lang == "zh":
        amount = f"{span} 分钟" if span < 120 else f"{span // 60} 小时"
        return f"{amount}后" if minutes >= 0 else f"已超时 {amount}"
    amount = f"{span} min" if span < 120 else f"{span // 60} h"
    return f"in {amount}" if minutes >= 0 else f"overdue {amount}"


def moment_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


class Renderer:
    def __init__(self) -> None:
        # Autoescaping everywhere: reported text is written by whoever the report is
        # about, and must never become markup in a reviewer's browser.
        self._env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined
        )

    def render(self, template: str, lang: Lang, now: datetime, **context: Any) -> str:
        return self._env.get_template(template).render(
            lang=lang,
            t=translator(lang),
            now=now,
            due=lambda moment: relative(moment, now, lang),
            when=moment_text,
            **context,
        )
