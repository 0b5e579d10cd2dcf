"""Detector discovery through the ``jingwang.detectors`` entry-point group.

Built-in detectors are registered in ``pyproject.toml`` exactly as a third-party plugin
would register its own, so the extension point is exercised by every scan.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib.metadata import EntryPoint, entry_points

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


class DetectorLoadError(RuntimeError):
    """An installed detector plugin failed to import or construct."""

    def __init__(self, name: str, cause: BaseException) -> None:
        self.name = name
        super().__init__(f"detector '{name}' failed to load: {type(cause).__name__}: {cause}")


@cache
def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available() -> list[str]:
    """Names of every installed detector, sorted."""
    return sorted(_entry_points())


@cache
def _instance(name: str) -> Detector:
    try:
        factory = _entry_points()[name].load()
        detector: Detector = factory()
    except Exception as exc:  # a plugin's own failure, reported with its name
        raise DetectorLoadError(name, exc) from exc
    return detector


def load(names: Iterable[str] | None = None) -> list[Detector]:
    """Instantiate the named detectors (all installed ones when ``names`` is None).

    Instances are cached: detectors are stateless after construction, and building one
    (compiling an automaton, loading a model) is the expensive part.
    """
    known = _entry_points()
    wanted = sorted(known) if names is None else list(dict.fromkeys(names))
    unknown = set(wanted) - set(known)
    if unknown:
        raise UnknownDetectorError(unknown, known)
    return [_instance(name) for name in wanted]
