"""``jingwang train`` and ``jingwang eval``: the learned classifier from the command line."""

from __future__ import annotations

import importlib
import json
import random
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jingwang.cli.common import fail
from jingwang.core.model import ArtifactError, load_model, save_model
from jingwang.core.model.metrics import ClassificationReport

err = Console(stderr=True)
out = Console()


def _load_all(paths: list[Path]) -> list[Any]:
    from jingwang.training.data import DataError, load_jsonl  # noqa: PLC0415 - lazy: sklearn

    try:
        return [load_jsonl(p) for p in paths]
    except DataError as exc:
        raise fail(str(exc), code=2) from None


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())


def _evasions(option: str, value: str) -> tuple[str, ...]:
    """The perturbations an ``--augment`` style option names (``none``: none)."""
    from jingwang.training.perturb import parse_perturbations  # noqa: PLC0415 - training only

    if value.strip() == "none":
        return ()
    try:
        return tuple(parse_perturbations(value))
    except ValueError as exc:
        raise fail(f"{option}: {exc}", code=2) from None


def train_cmd(
    data: Annotated[list[Path], typer.Argument(help="Training JSONL files (text, label).")],
    *,
    output: Annotated[Path, typer.Option("--output", "-o", help="Model directory to write.")],
    dev: Annotated[
        list[Path] | None,
        typer.Option("--dev", help="Dev JSONL files: thresholds and reported metrics only."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed (training is deterministic).")] = 13,
    initials: Annotated[
        bool,
        typer.Option(
            "--initials",
            help="Add pinyin-initials features (jwx for 加微信): sturdier against initials, "
            "slightly less accurate on clean text and slower (docs/model.md).",
        ),
    ] = False,
    augment: Annotated[
        str,
        typer.Option(
            help="Also train on perturbed copies of the multi-class rows: comma-separated "
            "evasions of `jingwang eval --perturb`, or none.",
        ),
    ] = "initials",
    aux_augment: Annotated[
        str,
        typer.Option(
            help="The same for the rows of abuse/normal files (e.g. COLD), which train the "
            "aux head and the domain gate.",
        ),
    ] = "initials,pinyin",
    expert: Annotated[
        bool,
        typer.Option(
            help="With two or more multi-class files, train an expert head on the largest "
            "alone, mixed with the main head by a domain gate (docs/model.md).",
        ),
    ] = True,
    drop_suspect: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Leave out of a multi-class head that learns one file alone the training "
            "rows whose own label gets less than this out-of-fold probability (taken for "
            "mislabelled), e.g. 0.05; 0 keeps every row (docs/model.md).",
        ),
    ] = 0.0,
) -> None:
    """Train the learned classifier and write a model directory (no pickle).

    Files whose labels are only abuse/normal (e.g. COLD) train a separate abuse head and a
    domain gate instead of being mixed into the main multi-class head.
    """
    from jingwang.training.train import (  # noqa: PLC0415
        DEFAULT_BLOCKS,
        INITIALS_BLOCK,
        TrainConfig,
        train,
    )

    evasions = _evasions("--augment", augment)
    aux_evasions = _evasions("--aux-augment", aux_augment)
    random.seed(seed)
    np.random.seed(seed)
    train_sets = _load_all(data)
    dev_sets = _load_all(dev or [])
    known = set().union(*(d.label_set for d in train_sets))
    for d in dev_sets:
        extra = d.label_set - known
        if extra:
            raise fail(
                f"{d.path}: labels not in the training data: {', '.join(sorted(extra))}", code=2
            )
    with err.status("training…") as status:
        try:
            result = train(
                train_sets,
                dev=dev_sets,
                cfg=TrainConfig(
                    seed=seed,
                    blocks=(*DEFAULT_BLOCKS, INITIALS_BLOCK) if initials else DEFAULT_BLOCKS,
                    augment=evasions,
                    aux_augment=aux_evasions,
                    expert=expert,
                    drop_suspect=drop_suspect,
                ),
                progress=lambda msg: status.update(f"training: {msg}"),
            )
        except ValueError as exc:
            raise fail(str(exc), code=2) from None
    try:
        save_model(result.model, output)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror}", code=2) from None
    err.print(
        f"wrote {output} ({_dir_size(output) / 1e6:.1f} MB) in {result.seconds:.0f} s",
        highlight=False,
    )
    left_out = result.model.metadata.get("suspects_left_out", {})
    if any(left_out.values()):
        heads = ", ".join(f"{n} {head}" for head, n in left_out.items() if n)
        err.print(f"rows left out as suspect labels (--drop-suspect): {heads}", highlight=False)
    metrics = result.model.metadata.get("dev_metrics", {})
    if metrics:
        table = Table(title="dev metrics")
        for col in ("file", "accuracy", "macro-F1"):
            table.add_column(col)
        for name, m in metrics.items():
            table.add_row(name, f"{m['accuracy']:.4f}", f"{m['macro_f1']:.4f}")
        out.print(table)
    thresholds = result.model.metadata.get("thresholds", {})
    ranges = result.model.metadata.get("review_ranges", {})
    if ranges:
        table = Table(title="thresholds chosen on dev")
        for col in ("label", "review", "review, same dev F1 ±0.005", "block"):
            table.add_column(col)
        for label, limits in thresholds.items():
            low, high = ranges[label]
            table.add_row(
                label, f"{limits['review']:.2f}", f"{low:.2f}–{high:.2f}", f"{limits['block']:.2f}"
            )
        out.print(table)


def _report_table(title: str, reports: dict[str, ClassificationReport]) -> Table:
    table = Table(title=title)
    table.add_column("label", no_wrap=True, min_width=11)
    for name in reports:
        for metric in ("P", "R", "F1"):
            short = "base" if name == "baseline" else name
            table.add_column(f"{short} {metric}", justify="right", no_wrap=True)
    table.add_column("support", justify="right")
    first = next(iter(reports.values()))
    for label in first.labels:
        row = [label]
        for rep in reports.values():
            m = rep.metric(label)
            row += [f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}"]
        row.append(str(first.metric(label).support))
        table.add_row(*row)
    table.add_section()
    for key, attr in (("accuracy", "accuracy"), ("macro-F1", "macro_f1")):
        row = [key]
        for rep in reports.values():
            row += ["", "", f"{getattr(rep, attr):.4f}"]
        row.append(str(first.n))
        table.add_row(*row)
    return table


def _confusion_table(name: str, rep: ClassificationReport) -> Table:
    table = Table(title=f"confusion matrix — {name} (rows: true, columns: predicted)")
    table.add_column("")
    for label in rep.labels:
        table.add_column(label, justify="right")
    for label, row in zip(rep.labels, rep.confusion, strict=True):
        table.add_row(label, *(str(v) for v in row))
    return table


def _plot(path: Path, reports: dict[str, ClassificationReport]) -> None:
    try:
        matplotlib = importlib.import_module("matplotlib")  # optional extra [plot]
        matplotlib.use("Agg")
        plt = importlib.import_module("matplotlib.pyplot")
    except ImportError:
        raise fail(
            "--plot needs matplotlib, which is not installed; install the optional extra: "
            "pip install 'jingwang[plot]' (the table and --json-out report were still written)",
            code=1,
        ) from None
    fig, axes = plt.subplots(1, len(reports), figsize=(5.5 * len(reports), 5), squeeze=False)
    for ax, (name, rep) in zip(axes[0], reports.items(), strict=True):
        matrix = np.array(rep.confusion)
        ax.imshow(matrix, cmap="Blues")
        ax.set_xticks(range(len(rep.labels)), rep.labels, rotation=45, ha="right")
        ax.set_yticks(range(len(rep.labels)), rep.labels)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(f"{name}: macro-F1 {rep.macro_f1:.3f}")
        for (i, j), v in np.ndenumerate(matrix):
            color = "white" if v > matrix.max() / 2 else "black"
            ax.text(j, i, str(v), ha="center", va="center", color=color)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _evaluator(model: Any, *, pipeline: bool) -> Any:
    """``evaluate(dataset, on_progress=None) -> EvalResult`` for the model or the pipeline."""
    from jingwang.training.evaluate import evaluate_model, evaluate_pipeline  # noqa: PLC0415

    if pipeline:
        from jingwang.core.pipeline import Scanner  # noqa: PLC0415

        scanner = Scanner.from_names()
        return lambda ds, on_progress=None: evaluate_pipeline(scanner, ds, on_progress=on_progress)
    return lambda ds, on_progress=None: evaluate_model(model, ds, on_progress=on_progress)


def _print_notes(result: Any, *, pipeline: bool) -> None:
    labels = ", ".join(result.report.labels)
    if pipeline:
        out.print(
            f"[dim]pipeline: pass → normal, review/block → the top decision label among "
            f"the dataset's ({labels}).[/]"
        )
    elif result.restricted:
        out.print(
            f"[dim]labels restricted to the dataset's ({labels}): "
            "each text gets the most probable of these labels.[/]"
        )
    out.print(f"{result.name} inference: {result.us_per_doc:.0f} µs/doc (normalisation included)")


def _variants_report(result: Any, evaluate: Any, dataset: Any, seed: int) -> dict[str, Any]:
    from jingwang.training.evaluate import VARIANTS, variant_dataset  # noqa: PLC0415

    robustness: dict[str, Any] = {}
    vtable = Table(title=f"robustness: {result.name} on evasion variants of the data")
    for col in ("variant", "accuracy", "macro-F1", "Δ macro-F1"):
        vtable.add_column(col, justify="right")
    vtable.add_row("clean", f"{result.report.accuracy:.4f}", f"{result.report.macro_f1:.4f}", "")
    with err.status("scoring variants…"):
        for kind in VARIANTS:
            rep = evaluate(variant_dataset(dataset, kind, seed)).report
            delta = rep.macro_f1 - result.report.macro_f1
            robustness[kind] = {
                "accuracy": rep.accuracy,
                "macro_f1": rep.macro_f1,
                "delta_macro_f1": delta,
            }
            vtable.add_row(kind, f"{rep.accuracy:.4f}", f"{rep.macro_f1:.4f}", f"{delta:+.4f}")
    out.print(vtable)
    return robustness


def _perturbation_report(
    name: str,
    clean: ClassificationReport,
    score: Any,
    dataset: Any,
    kinds: tuple[str, ...],
    *,
    seed: int,
    rate: float,
) -> dict[str, Any]:
    """Score each perturbation, print the table, and return the JSON section ({} if none)."""
    from jingwang.training.perturb import robustness  # noqa: PLC0415

    if not kinds:
        return {}

    def accuracy_and_f1(ds: Any) -> tuple[float, float]:
        rep: ClassificationReport = score(ds)
        return rep.accuracy, rep.macro_f1

    with err.status(f"scoring {len(kinds)} perturbations…"):
        results = robustness(
            accuracy_and_f1, dataset, kinds, clean_macro_f1=clean.macro_f1, seed=seed, rate=rate
        )
    table = Table(title=f"robustness: {name} on perturbed data (rate {rate:g}, seed {seed})")
    for col in ("perturbation", "rows changed", "accuracy", "macro-F1", "Δ macro-F1"):
        table.add_column(col, justify="right")
    table.add_row("clean", "", f"{clean.accuracy:.4f}", f"{clean.macro_f1:.4f}", "")
    for r in results:
        style = "red" if r.delta_macro_f1 < -0.03 else None
        table.add_row(
            r.kind,
            f"{r.changed:.0%}",
            f"{r.accuracy:.4f}",
            f"{r.macro_f1:.4f}",
            f"{r.delta_macro_f1:+.4f}",
            style=style,
        )
    out.print(table)
    return {
        "seed": seed,
        "rate": rate,
        "clean": {"accuracy": round(clean.accuracy, 4), "macro_f1": round(clean.macro_f1, 4)},
        "results": {r.kind: r.to_dict() for r in results},
    }


def eval_cmd(
    data: Annotated[Path, typer.Argument(help="Labelled JSONL file (text, label).")],
    *,
    model_dir: Annotated[
        Path | None,
        typer.Option("--model", help="Model directory (default: $JINGWANG_MODEL_DIR or packaged)."),
    ] = None,
    baseline_train: Annotated[
        list[Path] | None,
        typer.Option(
            "--baseline-train",
            help="Fit the plain char-TF-IDF + LinearSVC baseline on these files and compare.",
        ),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json-out", help="Write the report as JSON.")
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="PNG of the confusion matrix (needs: pip install 'jingwang\\[plot]').",
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for the baseline and the variants.")] = 13,
    variants: Annotated[
        bool,
        typer.Option(
            "--variants",
            help="Also score full-width, traditional and pinyin variants of the data.",
        ),
    ] = False,
    perturb: Annotated[
        str | None,
        typer.Option(
            "--perturb",
            metavar="LIST",
            help="Also score seeded evasion perturbations of the data: comma-separated "
            "pinyin, initials, homophone, traditional, split, radical, emoji, emoji_runs, "
            "symbols, punctuation, zero_width, fullwidth, numerals, or 'all'.",
        ),
    ] = None,
    perturb_rate: Annotated[
        float,
        typer.Option(
            "--perturb-rate",
            min=0.0,
            max=1.0,
            help="Fraction of eligible characters, words or gaps each perturbation changes.",
        ),
    ] = 0.3,
    pipeline: Annotated[
        bool,
        typer.Option(
            "--pipeline",
            help="Evaluate the full scan pipeline (all installed detectors and the decision "
            "layer) instead of the model: pass → normal, review/block → its top label.",
        ),
    ] = False,
) -> None:
    """Evaluate a model: accuracy, macro-F1, per-class P/R/F1 and the confusion matrix."""
    from jingwang.core.detect.model import default_model_dir  # noqa: PLC0415
    from jingwang.training.evaluate import evaluate_baseline, fit_baseline  # noqa: PLC0415
    from jingwang.training.perturb import parse_perturbations  # noqa: PLC0415

    try:
        kinds = parse_perturbations(perturb) if perturb is not None else ()
    except ValueError as exc:
        raise fail(f"--perturb: {exc}", code=2) from None
    if pipeline and model_dir is not None:
        raise fail(
            "--pipeline uses the installed model: set JINGWANG_MODEL_DIR, not --model", code=2
        )
    (dataset,) = _load_all([data])
    base_sets = _load_all(baseline_train or [])
    directory = model_dir or default_model_dir()
    try:
        model = load_model(directory)
    except ArtifactError as exc:
        raise fail(f"cannot load model: {exc}", code=2) from None
    evaluate = _evaluator(model, pipeline=pipeline)
    if not pipeline and (unknown := dataset.label_set - set(model.labels)):
        raise fail(f"{data}: labels the model does not know: {', '.join(sorted(unknown))}", code=2)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("scoring", total=len(dataset.texts))
        try:
            result = evaluate(dataset, on_progress=lambda n: progress.advance(task, n))
        except ValueError as exc:
            raise fail(f"{data}: {exc}", code=2) from None
    results = {result.name: result}
    if base_sets:
        with err.status("fitting the baseline…"):
            try:
                results["baseline"] = evaluate_baseline(fit_baseline(base_sets, seed), dataset)
            except ValueError as exc:
                raise fail(f"baseline: {exc}", code=2) from None
    reports = {name: r.report for name, r in results.items()}
    out.print(_report_table(f"{data.name} — {len(dataset.texts)} rows", reports))
    for name, rep in reports.items():
        out.print(_confusion_table(name, rep))
    _print_notes(result, pipeline=pipeline)
    robustness = _variants_report(result, evaluate, dataset, seed) if variants else {}
    perturbations = _perturbation_report(
        result.name,
        result.report,
        lambda ds: evaluate(ds).report,
        dataset,
        kinds,
        seed=seed,
        rate=perturb_rate,
    )
    if json_out is not None:
        payload = {
            "data": dataset.source(),
            "model_dir": str(directory),
            "model_version": model.metadata.get("version"),
            **{name: r.to_dict() for name, r in results.items()},
        }
        extra = {"variants": robustness, "perturbations": perturbations}
        payload.update({k: v for k, v in extra.items() if v}, evaluated=result.name)
        try:
            json_out.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        except OSError as exc:
            raise fail(f"cannot write {json_out}: {exc.strerror}", code=2) from None
    if plot is not None:
        _plot(plot, reports)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("train")(train_cmd)
    app.command("eval")(eval_cmd)
