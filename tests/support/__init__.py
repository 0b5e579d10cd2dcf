"""Helpers shared by the test modules (``pythonpath = ["tests"]`` in pyproject).

The tests run with ``--import-mode=importlib``, so they cannot import one another, nor
the benchmark, fuzz and example scripts, which are not a package.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_module(name: str, path: Path) -> ModuleType:
    """The module at ``path``, executed once per test session and registered as ``name``
    before it runs (dataclasses look their module up while they are built)."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
