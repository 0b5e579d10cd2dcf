"""Inference for the linear text classifier: TF-IDF blocks, linear heads, calibration, fusion.

A model has

* **blocks** — feature extractors (``char`` n-grams, ``pinyin`` token n-grams), each with
  one vocabulary;
* **spaces** — a TF-IDF weighting of the blocks (an idf per block, 0 for a gram the space
  does not use, and a weight per block); each block is l2-normalised within its space,
  exactly as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)`` does, and the blocks
  are concatenated;
* **heads** — linear functions of one space (``coef`` per block, ``intercept``) followed by
  a calibrator: ``softmax`` (a multinomial logistic regression on the head's raw scores,
  giving probabilities over ``classes``) or ``sigmoid`` (Platt scaling of one raw score);
* **fusion** — how heads become one distribution over ``labels``. The ``main`` head gives
  every label. An optional ``aux`` binary head (abuse vs normal, from a different domain
  such as COLD) and a ``gate`` head (probability π that a text belongs to the main head's
  domain) are combined either by ``split`` — re-split only the abuse+normal mass:
  ``q = π·P_main(abuse)/m + (1−π)·P_aux(abuse)`` with ``m = P_main(abuse)+P_main(normal)`` —
  or by ``gated``: ``split``, and when the gate is sure the text is from the aux domain
  (π < τ) the other labels' mass is scaled by π/τ and handed to the aux head's abuse/normal
  split; or by ``stack``: a multinomial logistic regression on :func:`fusion_features` fitted on
  out-of-sample head outputs of both domains (so a discussion-style text that the main head
  never saw the like of is not called porn just because it talks about sex).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from jingwang.core.model.features import char_ngrams, pinyin_ngrams, surface_form

FloatArray = npt.NDArray[np.float32]
Analyzer = Literal["char", "pinyin"]
View = Literal["normalized", "surface"]
Calibrator = Literal["softmax", "sigmoid"]


@dataclass(slots=True)
class Block:
    """One feature extractor and its vocabulary (gram → column)."""

    name: str
    analyzer: Analyzer
    min_n: int
    max_n: int
    vocabulary: list[str]
    view: View = "normalized"
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {gram: i for i, gram in enumerate(self.vocabulary)}

    def grams(
        self, text: str, pinyin_table: Mapping[str, str], syllables: frozenset[str] = frozenset()
    ) -> list[str]:
        if self.analyzer == "char":
            return char_ngrams(text, self.min_n, self.max_n)
        return pinyin_ngrams(text, pinyin_table, self.min_n, self.max_n, syllables)


@dataclass(slots=True)
class Space:
    """A TF-IDF weighting of some blocks: ``idf[block]`` has one entry per block column."""

    name: str
    idf: dict[str, FloatArray]
    weights: dict[str, float]


@dataclass(slots=True)
class Head:
    """A linear function of one space, then a calibrator."""

    name: str
    space: str
    coef: dict[str, FloatArray]  # block → [n_block_columns, n_raw]
    intercept: FloatArray  # [n_raw]
    calibrator: Calibrator
    cal_coef: FloatArray  # softmax: [n_raw, n_classes]; sigmoid: [1, 1]
    cal_intercept: FloatArray  # softmax: [n_classes]; sigmoid: [1]
    classes: tuple[str, ...]

    @property
    def n_raw(self) -> int:
        return int(self.intercept.shape[0])

    def calibrate(self, raw: FloatArray) -> FloatArray:
        z = raw @ self.cal_coef + self.cal_intercept
        if self.calibrator == "sigmoid":
            return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float32)
        z = z - z.max(axis=-1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=-1, keepdims=True), dtype=np.float32)


_EPS = 1e-6


def _logit(p: float) -> float:
    p = min(max(p, _EPS), 1.0 - _EPS)
    return math.log(p / (1.0 - p))


def fusion_features(main: npt.NDArray[Any], p_aux: float, gate: float) -> npt.NDArray[np.float64]:
    """Inputs of the learned (``stack``) fusion: main log-probabilities, alone and gated,
    the aux logit, alone and gated, and the gate logit."""
    logp = np.log(np.clip(np.asarray(main, dtype=np.float64), _EPS, 1.0))
    la = _logit(p_aux)
    return np.concatenate([logp, gate * logp, [la, gate * la, _logit(gate)]])


@dataclass(frozen=True, slots=True)
class Prediction:
    """Calibrated probabilities for one text, in ``labels`` order."""

    labels: tuple[str, ...]
    probabilities: tuple[float, ...]

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.labels, self.probabilities, strict=True))

    @property
    def label(self) -> str:
        best = max(range(len(self.labels)), key=self.probabilities.__getitem__)
        return self.labels[best]


@dataclass(slots=True)
class _SparseText:
    """The in-vocabulary grams of one text per block: column ids and sublinear tf."""

    idx: dict[str, npt.NDArray[np.int64]]
    tf: dict[str, npt.NDArray[np.float64]]


class LinearModel:
    """A loaded model; stateless after construction and safe to share between threads."""

    def __init__(
        self,
        *,
        labels: Sequence[str],
        blocks: Sequence[Block],
        spaces: Sequence[Space],
        heads: Sequence[Head],
        pinyin_table: Mapping[str, str],
        fusion: Mapping[str, Any],
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.labels = tuple(labels)
        self.blocks = {b.name: b for b in blocks}
        self.spaces = {s.name: s for s in spaces}
        self.heads = {h.name: h for h in heads}
        self.pinyin_table = dict(pinyin_table)
        self.syllables = frozenset(self.pinyin_table.values())
        self.fusion = dict(fusion)
        self.metadata: dict[str, Any] = dict(metadata or {})
        self._fusion_coef: npt.NDArray[np.float64] = np.zeros((0, 0))
        self._fusion_intercept: npt.NDArray[np.float64] = np.zeros(0)
        self._validate()
        # One coefficient matrix per (space, block): the columns of every head on that space.
        self._space_heads: dict[str, list[Head]] = {}
        for head in self.heads.values():
            self._space_heads.setdefault(head.space, []).append(head)
        self._stacked: dict[tuple[str, str], FloatArray] = {}
        for space_name, space_heads in self._space_heads.items():
            for block_name in self.spaces[space_name].idf:
                self._stacked[(space_name, block_name)] = np.ascontiguousarray(
                    np.hstack([h.coef[block_name] for h in space_heads]), dtype=np.float32
                )
        self._explain_cache: dict[str, FloatArray] = {}

    # ------------------------------------------------------------------ validation
    def _validate(self) -> None:
        main = self.heads.get(str(self.fusion.get("main")))
        if main is None:
            raise ValueError("fusion.main names no head")
        if main.calibrator != "softmax" or tuple(main.classes) != self.labels:
            raise ValueError("the main head must be a softmax head over the model's labels")
        for head in self.heads.values():
            space = self.spaces.get(head.space)
            if space is None:
                raise ValueError(f"head {head.name!r} uses unknown space {head.space!r}")
            for block_name, coef in head.coef.items():
                block = self.blocks.get(block_name)
                if block is None or block_name not in space.idf:
                    raise ValueError(f"head {head.name!r}: unknown block {block_name!r}")
                if coef.shape != (len(block.vocabulary), head.n_raw):
                    raise ValueError(f"head {head.name!r}: coef for {block_name!r} has bad shape")
        for space in self.spaces.values():
            for block_name, idf in space.idf.items():
                if idf.shape != (len(self.blocks[block_name].vocabulary),):
                    raise ValueError(f"space {space.name!r}: idf for {block_name!r} has bad shape")
        aux = self.fusion.get("aux")
        if aux:
            for key in ("head", "gate"):
                if aux.get(key) not in self.heads:
                    raise ValueError(f"fusion.aux.{key} names no head")
            for key in ("positive", "negative"):
                if aux.get(key) not in self.labels:
                    raise ValueError(f"fusion.aux.{key} is not one of the labels")
            kind = aux.get("kind", "split")
            if kind not in ("split", "gated", "stack"):
                raise ValueError(f"unknown fusion kind {kind!r}")
            if kind == "gated" and not float(aux.get("tau", 0.0)) > 0.0:
                raise ValueError("fusion.aux.tau must be positive")
            if kind == "stack":
                n_feat = 2 * len(self.labels) + 3
                fcoef = np.asarray(aux["coef"], dtype=np.float64)
                ficpt = np.asarray(aux["intercept"], dtype=np.float64)
                if fcoef.shape != (n_feat, len(self.labels)) or ficpt.shape != (len(self.labels),):
                    raise ValueError("fusion.aux coef/intercept have bad shapes")
                self._fusion_coef = fcoef
                self._fusion_intercept = ficpt

    # ------------------------------------------------------------------ features
    def _sparse(self, text: str, original: str | None = None) -> _SparseText:
        idx: dict[str, npt.NDArray[np.int64]] = {}
        tf: dict[str, npt.NDArray[np.float64]] = {}
        surface: str | None = None
        for block in self.blocks.values():
            source = text
            if block.view == "surface":
                if surface is None:
                    surface = surface_form(original if original is not None else text)
                source = surface
            counts = Counter(block.grams(source, self.pinyin_table, self.syllables))
            cols = np.fromiter(
                map(block.index.get, counts, repeat(-1)), dtype=np.int64, count=len(counts)
            )
            freqs = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            keep = cols >= 0
            idx[block.name] = cols[keep]
            tf[block.name] = 1.0 + np.log(freqs[keep])
        return _SparseText(idx, tf)

    def _space_values(
        self, sparse: _SparseText, space: Space, block_name: str
    ) -> npt.NDArray[np.float64]:
        """TF-IDF values of the block's in-vocabulary grams in ``space`` (l2-normalised)."""
        idx = sparse.idx[block_name]
        values = sparse.tf[block_name] * space.idf[block_name][idx]
        norm = math.sqrt(float(values @ values))
        if norm > 0.0:
            values = values * (space.weights.get(block_name, 1.0) / norm)
        return values

    def transform(
        self, text: str, space_name: str, original: str | None = None
    ) -> dict[str, dict[int, float]]:
        """The TF-IDF features of ``text`` in one space, per block: column → value.

        ``text`` is the normal form; ``original`` (default: ``text``) feeds ``surface``
        blocks. Grams the space does not use (idf 0) are left out, as scikit-learn does.
        """
        sparse = self._sparse(text, original)
        space = self.spaces[space_name]
        out: dict[str, dict[int, float]] = {}
        for block_name in space.idf:
            values = self._space_values(sparse, space, block_name)
            cols = sparse.idx[block_name]
            out[block_name] = {int(c): float(v) for c, v in zip(cols, values, strict=True) if v}
        return out

    def raw_scores(self, text: str, original: str | None = None) -> dict[str, FloatArray]:
        """Each head's raw (uncalibrated) outputs."""
        sparse = self._sparse(text, original)
        out: dict[str, FloatArray] = {}
        for space_name, space_heads in self._space_heads.items():
            space = self.spaces[space_name]
            total = np.zeros(sum(h.n_raw for h in space_heads), dtype=np.float64)
            for block_name in space.idf:
                idx = sparse.idx[block_name]
                if idx.size == 0:
                    continue
                values = self._space_values(sparse, space, block_name)
                total += values @ self._stacked[(space_name, block_name)][idx]
            start = 0
            for head in space_heads:
                end = start + head.n_raw
                out[head.name] = np.asarray(total[start:end] + head.intercept, dtype=np.float32)
                start = end
        return out

    def head_probabilities(self, text: str, original: str | None = None) -> dict[str, FloatArray]:
        """Each head's calibrated output (a distribution, or one probability)."""
        raw = self.raw_scores(text, original)
        return {name: self.heads[name].calibrate(scores) for name, scores in raw.items()}

    def fuse(self, heads: Mapping[str, FloatArray]) -> FloatArray:
        """Combine calibrated head outputs into one distribution over ``labels``."""
        probs = np.array(heads[self.fusion["main"]], dtype=np.float64)
        aux = self.fusion.get("aux")
        if not aux:
            return np.asarray(probs, dtype=np.float32)
        gate = float(heads[aux["gate"]][0])
        p_aux = float(heads[aux["head"]][0])
        if aux.get("kind", "split") == "stack":
            z = fusion_features(probs, p_aux, gate) @ self._fusion_coef + self._fusion_intercept
            e = np.exp(z - z.max())
            return np.asarray(e / e.sum(), dtype=np.float32)
        pos = self.labels.index(aux["positive"])
        neg = self.labels.index(aux["negative"])
        mass = probs[pos] + probs[neg]
        if mass > 0.0:
            q = gate * probs[pos] / mass + (1.0 - gate) * p_aux
            probs[pos] = mass * q
            probs[neg] = mass * (1.0 - q)
        if aux.get("kind") == "gated":
            # Only when the gate is sure the text is from the aux domain (π < τ) is the mass
            # of the other labels handed to the aux head's abuse/normal split.
            keep = min(1.0, gate / float(aux["tau"]))
            others = [i for i in range(len(self.labels)) if i not in (pos, neg)]
            moved = float(probs[others].sum()) * (1.0 - keep)
            probs[others] *= keep
            probs[pos] += moved * p_aux
            probs[neg] += moved * (1.0 - p_aux)
        return np.asarray(probs, dtype=np.float32)

    def predict(self, text: str, original: str | None = None) -> Prediction:
        """Calibrated probabilities of the normal form ``text`` of ``original``."""
        probs = self.fuse(self.head_probabilities(text, original))
        return Prediction(self.labels, tuple(float(p) for p in probs))

    def predict_proba(
        self, texts: Sequence[str], originals: Sequence[str] | None = None
    ) -> FloatArray:
        """``[len(texts), len(labels)]`` calibrated probabilities."""
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        for i, text in enumerate(texts):
            original = originals[i] if originals is not None else None
            out[i] = self.fuse(self.head_probabilities(text, original))
        return out

    # ------------------------------------------------------------------ explanations
    def _explain_weights(self, block_name: str) -> FloatArray:
        """Per gram and label, the main head's weight on the calibrated logit, centred."""
        cached = self._explain_cache.get(block_name)
        if cached is None:
            main = self.heads[self.fusion["main"]]
            eff = main.coef[block_name].astype(np.float64) @ main.cal_coef.astype(np.float64)
            eff -= eff.mean(axis=1, keepdims=True)
            cached = np.asarray(eff, dtype=np.float32)
            self._explain_cache[block_name] = cached
        return cached

    def top_grams(
        self, text: str, label: str, k: int = 3, original: str | None = None, min_len: int = 1
    ) -> list[tuple[View, str, float]]:
        """The char n-grams that push hardest towards ``label`` in the main head.

        Returns ``(view, gram, contribution)``, best first; ``view`` says which text the gram
        is from (``normalized``: ``text``; ``surface``: :func:`surface_form` of ``original``).
        Grams shorter than ``min_len`` characters (spaces not counted) are skipped.
        """
        main = self.heads[self.fusion["main"]]
        if label not in self.labels:
            return []
        col = self.labels.index(label)
        sparse = self._sparse(text, original)
        found: list[tuple[float, View, str]] = []
        for name, block in self.blocks.items():
            if block.analyzer != "char" or name not in main.coef:
                continue
            idx = sparse.idx[name]
            if idx.size == 0:
                continue
            values = self._space_values(sparse, self.spaces[main.space], name)
            contrib = values * self._explain_weights(name)[idx, col]
            taken = 0
            for j in np.argsort(-contrib, kind="stable"):
                if contrib[j] <= 0.0 or taken == k:
                    break
                gram = block.vocabulary[int(idx[j])]
                if len(gram.replace(" ", "")) >= min_len:
                    found.append((float(contrib[j]), block.view, gram))
                    taken += 1
        found.sort(key=lambda t: -t[0])
        return [(view, gram, weight) for weight, view, gram in found[:k]]
