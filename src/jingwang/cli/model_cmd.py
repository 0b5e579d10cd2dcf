"""Placeholder: commands of this family are being written."""

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
