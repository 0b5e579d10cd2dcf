"""The scanner a deployment runs: installed detectors, the user's own knowledge, sources."""

from __future__ import annotations

from collections.abc import Iterable

from jingwang.adapters.rumors import RumorStore, default_path
from jingwang.adapters.sources import default_sources
from jingwang.core.detect import registry
from jingwang.core.detect.article import ArticleDetector
from jingwang.core.detect.base import Detector
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings


def _with_user_rumors(detector: Detector) -> Detector:
    # The entry point builds the article detector with the packaged seed rumours only:
    # detectors do no file I/O. The user's knowledge base file is read here instead.
    rumor_file = default_path()
    if detector.name != "article" or not rumor_file.exists():
        return detector
    return ArticleDetector(knowledge_base=RumorStore(rumor_file).knowledge_base())


def configured_scanner(
    settings: Settings, names: Iterable[str] | None = None, *, service: bool = False
) -> Scanner:
    """Named detectors (all installed when None), with sources from ``settings``.

    A ``service`` (the API, the workers) reads images only under ``api_image_root``.
    Build it in each worker process: sources hold engines and locks that do not pickle.
    """
    detectors = [_with_user_rumors(d) for d in registry.load(names)]
    image_root = settings.api_image_root if service else None
    return Scanner(detectors, sources=default_sources(settings, image_root=image_root))
