"""Entry point of the ``jingwang`` command: one Typer app, a module per command family."""

from __future__ import annotations

import typer

from jingwang.cli import (
    campaigns_cmd,
    enforce_cmd,
    gangs_cmd,
    hashes_cmd,
    keys_cmd,
    model_cmd,
    policy_cmd,
    report_cmd,
    rumors_cmd,
    scan_cmd,
    serve_cmd,
    worker_cmd,
)

app = typer.Typer(
    name="jingwang",
    help="净网 jingwang — content moderation and enforcement for Chinese-language apps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
    scan_cmd,
    serve_cmd,
    keys_cmd,
    enforce_cmd,
    policy_cmd,
    model_cmd,
    hashes_cmd,
    rumors_cmd,
    campaigns_cmd,
    gangs_cmd,
    report_cmd,
    worker_cmd,
):
    module.register(app)
