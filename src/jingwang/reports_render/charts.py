"""Horizontal bar charts as inline SVG, so that the HTML report fetches nothing and
renders the same offline, in a browser or a headless one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup, escape

WIDTH: Final = 720
LABEL_WIDTH: Final = 190
VALUE_ROOM: Final = 48
BAR_HEIGHT: Final = 14
CATEGORY_GAP: Final = 10
TOP: Final = 44
BOTTOM: Final = 12


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    colour: str
    values: Sequence[int]


def _legend(series: Sequence[Series]) -> list[str]:
    parts = []
    x = LABEL_WIDTH
    for item in series:
        parts.append(f'<rect x="{x}" y="22" width="12" height="12" fill="{item.colour}"/>')
        parts.append(f'<text x="{x + 16}" y="32" class="legend">{escape(item.name)}</text>')
        x += 28 + 13 * len(item.name)
    return parts


def bar_chart(title: str, categories: Sequence[str], series: Sequence[Series]) -> Markup:
    """One group of bars per category, one bar per series, scaled to the largest value."""
    group_height = BAR_HEIGHT * len(series) + CATEGORY_GAP
    height = TOP + max(len(categories), 1) * group_height + BOTTOM
    largest = max((v for item in series for v in item.values), default=0)
    scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / largest if largest else 0.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}">',
        f'<text x="0" y="14" class="chart-title">{escape(title)}</text>',
        *(_legend(series) if len(series) > 1 else []),
    ]
    if not categories:
        parts.append(f'<text x="{LABEL_WIDTH}" y="{TOP + 12}" class="empty">—</text>')
    for index, category in enumerate(categories):
        top = TOP + index * group_height
        middle = top + BAR_HEIGHT * len(series) / 2 + 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" '
            f'class="category">{escape(category)}</text>'
        )
        for row, item in enumerate(series):
            value = item.values[index]
            y = top + row * BAR_HEIGHT
            width = value * scale
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" '
                f'height="{BAR_HEIGHT - 2}" fill="{item.colour}"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + BAR_HEIGHT - 3}" '
                f'class="value">{value}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
