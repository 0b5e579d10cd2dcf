"""Fit the default model: TF-IDF (char + pinyin n-grams) → linear heads → calibration → fusion.

The recipe (see ``docs/model.md``):

* every text goes through :func:`jingwang.core.normalize.normalize` first;
* **main head** on the multi-class files: a LinearSVC and a one-vs-rest NB-SVM (linear SVMs on
  TF-IDF features scaled by the naive-Bayes log-count ratio) on char 1–4-grams and pinyin
  1–2-grams, stacked by a multinomial logistic regression fitted on out-of-fold scores of the
  training data (this is the calibration; it also corrects the class-prior skew of the
  training data, which had made fraud the least-recalled class);
* files whose labels are only ``abuse``/``normal`` (e.g. COLD) are a different domain and
  notion of abuse; mixing them into the main head makes it call ChineseHarm porn/abuse
  "normal". They train an **aux head** (binary abuse, Platt-calibrated out of fold) and a
  **gate** (which domain a text looks like), fused as described in
  :mod:`jingwang.core.model.linear`.
"""

from __future__ import annotations

import contextlib
import functools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.svm import LinearSVC

from jingwang.core.model.features import (
    InitialsFolder,
    char_ngrams,
    pinyin_ngrams,
    surface_views,
)
from jingwang.core.model.linear import Block, Head, LinearModel, Space, fusion_features
from jingwang.core.model.metrics import classification_report
from jingwang.core.normalize import normalize
from jingwang.training.data import NORMAL, Dataset

ABUSE = "abuse"
BINARY_LABELS = frozenset({ABUSE, NORMAL})
MODEL_VERSION = "1.6.0"

Progress = Callable[[str], None]
F64 = npt.NDArray[np.float64]
# A calibrator's (coefficients, intercept), float32 as stored.
Calibration = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]


# (block name, analyzer, view, min_n, max_n)
BlockSpec = tuple[str, str, str, int, int]
DEFAULT_BLOCKS: tuple[BlockSpec, ...] = (
    # The surface form with traditional characters simplified (on dev as accurate as the
    # plain surface form and no longer hurt by traditional script, −0.015 → 0.000) and
    # whitespace between Han characters deleted (加 我 微 信, one character per line).
    ("surface", "char", "compact", 1, 4),
    ("pinyin", "pinyin", "normalized", 1, 2),
)
# Pinyin initials (加wx, jwx for 加微信): opt-in, ``jingwang train --initials``. On the
# dev files it moved the initials perturbation from −0.050 to −0.031 macro-F1 at a cost
# of 0.5 points on clean ChineseHarm dev and 60–85 % more inference time (docs/model.md).
INITIALS_BLOCK: BlockSpec = ("initials", "initials", "normalized", 2, 4)


@dataclass(frozen=True, slots=True)
class TrainConfig:
    seed: int = 13
    folds: int = 5
    min_df: int = 2
    # (block name, analyzer, view, min_n, max_n); views: "normalized" = normalize(text).text,
    # "surface" = NFKC + lower case of the original text, "simplified" = the surface form
    # with traditional characters simplified, "compact" = the simplified form without
    # evasive whitespace, punctuation and emoji (features.compact_spacing)
    blocks: tuple[BlockSpec, ...] = DEFAULT_BLOCKS
    svc_c: float = 0.5
    nbsvm_c: float = 0.3
    stack_c: float = 1.0
    aux_c: float = 0.3
    gate_c: float = 0.3
    aux_min_df: int = 8
    fusion: str = "gated"  # or "split" / "stack" (see jingwang.core.model.linear)
    fusion_tau: float = 0.1
    fusion_c: float = 1.0
    block_precision: float = 0.97
    # Evasions (``jingwang.training.perturb`` names) whose perturbed copies of the main
    # rows are added to training; a copy always sits in its source row's fold. Initials
    # (加wx for 加微信) destroy what no normaliser can restore, so the model has to learn
    # them: on dev this took the initials drop from −0.047 to −0.026 at no clean cost.
    augment: tuple[str, ...] = ("initials",)
    # The same for the aux (abuse/normal) rows, which train the aux head and the gate:
    # while only the main rows had copies, COLD dev lost 0.047 macro-F1 to initials and
    # 0.067 to pinyin; with initials and pinyin copies 0.013 and 0.009, for 0.007 of clean
    # COLD accuracy. Pinyin copies of the main rows cost robustness there (docs/model.md).
    aux_augment: tuple[str, ...] = ("initials", "pinyin")
    augment_rate: float = 0.3
    # With two or more multi-class files, the largest is a domain of its own: an expert
    # head trained on its rows alone is mixed with the main head (all the files) by a
    # domain gate (docs/model.md, "Domain expert"). The expert's share of a text is the
    # gate's probability to ``expert_power``: mixed linearly, the expert, sure of itself
    # on chat it never saw, blocked short messages the gate was unsure about.
    expert: bool = True
    expert_power: float = 2.0
    # Rows whose own label the out-of-fold stacker gives less than this probability are
    # taken for mislabelled and left out of the final fit of a multi-class head that
    # learns one file alone (confident learning); 0, the default, keeps every row.
    # ChineseHarm train has insults filed as gambling and porn adverts filed as abuse:
    # with 0.05 the shipped recipe's expert left out 83 rows and the classifier rose
    # from 0.918 to 0.927 on ChineseHarm dev, but pinyin initials then cost it 0.035
    # instead of 0.015, past the 0.03 robustness target (docs/model.md, "Suspect labels").
    drop_suspect: float = 0.0


@functools.cache
def build_pinyin_table() -> dict[str, str]:
    """Toneless default syllable of every CJK unified ideograph (basic block + ext. A).

    Read from pypinyin's single-character dictionary (first reading, tone marks removed,
    ü written v), i.e. what ``lazy_pinyin(ch)`` gives for a lone character.
    """
    from pypinyin.contrib.tone_convert import to_normal  # noqa: PLC0415 - training only
    from pypinyin.pinyin_dict import pinyin_dict  # noqa: PLC0415

    table: dict[str, str] = {}
    for cp, readings in sorted(pinyin_dict.items()):
        if 0x3400 <= cp < 0x4DC0 or 0x4E00 <= cp < 0xA000:
            syllable = to_normal(readings.split(",")[0])
            if syllable.isascii() and syllable.isalpha():
                table[chr(cp)] = syllable
    return table


# ---------------------------------------------------------------------- vectorising
@dataclass(slots=True)
class _Featurizer:
    """scikit-learn vectorisers for the blocks of one space (fit on that space's texts)."""

    vectorizers: dict[str, TfidfVectorizer]

    def transform(self, docs: Sequence[Doc]) -> sparse.csr_matrix:
        return sparse.hstack([v.transform(docs) for v in self.vectorizers.values()]).tocsr()


Doc = tuple[str, str, str, str]  # (normal, surface, simplified, compact form) of one text
VIEW_INDEX: dict[str, int] = {"normalized": 0, "surface": 1, "simplified": 2, "compact": 3}


def make_doc(text: str) -> Doc:
    views = surface_views(text)
    return normalize(text).text, views["surface"], views["simplified"], views["compact"]


def _analyze(
    doc: Doc,
    *,
    analyzer: str,
    view: int,
    min_n: int,
    max_n: int,
    table: dict[str, str],
    syllables: frozenset[str],
    initials: InitialsFolder,
) -> list[str]:
    if analyzer == "char":
        return char_ngrams(doc[view], min_n, max_n)
    if analyzer == "initials":
        return char_ngrams(initials(doc[view]), min_n, max_n)
    return pinyin_ngrams(doc[view], table, min_n, max_n, syllables)


def _analyzers(cfg: TrainConfig, table: dict[str, str]) -> dict[str, Callable[[Doc], list[str]]]:
    syllables = frozenset(table.values())
    # One folder for every text: it keeps its translation table and syllable set.
    initials = InitialsFolder(table)
    return {
        name: functools.partial(
            _analyze,
            analyzer=analyzer,
            view=VIEW_INDEX[view],
            min_n=lo,
            max_n=hi,
            table=table,
            syllables=syllables,
            initials=initials,
        )
        for name, analyzer, view, lo, hi in cfg.blocks
    }


def fit_featurizer(
    docs: Sequence[Doc],
    cfg: TrainConfig,
    table: dict[str, str],
    min_df: int,
    partitions: Sequence[Sequence[Doc]] = (),
) -> _Featurizer:
    """TF-IDF vectorisers fitted on ``docs``. With ``partitions`` (``docs`` split into
    groups in which no two documents share a source: the original rows, the copies of
    one augmentation), a gram is kept when it reaches ``min_df`` within one group, so a
    perturbed copy and its source do not count as two documents."""
    vecs: dict[str, TfidfVectorizer] = {}
    for name, analyzer in _analyzers(cfg, table).items():
        vocabulary: list[str] | None = None
        if partitions:
            kept: set[str] = set()
            for part in partitions:
                if len(part) >= min_df:
                    counter = CountVectorizer(analyzer=analyzer, min_df=min_df)
                    with contextlib.suppress(ValueError):  # nothing reaches min_df
                        kept.update(counter.fit(part).vocabulary_)
            vocabulary = sorted(kept)
        vec = TfidfVectorizer(
            analyzer=analyzer,
            sublinear_tf=True,
            min_df=1 if vocabulary else min_df,
            lowercase=False,  # no effect with a callable analyzer; silences a vocabulary check
            vocabulary=vocabulary or None,
            dtype=np.float64,
        )
        vec.fit(docs)
        vecs[name] = vec
    return _Featurizer(vecs)


# ---------------------------------------------------------------------- linear models
def _nb_ratio(x: sparse.csr_matrix, positive: npt.NDArray[np.bool_]) -> F64:
    binary = (x > 0).astype(np.float64)
    p = np.asarray(binary[positive].sum(axis=0)).ravel() + 1.0
    q = np.asarray(binary[~positive].sum(axis=0)).ravel() + 1.0
    return np.asarray(np.log((p / p.sum()) / (q / q.sum())), dtype=np.float64)


def fit_main_linear(
    x: sparse.csr_matrix, y: npt.NDArray[np.str_], classes: Sequence[str], cfg: TrainConfig
) -> tuple[F64, F64]:
    """Raw linear scores ``x @ coef + intercept``: LinearSVC columns then NB-SVM columns."""
    svc = LinearSVC(C=cfg.svc_c, class_weight="balanced", random_state=cfg.seed)
    svc.fit(x, y)
    fitted = [str(c) for c in svc.classes_]
    if len(fitted) == 2:  # a binary LinearSVC has one column (positive = classes_[1])
        svc_w = np.vstack([-svc.coef_[0], svc.coef_[0]])
        svc_b = np.array([-svc.intercept_[0], svc.intercept_[0]])
    else:
        svc_w, svc_b = svc.coef_, svc.intercept_
    coef_svc = np.zeros((x.shape[1], len(classes)))
    icpt_svc = np.full(len(classes), -10.0)  # a label without training rows
    coef_nb = np.zeros((x.shape[1], len(classes)))
    icpt_nb = np.full(len(classes), -10.0)
    for k, cls in enumerate(classes):
        if cls not in fitted:
            continue
        coef_svc[:, k] = svc_w[fitted.index(cls)]
        icpt_svc[k] = svc_b[fitted.index(cls)]
        pos = y == cls
        r = _nb_ratio(x, pos)
        m = LinearSVC(C=cfg.nbsvm_c, class_weight="balanced", random_state=cfg.seed)
        m.fit(x.multiply(r).tocsr(), pos.astype(np.int64))
        coef_nb[:, k] = m.coef_[0] * r
        icpt_nb[k] = m.intercept_[0]
    return np.hstack([coef_svc, coef_nb]), np.concatenate([icpt_svc, icpt_nb])


def fit_binary_linear(
    x: sparse.csr_matrix, y: npt.NDArray[np.bool_], c: float, seed: int
) -> tuple[F64, F64]:
    m = LinearSVC(C=c, class_weight="balanced", random_state=seed)
    m.fit(x, y.astype(np.int64))
    return m.coef_[0][:, None].astype(np.float64), np.asarray(m.intercept_, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Augmented:
    """Perturbed copies of training rows: ``docs[k]`` copies row ``sources[k]`` with the
    evasion ``kinds[k]``."""

    docs: list[Doc]
    sources: npt.NDArray[np.int64]
    kinds: npt.NDArray[np.str_]

    @classmethod
    def none(cls) -> Augmented:
        return cls([], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.str_))

    def followed_by(self, other: Augmented, offset: int) -> Augmented:
        """These copies, then ``other``'s, whose sources are rows ``offset`` onward."""
        return Augmented(
            [*self.docs, *other.docs],
            np.concatenate([self.sources, other.sources + offset]),
            np.concatenate([self.kinds, other.kinds]),
        )

    def within(self, lo: int, hi: int) -> Augmented:
        """The copies of rows ``lo``…``hi - 1``, their sources renumbered from 0."""
        return self.of(np.arange(lo, hi))

    def of(self, rows: npt.NDArray[np.int64]) -> Augmented:
        """The copies of ``rows`` (ascending), their sources renumbered to positions in
        ``rows``."""
        keep = self.of_rows(rows)
        return Augmented(
            [self.docs[k] for k in keep],
            np.searchsorted(rows, self.sources[keep]).astype(np.int64),
            self.kinds[keep],
        )

    def of_rows(self, rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Indices of the copies whose source is among ``rows``."""
        return np.flatnonzero(np.isin(self.sources, rows))

    def by_kind(self, copies: npt.NDArray[np.int64]) -> list[list[Doc]]:
        """The documents of ``copies``, one group per evasion."""
        kinds = self.kinds[copies]
        return [[self.docs[k] for k in copies[kinds == kind]] for kind in np.unique(kinds)]

    def with_copies(
        self, texts: Sequence[Doc], y: npt.NDArray[Any], rows: npt.NDArray[np.int64]
    ) -> tuple[list[Doc], npt.NDArray[Any], list[list[Doc]]]:
        """Rows ``rows`` of ``texts`` and their copies, their labels, and the groups that
        :func:`fit_featurizer` counts document frequency within (none without copies)."""
        originals = [texts[i] for i in rows]
        copies = self.of_rows(rows)
        docs = originals + [self.docs[k] for k in copies]
        labels = np.concatenate([y[rows], y[self.sources[copies]]])
        groups = [originals, *self.by_kind(copies)] if len(copies) else []
        return docs, labels, groups


def augment_rows(
    texts: Sequence[str], cfg: TrainConfig, evasions: Sequence[str] | None = None
) -> Augmented:
    """One perturbed copy per row and evasion in ``evasions`` (default: ``cfg.augment``;
    rows it leaves unchanged are not copied); the seed is the training seed, so dev perturbations
    scored with another seed are not the ones trained on."""
    from jingwang.training.perturb import perturb  # noqa: PLC0415 - only when augmenting

    docs: list[Doc] = []
    sources: list[int] = []
    kinds: list[str] = []
    for kind in cfg.augment if evasions is None else evasions:
        for i, text in enumerate(texts):
            copy = perturb(text, kind, seed=cfg.seed, rate=cfg.augment_rate)
            if copy != text:
                docs.append(make_doc(copy))
                sources.append(i)
                kinds.append(kind)
    return Augmented(docs, np.array(sources, dtype=np.int64), np.array(kinds, dtype=np.str_))


def _oof(
    texts: Sequence[Doc],
    *,
    y: npt.NDArray[Any],
    strat: npt.NDArray[Any],
    fit: Callable[[sparse.csr_matrix, npt.NDArray[Any]], tuple[F64, F64]],
    cfg: TrainConfig,
    table: dict[str, str],
    min_df: int,
    augmented: Augmented | None = None,
) -> F64:
    """Out-of-fold raw scores of ``texts``; the vectorisers are refit inside every fold.
    Augmented copies train only in their source row's fold, so no row is scored by a
    model that saw its copy."""
    extra = augmented or Augmented.none()
    out: F64 | None = None
    skf = StratifiedKFold(n_splits=cfg.folds, shuffle=True, random_state=cfg.seed)
    for tr, te in skf.split(np.zeros(len(texts)), strat):
        fold_docs, fold_y, groups = extra.with_copies(texts, y, tr)
        feat = fit_featurizer(fold_docs, cfg, table, min_df, groups)
        coef, icpt = fit(feat.transform(fold_docs), fold_y)
        scores = feat.transform([texts[i] for i in te]) @ coef + icpt
        if out is None:
            out = np.zeros((len(texts), scores.shape[1]))
        out[te] = scores
    assert out is not None
    return out


# ---------------------------------------------------------------------- assembling
def _merged_blocks(
    feats: dict[str, _Featurizer], cfg: TrainConfig
) -> tuple[list[Block], dict[str, dict[str, npt.NDArray[np.int64]]]]:
    """One vocabulary per block over all spaces, and each space's column map into it."""
    blocks: list[Block] = []
    maps: dict[str, dict[str, npt.NDArray[np.int64]]] = {s: {} for s in feats}
    for block_name, analyzer, view, lo, hi in cfg.blocks:
        vocab: set[str] = set()
        for f in feats.values():
            vocab.update(f.vectorizers[block_name].vocabulary_)
        ordered = sorted(vocab)
        index = {g: i for i, g in enumerate(ordered)}
        for space_name, f in feats.items():
            names = f.vectorizers[block_name].get_feature_names_out()
            maps[space_name][block_name] = np.array([index[g] for g in names], dtype=np.int64)
        blocks.append(Block(block_name, analyzer, lo, hi, ordered, view))  # type: ignore[arg-type]
    return blocks, maps


def _scatter(values: F64, target_rows: int, cols: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
    out = np.zeros((target_rows, *values.shape[1:]), dtype=np.float32)
    out[cols] = values
    return out


def _split_coef(coef: F64, feat: _Featurizer) -> dict[str, F64]:
    parts: dict[str, F64] = {}
    start = 0
    for name, vec in feat.vectorizers.items():
        n = len(vec.vocabulary_)
        parts[name] = coef[start : start + n]
        start += n
    return parts


def _platt(scores: F64, y: npt.NDArray[np.bool_]) -> Calibration:
    lr = LogisticRegression(C=1e4, max_iter=1000)
    lr.fit(scores.reshape(-1, 1), y.astype(np.int64))
    return (
        np.asarray(lr.coef_, dtype=np.float32).reshape(1, 1),
        np.asarray(lr.intercept_, dtype=np.float32).reshape(1),
    )


def _fit_stack(
    oof: F64, y: npt.NDArray[np.str_], classes: Sequence[str], cfg: TrainConfig
) -> Calibration:
    """Multinomial LR on out-of-fold raw scores: calibration and class-prior correction."""
    stack = LogisticRegression(C=cfg.stack_c, class_weight="balanced", max_iter=5000)
    stack.fit(oof, y)
    fitted = list(stack.classes_)
    coef = stack.coef_ if len(fitted) > 2 else np.vstack([-stack.coef_[0], stack.coef_[0]])
    icpt = (
        stack.intercept_
        if len(fitted) > 2
        else np.array([-stack.intercept_[0], stack.intercept_[0]])
    )
    out_coef = np.zeros((oof.shape[1], len(classes)), dtype=np.float32)
    out_icpt = np.full(len(classes), -30.0, dtype=np.float32)  # a label without rows: never
    for k, cls in enumerate(classes):
        if cls in fitted:
            out_coef[:, k] = coef[fitted.index(cls)]
            out_icpt[k] = icpt[fitted.index(cls)]
    return out_coef, out_icpt


def _fit_gate(
    texts: Sequence[Doc],
    y: npt.NDArray[np.bool_],
    *,
    strat: npt.NDArray[Any],
    augmented: Augmented,
    fitted_on: tuple[sparse.csr_matrix, npt.NDArray[np.bool_]],
    cfg: TrainConfig,
    table: dict[str, str],
    min_df: int,
) -> tuple[F64, F64, Calibration, F64]:
    """A domain gate: a binary LinearSVC fitted on ``fitted_on`` (features and labels of
    every row and copy), Platt-scaled on out-of-fold scores of ``texts``. Returns the
    coefficients, intercept, Platt parameters and those out-of-fold scores."""
    fit = functools.partial(fit_binary_linear, c=cfg.gate_c, seed=cfg.seed)
    oof = _oof(
        texts, y=y, strat=strat, fit=fit, cfg=cfg, table=table, min_df=min_df, augmented=augmented
    )[:, 0]
    coef, icpt = fit(*fitted_on)
    return coef, icpt, _platt(oof, y), oof


@dataclass(slots=True)
class _AuxFit:
    """The aux head and the gate, their spaces, and out-of-sample outputs for the fusion."""

    union_feat: _Featurizer  # the space of both the aux head and the gate
    parts: dict[str, tuple[F64, F64, tuple[npt.NDArray[np.float32], ...]]]
    aux_texts: list[Doc]
    aux_labels: list[str]
    p_aux: F64  # P(abuse) from the aux head: main rows then aux rows, out of sample
    p_gate: F64  # P(main domain), out of fold, same row order


def _sigmoid(z: F64) -> F64:
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def _missing_copies(
    texts: Sequence[str], cfg: TrainConfig, have: Sequence[str], want: Sequence[str]
) -> Augmented:
    """Copies of ``texts`` for the evasions in ``want`` that ``have`` lacks."""
    kinds = [k for k in want if k not in have]
    return augment_rows(texts, cfg, kinds) if kinds else Augmented.none()


def _fit_aux(
    aux_sets: Sequence[Dataset],
    main_sets: Sequence[Dataset],
    *,
    main_augmented: Augmented,
    cfg: TrainConfig,
    table: dict[str, str],
    say: Progress,
) -> _AuxFit:
    """The aux head (binary abuse on the aux domain) and the gate, both in the union space
    (a vocabulary fitted on the main and the aux texts together). The aux head trains on
    the aux rows and their ``cfg.aux_augment`` copies. The gate trains on copies of every
    evasion of either domain in both domains: an evasion changes neither a text's label
    nor its domain, and copies of only one domain teach the gate that the evasion itself
    marks it (with pinyin copies of the COLD rows alone, pinyin ChineseHarm rows were
    routed to the aux head: −0.060 macro-F1 under ``--perturb pinyin``)."""
    main_strings = [t for d in main_sets for t in d.texts]
    aux_strings = [t for d in aux_sets for t in d.texts]
    main_texts = [make_doc(t) for t in main_strings]
    aux_texts = [make_doc(t) for t in aux_strings]
    aux_labels = [lab for d in aux_sets for lab in d.labels]
    aux_y = np.array([lab == ABUSE for lab in aux_labels])
    aux_augmented = Augmented.none()
    if cfg.aux_augment:
        say(f"augmenting the aux rows with {', '.join(cfg.aux_augment)}")
        aux_augmented = augment_rows(aux_strings, cfg, cfg.aux_augment)
    fit_aux = functools.partial(fit_binary_linear, c=cfg.aux_c, seed=cfg.seed)
    say(f"aux head: out-of-fold scores on {len(aux_texts)} rows")
    aux_oof = _oof(
        aux_texts,
        y=aux_y,
        strat=aux_y,
        fit=fit_aux,
        cfg=cfg,
        table=table,
        min_df=cfg.aux_min_df,
        augmented=aux_augmented,
    )
    say("gate: copying each domain's rows with the other domain's evasions")
    main_gate = main_augmented.followed_by(
        _missing_copies(main_strings, cfg, cfg.augment, cfg.aux_augment), 0
    )
    aux_gate = aux_augmented.followed_by(
        _missing_copies(aux_strings, cfg, cfg.aux_augment, cfg.augment), 0
    )
    gate_texts = [*main_texts, *aux_texts]
    gate_y = np.array([True] * len(main_texts) + [False] * len(aux_texts))
    gate_augmented = main_gate.followed_by(aux_gate, len(main_texts))
    union_docs, union_y, groups = gate_augmented.with_copies(
        gate_texts, gate_y, np.arange(len(gate_texts))
    )
    union_feat = fit_featurizer(union_docs, cfg, table, cfg.aux_min_df, groups)
    union_x = union_feat.transform(union_docs)
    say("aux head: fitting on all rows")
    aux_docs, aux_rows_y, _ = aux_augmented.with_copies(aux_texts, aux_y, np.arange(len(aux_texts)))
    aux_coef, aux_icpt = fit_aux(union_feat.transform(aux_docs), aux_rows_y)
    aux_cal = _platt(aux_oof[:, 0], aux_y)
    # The aux head never saw the main rows: its full fit is out of sample for them.
    main_aux = (union_x[: len(main_texts)] @ aux_coef + aux_icpt)[:, 0]
    aux_raw = np.concatenate([main_aux, aux_oof[:, 0]])
    p_aux = _sigmoid(aux_raw * float(aux_cal[0][0, 0]) + float(aux_cal[1][0]))

    say(f"gate: out-of-fold scores on {len(gate_texts)} rows, then fit")
    gate_coef, gate_icpt, gate_cal, gate_oof = _fit_gate(
        gate_texts,
        gate_y,
        strat=gate_y,
        augmented=gate_augmented,
        fitted_on=(union_x, union_y),
        cfg=cfg,
        table=table,
        min_df=cfg.aux_min_df,
    )
    p_gate = _sigmoid(gate_oof * float(gate_cal[0][0, 0]) + float(gate_cal[1][0]))
    return _AuxFit(
        union_feat,
        {"aux": (aux_coef, aux_icpt, aux_cal), "gate": (gate_coef, gate_icpt, gate_cal)},
        aux_texts,
        aux_labels,
        p_aux,
        p_gate,
    )


@dataclass(slots=True)
class _MulticlassFit:
    """A stacked multi-class head: its space, raw linear part, stacker, the out-of-fold
    raw scores of every row (the first pass, before suspects are left out) and how many
    rows were left out as suspect."""

    space: _Featurizer
    coef: F64
    intercept: F64
    stack: Calibration
    oof: F64
    suspects: int


def suspect_rows(oof: F64, y: npt.NDArray[np.str_], cfg: TrainConfig) -> npt.NDArray[np.bool_]:
    """Rows whose label is implausible: the stacker, fitted out of fold on the heads'
    out-of-fold scores, gives it less than ``cfg.drop_suspect``. A label keeps all its
    rows when leaving them out would leave it fewer than ``cfg.folds``."""
    suspect = np.zeros(len(y), dtype=bool)
    if cfg.drop_suspect <= 0:
        return suspect
    labels, index = np.unique(y, return_inverse=True)
    stack = LogisticRegression(C=cfg.stack_c, class_weight="balanced", max_iter=5000)
    folds = StratifiedKFold(n_splits=cfg.folds, shuffle=True, random_state=cfg.seed)
    p = cross_val_predict(stack, oof, y, cv=folds, method="predict_proba")
    suspect = np.asarray(p[np.arange(len(y)), index] < cfg.drop_suspect, dtype=bool)
    for k in range(len(labels)):
        if int((~suspect[index == k]).sum()) < cfg.folds:
            suspect[index == k] = False
    return suspect


def _fit_multiclass(
    texts: Sequence[Doc],
    y: npt.NDArray[np.str_],
    copies: Augmented,
    *,
    fit: Callable[..., tuple[F64, F64]],
    classes: Sequence[str],
    cfg: TrainConfig,
    table: dict[str, str],
    space: _Featurizer | None = None,
) -> _MulticlassFit:
    """Out-of-fold scores, the fit on the rows and their copies, and the stacker; in
    ``space`` when given, else in a space fitted on these rows. Suspect rows (see
    :func:`suspect_rows`) and their copies are left out, and the out-of-fold scores the
    stacker is fitted on are computed again without them."""

    scores = functools.partial(_oof, fit=fit, cfg=cfg, table=table, min_df=cfg.min_df)
    oof = scores(texts, y=y, strat=y, augmented=copies)
    stack_on, kept_y, suspect = oof, y, suspect_rows(oof, y, cfg)
    kept_texts, kept_copies = texts, copies
    if suspect.any():
        kept = np.flatnonzero(~suspect)
        kept_texts, kept_y, kept_copies = [texts[int(i)] for i in kept], y[kept], copies.of(kept)
        stack_on = scores(kept_texts, y=kept_y, strat=kept_y, augmented=kept_copies)
    docs, docs_y, groups = kept_copies.with_copies(kept_texts, kept_y, np.arange(len(kept_y)))
    feat = space if space is not None else fit_featurizer(docs, cfg, table, cfg.min_df, groups)
    coef, icpt = fit(feat.transform(docs), docs_y)
    stack = _fit_stack(stack_on, kept_y, classes, cfg)
    return _MulticlassFit(feat, coef, icpt, stack, oof, int(suspect.sum()))


@dataclass(slots=True)
class _ExpertFit:
    """The expert head of the largest multi-class file and the domain gate, both in the
    main space: (coefficients, intercept) and calibration of each, and how many of the
    file's rows the expert left out as suspect."""

    linear: tuple[F64, F64]
    stack: Calibration
    gate_linear: tuple[F64, F64]
    gate_cal: Calibration
    suspects: int


def _largest(datasets: Sequence[Dataset]) -> int:
    """Index of the file with the most rows (the first of equals)."""
    return max(range(len(datasets)), key=lambda i: len(datasets[i].texts))


def expert_rows(main_sets: Sequence[Dataset], cfg: TrainConfig) -> tuple[int, int] | None:
    """Rows ``lo``…``hi - 1`` (in file order) of the file that gets an expert head: the
    largest multi-class file, when there are others beside it and it has at least
    ``cfg.folds`` rows of two labels or more."""
    if not cfg.expert or len(main_sets) < 2:
        return None
    largest = _largest(main_sets)
    _, counts = np.unique(main_sets[largest].labels, return_counts=True)
    if len(counts) < 2 or int(counts.min()) < cfg.folds:
        return None
    lo = sum(len(d.texts) for d in main_sets[:largest])
    return lo, lo + len(main_sets[largest].texts)


def _fit_expert(
    main_texts: Sequence[Doc],
    main_y: npt.NDArray[np.str_],
    rows: tuple[int, int],
    *,
    augmented: Augmented,
    main_feat: _Featurizer,
    fit_main: Callable[..., tuple[F64, F64]],
    classes: Sequence[str],
    cfg: TrainConfig,
    table: dict[str, str],
    say: Progress,
) -> _ExpertFit:
    """The expert learns the largest file's notions alone (ChineseHarm alone scores 0.937
    on its dev file, the union of the files 0.923: the short chat rows pull its porn and
    normal rows their way). The gate tells that file's texts from the other files'; its
    Platt intercept is shifted by the log ratio of the two files' sizes, so that it
    assumes both domains equally likely rather than the training mix."""
    lo, hi = rows
    say(f"expert head: out-of-fold scores and fit on {hi - lo} rows")
    head = _fit_multiclass(
        list(main_texts[lo:hi]),
        main_y[lo:hi],
        augmented.within(lo, hi),
        fit=fit_main,
        classes=classes,
        cfg=cfg,
        table=table,
        space=main_feat,
    )

    domain = np.zeros(len(main_texts), dtype=bool)
    domain[lo:hi] = True
    say(f"domain gate: out-of-fold scores on {len(main_texts)} rows, then fit")
    all_docs, all_domain, _ = augmented.with_copies(main_texts, domain, np.arange(len(domain)))
    gate_coef, gate_icpt, (cal_coef, cal_icpt), _ = _fit_gate(
        main_texts,
        domain,
        strat=np.char.add(domain.astype(str), main_y),
        augmented=augmented,
        fitted_on=(main_feat.transform(all_docs), all_domain),
        cfg=cfg,
        table=table,
        min_df=cfg.min_df,
    )
    prior = math.log((hi - lo) / (len(main_texts) - (hi - lo)))
    gate_cal = (cal_coef, np.asarray(cal_icpt - prior, dtype=np.float32))  # a uniform prior
    if head.suspects:
        say(f"expert head: {head.suspects} suspect rows left out")
    return _ExpertFit(
        (head.coef, head.intercept), head.stack, (gate_coef, gate_icpt), gate_cal, head.suspects
    )


def _softmax(z: F64) -> F64:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)


def _fit_fusion(
    p_main: F64,
    *,
    labels_all: Sequence[str],
    n_main: int,
    fit: _AuxFit,
    classes: Sequence[str],
    cfg: TrainConfig,
) -> dict[str, Any]:
    """The learned fusion: multinomial LR on out-of-sample head outputs of both domains.

    Each domain gets half the total weight; within the main domain classes are balanced.
    """
    feats = np.vstack(
        [
            fusion_features(p_main[i], float(fit.p_aux[i]), float(fit.p_gate[i]))
            for i in range(len(labels_all))
        ]
    )
    y = np.array(labels_all)
    n = len(y)
    weights = np.zeros(n)
    for lo, hi in ((0, n_main), (n_main, n)):
        part = y[lo:hi]
        uniq, counts = np.unique(part, return_counts=True)
        per = dict(zip(uniq.tolist(), counts.tolist(), strict=True))
        weights[lo:hi] = [0.5 * n / (len(per) * per[lab]) for lab in part]
    lr = LogisticRegression(C=cfg.fusion_c, max_iter=5000)
    lr.fit(feats, y, sample_weight=weights)
    fitted = list(lr.classes_)
    coef = np.zeros((feats.shape[1], len(classes)))
    icpt = np.full(len(classes), -30.0)
    for k, cls in enumerate(classes):
        if cls in fitted:
            coef[:, k] = lr.coef_[fitted.index(cls)]
            icpt[k] = lr.intercept_[fitted.index(cls)]
    return {"coef": np.round(coef, 6).tolist(), "intercept": np.round(icpt, 6).tolist()}


@dataclass
class TrainResult:
    model: LinearModel
    seconds: float


def train(  # noqa: PLR0915 - one linear recipe, read top to bottom
    datasets: Sequence[Dataset],
    *,
    dev: Sequence[Dataset] = (),
    cfg: TrainConfig | None = None,
    progress: Progress | None = None,
) -> TrainResult:
    """Train a model on ``datasets``; ``dev`` only picks thresholds and is reported."""
    cfg = cfg or TrainConfig()
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    if not datasets:
        raise ValueError("no training data")
    aux_sets = [d for d in datasets if d.label_set <= BINARY_LABELS]
    main_sets = [d for d in datasets if not d.label_set <= BINARY_LABELS]
    if not main_sets:  # only binary files: they are the main data, there is no aux domain
        main_sets, aux_sets = list(aux_sets), []
    say("normalising texts")
    main_texts = [make_doc(t) for d in main_sets for t in d.texts]
    main_y = np.array([lab for d in main_sets for lab in d.labels])
    classes = sorted(set(main_y.tolist()))
    if len(classes) < 2:
        raise ValueError("the training data needs at least two labels")
    if cfg.folds > int(min(np.unique(main_y, return_counts=True)[1])):
        raise ValueError(f"every label needs at least {cfg.folds} training rows")
    if aux_sets and NORMAL not in classes:
        classes.append(NORMAL)  # the aux head needs both fusion labels in the main head
    if aux_sets and ABUSE not in classes:
        classes.append(ABUSE)
    table = build_pinyin_table()
    augmented = Augmented.none()
    if cfg.augment:
        say(f"augmenting the main rows with {', '.join(cfg.augment)}")
        augmented = augment_rows([t for d in main_sets for t in d.texts], cfg)

    rows = expert_rows(main_sets, cfg)
    if rows is not None and cfg.fusion == "stack":
        raise ValueError("the stack fusion does not support an expert head (expert=False)")
    say(f"main head: out-of-fold scores on {len(main_texts)} rows ({cfg.folds} folds), then fit")
    fit_main = functools.partial(fit_main_linear, classes=classes, cfg=cfg)
    # Suspects are looked for in a head that learns one file alone (the expert, or the
    # main head of a single file): beside ChineseHarm, 32 of the 708 chat rows read as
    # mislabelled (这件黄色卫衣还有M码吗？ normal; 窃听器、定位器 illicit_ads), and leaving
    # such rows out cost the chat dev file 0.843 → 0.818.
    one_file = len(main_sets) == 1
    main = _fit_multiclass(
        main_texts,
        main_y,
        augmented,
        fit=fit_main,
        classes=classes,
        cfg=cfg if one_file else replace(cfg, drop_suspect=0.0),
        table=table,
    )
    main_feat, main_coef, main_icpt, oof = main.space, main.coef, main.intercept, main.oof
    if main.suspects:
        say(f"main head: {main.suspects} suspect rows left out")
    stack_coef, stack_icpt = main.stack

    feats = {"main": main_feat}
    aux_parts: dict[str, Any] = {}
    fusion: dict[str, Any] = {"main": "main"}
    expert = None
    if rows is not None:
        expert = _fit_expert(
            main_texts,
            main_y,
            rows,
            augmented=augmented,
            main_feat=main_feat,
            fit_main=fit_main,
            classes=classes,
            cfg=cfg,
            table=table,
            say=say,
        )
        fusion["expert"] = {"head": "expert", "gate": "domain", "power": cfg.expert_power}
    if aux_sets:
        fit = _fit_aux(aux_sets, main_sets, main_augmented=augmented, cfg=cfg, table=table, say=say)
        feats["union"] = fit.union_feat
        aux_parts = fit.parts
        fusion["aux"] = {
            "kind": cfg.fusion,
            "tau": cfg.fusion_tau,
            "head": "aux",
            "gate": "gate",
            "positive": ABUSE,
            "negative": NORMAL,
        }
        if cfg.fusion == "stack":
            say("fusion: fitting on out-of-sample head outputs of both domains")
            aux_raw_main = main_feat.transform(fit.aux_texts) @ main_coef + main_icpt
            p_main = _softmax(
                np.vstack([oof, aux_raw_main]) @ stack_coef.astype(np.float64) + stack_icpt
            )
            fusion["aux"].update(
                _fit_fusion(
                    p_main,
                    labels_all=[*main_y.tolist(), *fit.aux_labels],
                    n_main=len(main_texts),
                    fit=fit,
                    classes=classes,
                    cfg=cfg,
                )
            )

    say("assembling the model")
    blocks, maps = _merged_blocks(feats, cfg)
    sizes = {b.name: len(b.vocabulary) for b in blocks}
    spaces = [
        Space(
            name,
            {bn: _scatter(f.vectorizers[bn].idf_, sizes[bn], maps[name][bn]) for bn in sizes},
            dict.fromkeys(sizes, 1.0),
        )
        for name, f in feats.items()
    ]

    def head_coef(space: str, coef: F64) -> dict[str, npt.NDArray[np.float32]]:
        parts = _split_coef(coef, feats[space])
        return {bn: _scatter(parts[bn], sizes[bn], maps[space][bn]) for bn in sizes}

    def head(
        name: str,
        space: str,
        linear: tuple[F64, F64],
        cal: Calibration,
        *,
        calibrator: Literal["softmax", "sigmoid"],
        outputs: tuple[str, ...],
    ) -> Head:
        coef, icpt = linear
        return Head(
            name,
            space,
            head_coef(space, coef),
            icpt.astype(np.float32),
            calibrator,
            cal[0],
            cal[1],
            outputs,
        )

    labels = tuple(classes)
    heads = [
        head(
            "main", "main", (main_coef, main_icpt), main.stack, calibrator="softmax", outputs=labels
        )
    ]
    if expert is not None:
        heads.append(
            head(
                "expert", "main", expert.linear, expert.stack, calibrator="softmax", outputs=labels
            )
        )
        heads.append(
            head(
                "domain",
                "main",
                expert.gate_linear,
                expert.gate_cal,
                calibrator="sigmoid",
                outputs=("expert_domain",),
            )
        )
    heads.extend(
        head(
            name,
            "union",
            (coef, icpt),
            cal,
            calibrator="sigmoid",
            outputs=(ABUSE,) if name == "aux" else ("main_domain",),
        )
        for name, (coef, icpt, cal) in aux_parts.items()
    )
    model = LinearModel(
        labels=classes,
        blocks=blocks,
        spaces=spaces,
        heads=heads,
        pinyin_table=table,
        fusion=fusion,
    )
    meta: dict[str, Any] = {
        "version": MODEL_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seed": cfg.seed,
        "config": {k: getattr(cfg, k) for k in cfg.__dataclass_fields__},
        "input": {
            "normalized": "jingwang.core.normalize.normalize(text).text",
            "surface": "NFKC + lower case of the original text",
            "simplified": "the surface form, traditional characters written simplified",
            "compact": "the simplified form less evasive whitespace, punctuation and emoji "
            "(compact_spacing)",
        },
        "training_data": {
            "main": [d.source() for d in main_sets],
            "expert": None if rows is None else main_sets[_largest(main_sets)].source(),
            "aux": [d.source() for d in aux_sets],
        },
        "licence_note": _licence_note(datasets),
        "suspects_left_out": {
            "main": main.suspects,
            "expert": None if expert is None else expert.suspects,
        },
    }
    if dev:
        say("choosing thresholds and measuring on dev")
        meta["dev_data"] = [d.source() for d in dev]
        meta["thresholds"], meta["dev_metrics"], meta["review_ranges"] = thresholds_and_metrics(
            model, dev, cfg
        )
    else:
        meta["thresholds"] = {
            lab: {"review": 0.5, "block": 0.9} for lab in classes if lab != NORMAL
        }
    model.metadata.update(meta)
    return TrainResult(model, time.perf_counter() - started)


def _licence_note(datasets: Sequence[Dataset]) -> str:
    if any("chineseharm" in d.path.lower() for d in datasets):
        return (
            "Trained on ChineseHarm-bench data (CC BY-NC 4.0): this model is for "
            "NON-COMMERCIAL use only."
        )
    return "Check the licences of the training data before using this model."


def restricted_argmax(
    probs: npt.NDArray[Any], labels: Sequence[str], allowed: Sequence[str]
) -> list[str]:
    """Per row, the most probable label among ``allowed`` (a dataset's label set)."""
    cols = [i for i, lab in enumerate(labels) if lab in allowed]
    sub = probs[:, cols]
    return [labels[cols[int(j)]] for j in sub.argmax(axis=1)]


def thresholds_and_metrics(
    model: LinearModel, dev: Sequence[Dataset], cfg: TrainConfig
) -> tuple[dict[str, dict[str, float]], dict[str, Any], dict[str, list[float]]]:
    """Review/block thresholds per label from the dev files, dev metrics per file, and
    per label the range of review thresholds the dev data cannot tell apart."""
    labels = list(model.labels)
    metrics: dict[str, Any] = {}
    pooled_p: list[npt.NDArray[np.float32]] = []
    pooled_y: list[str] = []
    pooled_sets: list[frozenset[str]] = []
    pooled_w: list[float] = []
    for d in dev:
        probs = model.predict_proba([normalize(t).text for t in d.texts], list(d.texts))
        allowed = [lab for lab in labels if lab in d.label_set]
        pred = restricted_argmax(probs, labels, allowed)
        rep = classification_report(d.labels, pred, labels=allowed)
        metrics[_dev_key(d, dev)] = {
            "accuracy": rep.accuracy,
            "macro_f1": rep.macro_f1,
            "per_class": rep.to_dict()["per_class"],
        }
        pooled_p.append(probs)
        pooled_y.extend(d.labels)
        pooled_sets.extend([d.label_set] * len(d.labels))
        # Each dev file weighs the same in the threshold choice, however many rows it has:
        # 6,000 COLD discussions must not drown 100 ChineseHarm porn rows, nor the reverse.
        pooled_w.extend([1.0 / len(d.labels)] * len(d.labels))
    probs = np.vstack(pooled_p)
    weights = np.array(pooled_w)
    y = np.array(pooled_y)
    out: dict[str, dict[str, float]] = {}
    flat: dict[str, list[float]] = {}
    for k, lab in enumerate(labels):
        if lab == NORMAL:
            continue
        # rows that can speak about this label: files that use it, and every normal row
        rows = np.array([lab in s or t == NORMAL for s, t in zip(pooled_sets, y, strict=True)])
        p, pos = probs[rows, k], y[rows] == lab
        curve = _f1_curve(p, pos, weights[rows])
        review = _f1_threshold(curve)
        out[lab] = {
            "review": review,
            "block": max(_threshold(p, pos, cfg.block_precision, floor=0.5), review + 0.05),
        }
        flat[lab] = _flat_range(curve)
    return out, metrics, flat


# Review thresholds whose dev F1 is this close to the best one cannot be told apart on
# dev data of this size (one row of 100 moves a file's F1 by about 0.01, a third of that
# when three files are pooled).
REVIEW_F1_TOLERANCE = 0.005


def _f1_curve(
    p: npt.NDArray[Any], pos: npt.NDArray[np.bool_], weights: npt.NDArray[Any]
) -> list[tuple[float, float]]:
    """``(threshold, weighted F1 of flagging this label)`` for 0.20, 0.25, …, 0.95."""
    curve: list[tuple[float, float]] = []
    actual = float(weights[pos].sum())
    for t in np.round(np.arange(0.2, 0.951, 0.05), 2):
        hit = p >= t
        tp = float(weights[hit & pos].sum())
        curve.append((float(t), 2 * tp / (float(weights[hit].sum()) + actual) if tp else 0.0))
    return curve


def _f1_threshold(curve: list[tuple[float, float]]) -> float:
    """The threshold with the best weighted F1 (the lowest one on a tie).

    ``review`` sends an item to a person, so it should catch what the label's rows look
    like without flooding reviewers; F1 weighs both. ``block`` keeps its precision rule.
    """
    return max(curve, key=lambda point: point[1])[0]


def _flat_range(curve: list[tuple[float, float]]) -> list[float]:
    """``[lowest, highest]`` threshold within ``REVIEW_F1_TOLERANCE`` of the best F1:
    where a retrain on the same data may put ``review``."""
    best = max(f1 for _t, f1 in curve)
    near = [t for t, f1 in curve if f1 >= best - REVIEW_F1_TOLERANCE]
    return [min(near), max(near)]


def _threshold(
    p: npt.NDArray[Any], pos: npt.NDArray[np.bool_], precision: float, floor: float
) -> float:
    """Lowest threshold ≥ floor whose precision (on these rows) reaches ``precision``."""
    best = 0.99
    for t in np.round(np.arange(0.99, floor - 1e-9, -0.01), 2):
        hit = p >= t
        if hit.sum() < 5:
            continue
        if pos[hit].mean() >= precision:
            best = float(t)
        else:
            break
    return best


def _dev_key(d: Dataset, all_dev: Sequence[Dataset]) -> str:
    """A file's name, with its folder when two dev files share a name."""
    from pathlib import Path  # noqa: PLC0415

    if sum(1 for other in all_dev if other.name == d.name) > 1:
        p = Path(d.path)
        return f"{p.parent.name}/{p.name}"
    return d.name
