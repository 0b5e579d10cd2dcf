"""Detector discovery through the ``jingwang.detectors`` entry-point group.

Built-in detectors are registered in ``pyproject.toml`` exactly as a third-party plugin
would register its own, so the extension point is exercised by every scan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from importlib.metadata import entry_points

from jingwang.core.detect.base import Detector

ENTRY_POINT_GROUP = "jingwang.detectors"


class UnknownDetectorError(ValueError):
    def __init__(self, unknown: Iterable[str], available: Iterable[str]) -> None:
        self.unknown = sorted(unknown)
        self.available = sorted(available)
        super().__init__(
            f"unknown detector(s): {', '.join(self.unknown)}; "
            f"available: {', '.join(self.available)}"
        )


@cache
def _factories() -> dict[str, Callable[[], Detector]]:
    return {ep.name: ep.load() for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available() -> list[str]:
    """Names of every installed detector, sorted."""
    return sorted(_factories())


@cache
def _instance(name: str) -> Detector:
    return _factories()[name]()


def load(names: Iterable[str] | None = None) -> list[Detector]:
    """Instantiate the named detectors (all installed ones when ``names`` is None).

    Instances are cached: detectors are stateless after construction, and building one
    (compiling an automaton, loading a model) is the expensive part.
    """
    factories = _factories()
    wanted = sorted(factories) if names is None else list(dict.fromkeys(names))
    unknown = set(wanted) - set(factories)
    if unknown:
        raise UnknownDetectorError(unknown, factories)
    return [_instance(name) for name in wanted]
