"""``jingwang serve`` runs the API; ``jingwang demo`` (what ``make run`` calls) also seeds it."""

from __future__ import annotations

import contextlib
import shlex
from typing import Annotated

import typer
import uvicorn
from fastapi import FastAPI
from rich.console import Console
from rich.panel import Panel

from jingwang.adapters.demo import seed_demo_content
from jingwang.adapters.storage import IssuedKey, Role, Storage, issue_key
from jingwang.api.app import create_app
from jingwang.cli.common import configured_storage, fail, settings_or_exit
from jingwang.core.detect.registry import DetectorLoadError
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings

DEMO_KEY_NAME = "demo admin"
DEMO_SCAN_BODY = '{"items": [{"id": "m1", "text": "加我薇信看片，一百一次"}]}'

HostOption = Annotated[str, typer.Option(help="Interface to listen on.")]
PortOption = Annotated[int, typer.Option(help="TCP port to listen on.", min=1, max=65535)]


def _load_scanner() -> Scanner:
    try:
        return Scanner.from_names()
    except DetectorLoadError as exc:
        raise fail(str(exc)) from None


def _prepare_database(settings: Settings) -> None:
    """Migrate now, so that an unusable database is a clear message rather than a traceback."""
    with configured_storage(settings):
        pass


def _run(app: FastAPI | str, host: str, port: int, *, reload: bool = False) -> None:
    # uvicorn shuts down cleanly on Ctrl-C and then re-raises it for its callers.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.run(app, host=host, port=port, reload=reload, factory=isinstance(app, str))


def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    reload: Annotated[bool, typer.Option(help="Restart when the code changes (dev).")] = False,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) on the configured database."""
    settings = settings_or_exit()
    _prepare_database(settings)
    if reload:
        # The reloader imports the app in a worker process, so it needs the factory's path.
        _run("jingwang.api.app:create_app", host, port, reload=True)
    else:
        _run(create_app(settings, _load_scanner()), host, port)


def seed_demo_data(storage: Storage) -> IssuedKey:
    """A fresh demo admin key; the previous one is revoked, since its secret is gone."""
    for key in storage.api_keys.list():
        if key.name == DEMO_KEY_NAME and key.active:
            storage.api_keys.revoke(key.id)
    return issue_key(storage.api_keys, DEMO_KEY_NAME, Role.ADMIN)


def _print_demo_banner(secret: str, base_url: str) -> None:
    console = Console()
    console.print(
        Panel.fit(
            f"Demo admin key: [bold]{secret}[/]\n\n"
            f"API docs:  {base_url}/docs\n"
            f"Health:    {base_url}/healthz\n"
            "Press Ctrl-C to stop.",
            title="jingwang demo",
        ),
        highlight=False,
    )
    console.print("Try a scan:", highlight=False)
    curl = (
        f"curl -s {base_url}/v1/scan -H {shlex.quote(f'Authorization: Bearer {secret}')} "
        f"-H 'Content-Type: application/json' -d {shlex.quote(DEMO_SCAN_BODY)}"
    )
    # soft_wrap keeps the command on one line, so that it can be copied as it is.
    console.print(curl, soft_wrap=True, highlight=False, markup=False)


def demo(host: HostOption = "127.0.0.1", port: PortOption = 8000) -> None:
    """Migrate and seed the configured database, print a demo admin key, and serve."""
    settings = settings_or_exit()
    if settings.mode != "dev":
        raise fail("'jingwang demo' issues an admin key and is for dev mode only", code=2)
    scanner = _load_scanner()
    with configured_storage(settings) as storage:
        issued = seed_demo_data(storage)
        seed_demo_content(storage, scanner, settings)
    app = create_app(settings, scanner)
    _print_demo_banner(issued.secret, f"http://{host}:{port}")
    _run(app, host, port)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(serve)
    app.command()(demo)
