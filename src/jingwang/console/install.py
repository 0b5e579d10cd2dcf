"""Mounting the console on the API app."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from jingwang.console import forms, pages
from jingwang.console.rendering import Renderer
from jingwang.console.session import SessionSigner, console_secret
from jingwang.console.web import Console
from jingwang.settings import Settings

STATIC: Final = Path(__file__).with_name("static")


def install_console(app: FastAPI, settings: Settings) -> None:
    """Serve the console under ``/console`` (and send ``/`` there).

    Reads the console secret now, so that prod mode without one stops start-up.
    """
    # Browsers send Secure cookies only over HTTPS, which production runs behind.
    secure = settings.mode == "prod"
    app.state.console = Console(SessionSigner(console_secret(settings)), Renderer(), secure)
    app.include_router(pages.router)
    app.include_router(forms.router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
