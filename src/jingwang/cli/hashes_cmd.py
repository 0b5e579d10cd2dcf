"""``jingwang hashes``: the list of known-bad images, matched by PDQ perceptual hash."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from jingwang.adapters.images import (
    DEFAULT_HASH_LIST,
    DEFAULT_PDQ_THRESHOLD,
    HashListError,
    HashListFile,
    ImageLimits,
    KnownImage,
    PdqHash,
    load_image,
    pdq_hash,
)
from jingwang.adapters.images.hashlist import read_hash_list
from jingwang.adapters.images.pdq import MIN_USEFUL_QUALITY, parse_pdq_hex
from jingwang.cli.common import fail
from jingwang.core.io import ItemError
from jingwang.core.labels import LABELS, SUBCATEGORIES, is_known

hashes_app = typer.Typer(
    name="hashes",
    help="Manage the known-bad image list that scans match by perceptual hash (PDQ).",
    no_args_is_help=True,
)

HashListOption = Annotated[
    Path,
    typer.Option(
        "--hash-list",
        envvar="JINGWANG_HASH_LIST_PATH",
        help="The tab-separated hash list file.",
        dir_okay=False,
    ),
]


def _error(message: str, code: int = 1) -> typer.Exit:
    return fail(escape(message), code)


def _hash_of(image: str) -> PdqHash:
    try:
        return pdq_hash(load_image(image, ImageLimits()))
    except ItemError as exc:
        raise _error(exc.message) from None


def _shown(label: str, subcategory: str | None) -> str:
    return label + (f"/{subcategory}" if subcategory else "")


@hashes_app.command("add")
def add(
    image: Annotated[str, typer.Argument(metavar="IMAGE", help="A local image file.")],
    label: Annotated[str, typer.Option(help=f"One of: {', '.join(LABELS)}.")],
    subcategory: Annotated[str | None, typer.Option(help="A subcategory of the label.")] = None,
    note: Annotated[str, typer.Option(help="Where the image came from, for people.")] = "",
    hash_list: HashListOption = DEFAULT_HASH_LIST,
) -> None:
    """Hash IMAGE and list it as known-bad under LABEL."""
    if not is_known(label, subcategory):
        known = SUBCATEGORIES.get(label)
        if known is None:
            raise _error(f"unknown label {label!r}; use one of: {', '.join(LABELS)}", code=2)
        choices = ", ".join(known) if known else "none"
        raise _error(f"label {label!r} has no subcategory {subcategory!r} (known: {choices})", 2)
    digest = _hash_of(image)
    if not digest.useful:
        raise _error(
            f"{image} is too plain to hash reliably (PDQ quality {digest.quality}, needs "
            f"{MIN_USEFUL_QUALITY}); it would match unrelated plain images"
        )
    # Notes live in one line of a tab-separated file; fold any line breaks into spaces.
    one_line_note = " ".join(note.split())
    wanted = KnownImage(digest.hex, label, subcategory, one_line_note)
    try:
        entry = HashListFile(hash_list).add(wanted)
    except HashListError as exc:
        raise _error(str(exc)) from None
    typer.echo(f"added {entry.pdq} as {_shown(entry.label, entry.subcategory)} to {hash_list}")


@hashes_app.command("remove")
def remove(
    target: Annotated[
        str, typer.Argument(metavar="HASH|IMAGE", help="A listed hash, or an image to hash.")
    ],
    hash_list: HashListOption = DEFAULT_HASH_LIST,
) -> None:
    """Remove the entry with HASH, or with exactly the hash of IMAGE."""
    pdq = parse_pdq_hex(target) or _hash_of(target).hex
    try:
        removed = HashListFile(hash_list).remove(pdq)
    except HashListError as exc:
        raise _error(str(exc)) from None
    if removed is None:
        raise _error(f"{pdq} is not in {hash_list}")
    typer.echo(f"removed {pdq} ({_shown(removed.label, removed.subcategory)}) from {hash_list}")


@hashes_app.command("list")
def list_hashes(hash_list: HashListOption = DEFAULT_HASH_LIST) -> None:
    """Show every listed image hash with its label."""
    try:
        entries = read_hash_list(hash_list)
    except HashListError as exc:
        raise _error(str(exc)) from None
    if not entries:
        typer.echo(f"no hashes in {hash_list}; add one with: jingwang hashes add IMAGE --label …")
        return
    table = Table("label", "subcategory", "note", "added", title=str(hash_list))
    # The whole hash, unwrapped: it is what ``hashes remove`` takes.
    table.add_column("pdq", no_wrap=True, min_width=64)
    for e in entries:
        table.add_row(e.label, e.subcategory or "", escape(e.note), e.added_at, e.pdq)
    Console().print(table)


@hashes_app.command("check")
def check(
    image: Annotated[str, typer.Argument(metavar="IMAGE", help="A local image file.")],
    threshold: Annotated[
        int,
        typer.Option(
            envvar="JINGWANG_PDQ_THRESHOLD",
            min=0,
            max=256,
            help="Most differing bits of 256 that still match.",
        ),
    ] = DEFAULT_PDQ_THRESHOLD,
    hash_list: HashListOption = DEFAULT_HASH_LIST,
) -> None:
    """Print IMAGE's hash and the listed images it matches, nearest first."""
    digest = _hash_of(image)
    try:
        index = HashListFile(hash_list).index()
    except HashListError as exc:
        raise _error(str(exc)) from None
    typer.echo(f"{digest.hex} (quality {digest.quality})")
    if not digest.useful:
        typer.echo("too plain to match reliably; scans ignore hashes of such images")
        return
    matches = index.matches(digest.hex, threshold)
    if not matches:
        typer.echo(f"no match within {threshold} bits among {len(index.entries)} listed hashes")
        return
    table = Table("distance", "label", "subcategory", "note", title="matches")
    table.add_column("pdq", no_wrap=True, min_width=64)
    for m in matches:
        entry = m.entry
        table.add_row(
            str(m.distance), entry.label, entry.subcategory or "", escape(entry.note), entry.pdq
        )
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add the ``hashes`` command family to ``app``."""
    app.add_typer(hashes_app)
