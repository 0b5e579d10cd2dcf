"""`jingwang scan` and `jingwang detectors`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TransferSpeedColumn
from rich.table import Table

from jingwang.adapters.batch.local import ordered_map
from jingwang.adapters.scanner import configured_scanner
from jingwang.cli.common import settings_or_exit
from jingwang.core.detect import registry
from jingwang.core.io import MAX_TEXT_CHARS
from jingwang.core.jsonl import MAX_LINE_BYTES, is_error, scan_lines
from jingwang.core.pipeline import Scanner
from jingwang.settings import Settings

_stderr = Console(stderr=True)
_scanner: Scanner | None = None
_max_text_chars = MAX_TEXT_CHARS


def _init_worker(detector_names: list[str] | None, settings: Settings) -> None:
    # One scanner per worker process, built once: its sources hold engines and locks
    # that cannot be pickled across processes.
    global _scanner, _max_text_chars  # noqa: PLW0603
    _scanner = configured_scanner(settings, detector_names)
    _max_text_chars = settings.max_text_chars


def _scan_batch(batch: list[tuple[int, bytes]]) -> list[tuple[str, bool]]:
    """Output lines for a batch of input lines, each with whether it is an error object."""
    assert _scanner is not None, "worker not initialised"
    results = scan_lines(_scanner, batch, _max_text_chars)
    return [(json.dumps(result, ensure_ascii=False), is_error(result)) for result in results]


def _lines(stream: BinaryIO, progress: Progress | None, task: Any) -> Iterator[tuple[int, bytes]]:
    """Non-blank lines with their 1-based numbers; blank lines carry no item.

    A line longer than the limit is cut at the limit (the rest is skipped unread into
    memory), so that ``scan_lines`` reports it and memory stays bounded.
    """
    lineno = 0
    while raw := stream.readline(MAX_LINE_BYTES + 1):
        lineno += 1
        consumed = len(raw)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while rest := stream.readline(MAX_LINE_BYTES):
                consumed += len(rest)
                if rest.endswith(b"\n"):
                    break
        if progress is not None:
            progress.update(task, advance=consumed)
        stripped = raw.strip()
        if stripped:
            yield lineno, stripped


def _parse_detector_names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise typer.BadParameter("name at least one detector", param_hint="--detectors")
    known = registry.available()
    unknown = set(names) - set(known)
    if unknown:
        message = str(registry.UnknownDetectorError(unknown, known))
        raise typer.BadParameter(message, param_hint="--detectors")
    return names


def _check_detectors_load(names: list[str] | None) -> None:
    """Build the detectors once here so a broken plugin is one clear message, not N."""
    try:
        registry.load(names)
    except registry.DetectorLoadError as exc:
        _stderr.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _open_input(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    try:
        return Path(path).open("rb")
    except OSError as exc:
        _stderr.print(f"[red]error:[/red] cannot read {path}: {exc.strerror}")
        raise typer.Exit(2) from exc


def _open_output(path: str) -> Any:
    if path == "-":
        return sys.stdout
    try:
        return Path(path).open("w", encoding="utf-8")
    except OSError as exc:
        _stderr.print(f"[red]error:[/red] cannot write {path}: {exc.strerror}")
        raise typer.Exit(2) from exc


def _progress_for(path: str) -> tuple[Progress | None, int | None]:
    if not sys.stderr.isatty():
        return None, None
    total = None if path == "-" else Path(path).stat().st_size
    progress = Progress(
        TextColumn("scanning"),
        BarColumn(),
        TaskProgressColumn(),
        TransferSpeedColumn(),
        console=_stderr,
        transient=True,
    )
    return progress, total


def scan(
    input_path: Annotated[str, typer.Argument(metavar="INPUT", help="JSONL input, '-' for stdin.")],
    output_path: Annotated[
        str, typer.Option("-o", "--output", metavar="OUTPUT", help="JSONL output, '-' for stdout.")
    ] = "-",
    detectors: Annotated[
        str | None,
        typer.Option(help="Comma-separated detectors to run (see `jingwang detectors`)."),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Scan a JSONL file: one decision per input line, in input order.

    Each input line is an object with an `id` and at least one of `text`, `images`,
    `urls`. A line that is not valid JSON or breaks the schema becomes an error object
    and the run goes on; the exit status is 1 if any line failed.
    """
    names = _parse_detector_names(detectors)
    settings = settings_or_exit()
    _check_detectors_load(names)
    source = _open_input(input_path)
    sink = _open_output(output_path)
    progress, total = _progress_for(input_path)
    failed = 0
    try:
        task = progress.add_task("scan", total=total) if progress else None
        if progress:
            progress.start()
        results = ordered_map(
            _scan_batch,
            _lines(source, progress, task),
            workers=workers,
            batch_size=64 if workers > 1 else 256,
            initializer=_init_worker,
            initargs=(names, settings),
        )
        for line, line_failed in results:
            failed += line_failed
            sink.write(line + "\n")
    finally:
        if progress:
            progress.stop()
        if source is not sys.stdin.buffer:
            source.close()
        if sink is not sys.stdout:
            sink.close()
        else:
            sink.flush()
    if failed:
        _stderr.print(f"[yellow]{failed} line(s) failed; see their error objects[/yellow]")
        raise typer.Exit(1)


def detectors(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the installed detectors and the labels they produce."""
    rows = [
        {
            "name": detector.name,
            "labels": ", ".join(detector.labels),
            "description": _summary(type(detector).__doc__),
        }
        for detector in registry.load()
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table("detector", "labels", "description")
    for row in rows:
        table.add_row(row["name"], row["labels"], row["description"])
    Console().print(table)


def _summary(docstring: str | None) -> str:
    lines = (docstring or "").strip().splitlines()
    return lines[0] if lines else ""


def register(app: typer.Typer) -> None:
    """Add `scan` and `detectors` to ``app``."""
    app.command()(scan)
    app.command()(detectors)
