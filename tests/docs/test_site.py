"""The documentation site builds with ``mkdocs build --strict``, links and nav checked.

Strict mode turns MkDocs's warnings into errors: a broken link between pages, a link to
a missing anchor, a nav entry without its page, or a page that is in neither the nav
nor ``not_in_nav`` (``validation:`` in mkdocs.yml). The build runs the generator hook
(``scripts/gen_docs.py``), so the CLI and API references are built from the code.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def require_mkdocs() -> None:
    if importlib.util.find_spec("mkdocs") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mkdocs is not installed, but CI must build the docs")
        pytest.skip("mkdocs is not installed (pip install 'mkdocs>=1.6' mkdocs-material)")


def nav_pages(entries: Any) -> set[str]:
    pages: set[str] = set()
    if isinstance(entries, str):
        pages.add(entries.split("#", 1)[0])
    elif isinstance(entries, list):
        for entry in entries:
            pages |= nav_pages(entry)
    elif isinstance(entries, dict):
        for value in entries.values():
            pages |= nav_pages(value)
    return pages


def config() -> dict[str, Any]:
    import yaml  # noqa: PLC0415 - comes with mkdocs

    loaded: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return loaded


def test_every_page_is_in_the_nav_or_deliberately_left_out() -> None:
    require_mkdocs()
    settings = config()
    listed = nav_pages(settings["nav"])
    excluded = {
        line.strip() for line in settings.get("not_in_nav", "").splitlines() if line.strip()
    }
    pages = {path.name for path in DOCS.glob("*.md")}
    missing = sorted(pages - listed - excluded)
    assert not missing, f"docs pages neither in the nav of mkdocs.yml nor in not_in_nav: {missing}"
    for generated in ("gen/cli.md", "gen/api.md"):
        assert generated in listed
    dangling = sorted(p for p in listed if not p.startswith("gen/") and not (DOCS / p).exists())
    assert not dangling, f"nav entries without a page: {dangling}"


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    require_mkdocs()
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    for page in ("index.html", "sdk/index.html", "integration/index.html"):
        assert (site / page).exists(), page
    cli = (site / "gen" / "cli" / "index.html").read_text(encoding="utf-8")
    assert "jingwang scan" in cli and "jingwang keys create" in cli
    api = (site / "gen" / "api" / "index.html").read_text(encoding="utf-8")
    assert "/v1/scan" in api and "/v1/reviews/claim-next" in api


def test_the_generator_writes_references_from_the_code(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_docs.py"), str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert "## `jingwang serve`" in (tmp_path / "cli.md").read_text(encoding="utf-8")
    assert "### `POST /v1/events`" in (tmp_path / "api.md").read_text(encoding="utf-8")
    assert (tmp_path / "openapi.json").stat().st_size > 1000
