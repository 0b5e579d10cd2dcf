"""An account's neighbourhood in the association graph, laid out for an inline SVG.

The account sits in the middle and its cluster on a circle around it; every strong link
that connects them is a line labelled with the kind of attribute it shares. Plain
geometry computed here keeps the template free of arithmetic and the page free of
JavaScript.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from jingwang.adapters.gangs import Related

WIDTH: Final = 420
HEIGHT: Final = 320
RADIUS: Final = 120
# Beyond this many members the circle is unreadable; the page lists the count instead.
MAX_MEMBERS: Final = 24


@dataclass(frozen=True, slots=True)
class Node:
    account: str
    x: float
    y: float
    centre: bool


@dataclass(frozen=True, slots=True)
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    label: str
    strength: float


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    members: int
    signals: tuple[str, ...]
    width: int = WIDTH
    height: int = HEIGHT


def layout(related: Related | None) -> Neighbourhood | None:
    """The drawing of ``related``; None when the account has no related accounts."""
    if related is None or not related.related:
        return None
    shown = related.related[:MAX_MEMBERS]
    centre = Node(related.account, WIDTH / 2, HEIGHT / 2, True)
    nodes = {centre.account: centre}
    for position, member in enumerate(shown):
        angle = 2 * math.pi * position / len(shown) - math.pi / 2
        nodes[member.account] = Node(
            member.account,
            round(WIDTH / 2 + RADIUS * math.cos(angle), 1),
            round(HEIGHT / 2 + RADIUS * math.sin(angle), 1),
            False,
        )
    edges: dict[tuple[str, str], Edge] = {}
    for member in shown:
        for link in member.path:
            start, end = nodes.get(link.source), nodes.get(link.target)
            if start is None or end is None:
                continue
            key = tuple(sorted((link.source, link.target)))
            kind = link.attribute.partition(":")[0]
            edges[(key[0], key[1])] = Edge(start.x, start.y, end.x, end.y, kind, link.strength)
    signals = tuple(signal.kind for signal in related.gang.signals) if related.gang else ()
    return Neighbourhood(
        tuple(nodes.values()), tuple(edges.values()), len(related.related), signals
    )
