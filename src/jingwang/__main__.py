"""``python -m jingwang`` runs the CLI."""

from jingwang.cli.main import app

app(prog_name="jingwang")
