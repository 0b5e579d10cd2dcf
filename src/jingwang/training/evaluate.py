"""Evaluation of a model (and of the plain baseline) on a labelled dataset."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from jingwang.core.labels import LABELS
from jingwang.core.model import LinearModel
from jingwang.core.model.metrics import ClassificationReport, classification_report
from jingwang.core.normalize import normalize
from jingwang.core.types import ScanItem
from jingwang.training.data import Dataset
from jingwang.training.train import restricted_argmax

if TYPE_CHECKING:
    from jingwang.core.pipeline import Scanner


@dataclass(frozen=True, slots=True)
class EvalResult:
    name: str
    report: ClassificationReport
    predictions: tuple[str, ...]
    restricted: bool  # the dataset uses only some of the model's labels
    us_per_doc: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "restricted_to_dataset_labels": self.restricted,
            "us_per_doc": round(self.us_per_doc, 1),
            **self.report.to_dict(),
        }


def evaluate_model(
    model: LinearModel,
    data: Dataset,
    *,
    name: str = "model",
    on_progress: Callable[[int], None] | None = None,
) -> EvalResult:
    """Predict every row (normalised text → calibrated probabilities → restricted argmax).

    When the dataset's labels are a subset of the model's (COLD: abuse/normal), the
    prediction is the most probable label *among the dataset's labels*: a text the model
    calls porn is counted as abuse if P(abuse) > P(normal), else as normal.
    """
    unknown = data.label_set - set(model.labels)
    if unknown:
        raise ValueError(f"labels the model does not know: {', '.join(sorted(unknown))}")
    allowed = [lab for lab in model.labels if lab in data.label_set]
    probs = np.zeros((len(data.texts), len(model.labels)), dtype=np.float32)
    model.predict(normalize("预热 warm-up").text, "预热 warm-up")  # one-time table loading
    started = time.perf_counter()
    for i, text in enumerate(data.texts):
        probs[i] = model.predict(normalize(text).text, text).probabilities
        if on_progress is not None:
            on_progress(1)
    elapsed = time.perf_counter() - started
    preds = restricted_argmax(probs, model.labels, allowed)
    return EvalResult(
        name,
        classification_report(data.labels, preds, labels=allowed),
        tuple(preds),
        len(allowed) < len(model.labels),
        1e6 * elapsed / max(1, len(data.texts)),
    )


# Rows scanned together, as `jingwang scan` does (Scanner.scan_batch): same decisions.
PIPELINE_BATCH = 256


def evaluate_pipeline(
    scanner: Scanner,
    data: Dataset,
    *,
    name: str = "pipeline",
    on_progress: Callable[[int], None] | None = None,
) -> EvalResult:
    """Scan every row with the full pipeline (all detectors and the decision layer).

    The prediction is ``normal`` when the decision is ``pass``; otherwise the
    highest-scored decision label among the dataset's labels (``normal`` when none of
    them is), as ``evaluate_model`` restricts a COLD-like file to its labels.
    """
    allowed = [lab for lab in (*LABELS, "normal") if lab in data.label_set]
    unknown = data.label_set - set(allowed)
    if unknown:
        raise ValueError(f"labels the pipeline does not know: {', '.join(sorted(unknown))}")
    if "normal" not in allowed:
        allowed.append("normal")  # a pass is always a possible prediction
    scanner.scan(ScanItem(id="warm-up", text="预热 warm-up"))  # one-time table loading
    preds: list[str] = []
    started = time.perf_counter()
    items = (ScanItem(id=str(i), text=text) for i, text in enumerate(data.texts))
    for decision in scanner.scan_many(items, batch_size=PIPELINE_BATCH):
        pred = "normal"
        if decision.decision != "pass":
            pred = next((r.label for r in decision.labels if r.label in data.label_set), pred)
        preds.append(pred)
        if on_progress is not None:
            on_progress(1)
    elapsed = time.perf_counter() - started
    return EvalResult(
        name,
        classification_report(data.labels, preds, labels=allowed),
        tuple(preds),
        len(allowed) < len(LABELS) + 1,
        1e6 * elapsed / max(1, len(data.texts)),
    )


@dataclass(slots=True)
class Baseline:
    """The plain reference: char 1–4-gram TF-IDF (sublinear tf) + LinearSVC on raw text."""

    vectorizer: TfidfVectorizer
    svc: LinearSVC

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.svc.classes_]

    def scores(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        s = np.asarray(self.svc.decision_function(self.vectorizer.transform(texts)))
        return s if s.ndim == 2 else np.stack([-s, s], axis=1)


def fit_baseline(datasets: Sequence[Dataset], seed: int = 13) -> Baseline:
    texts = [t for d in datasets for t in d.texts]
    labels = [lab for d in datasets for lab in d.labels]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True)
    svc = LinearSVC(C=1.0, class_weight="balanced", random_state=seed)
    svc.fit(vec.fit_transform(texts), labels)
    return Baseline(vec, svc)


def evaluate_baseline(baseline: Baseline, data: Dataset) -> EvalResult:
    unknown = data.label_set - set(baseline.classes)
    if unknown:
        raise ValueError(f"labels the baseline was not trained on: {', '.join(sorted(unknown))}")
    allowed = [lab for lab in baseline.classes if lab in data.label_set]
    started = time.perf_counter()
    scores = baseline.scores(list(data.texts))
    elapsed = time.perf_counter() - started
    preds = restricted_argmax(scores, baseline.classes, allowed)
    return EvalResult(
        "baseline",
        classification_report(data.labels, preds, labels=allowed),
        tuple(preds),
        len(allowed) < len(baseline.classes),
        1e6 * elapsed / max(1, len(data.texts)),
    )


VARIANTS = ("fullwidth", "traditional", "pinyin")


def make_variant(text: str, kind: str, seed: int = 13, rate: float = 0.3) -> str:
    """An evasion variant of ``text`` for robustness checks.

    ``fullwidth``: ASCII → full-width forms; ``traditional``: OpenCC s2t; ``pinyin``: each
    Han character replaced by its toneless pinyin with probability ``rate`` (seeded by the
    text, so a run is reproducible).
    """
    if kind == "fullwidth":
        return "".join(
            "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch
            for ch in text
        )
    if kind == "traditional":
        return str(_s2t().convert(text))
    if kind == "pinyin":
        from pypinyin import Style, lazy_pinyin  # noqa: PLC0415

        rng = random.Random(f"{seed}:{text}")
        out: list[str] = []
        for ch in text:
            if "\u4e00" <= ch <= "\u9fff" and rng.random() < rate:
                out.append(lazy_pinyin(ch, style=Style.NORMAL)[0])
            else:
                out.append(ch)
        return "".join(out)
    raise ValueError(f"unknown variant {kind!r} (known: {', '.join(VARIANTS)})")


@functools.cache
def _s2t() -> Any:
    import opencc  # noqa: PLC0415

    return opencc.OpenCC("s2t")


def variant_dataset(data: Dataset, kind: str, seed: int = 13) -> Dataset:
    texts = tuple(make_variant(t, kind, seed) for t in data.texts)
    return Dataset(f"{data.path}#{kind}", texts, data.labels, data.sha256)
