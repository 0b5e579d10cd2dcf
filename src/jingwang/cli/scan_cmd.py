"""Placeholder for `jingwang scan` and `jingwang detectors`."""

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
