"""Inference for the linear text classifier: TF-IDF blocks, linear heads, calibration, fusion.

A model has

* **blocks** — feature extractors (``char`` n-grams, ``pinyin`` token n-grams, ``initials``
  character n-grams of the pinyin initials), each with
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
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from jingwang.core.model.features import (
    VIEWS_REMEMBERED,
    InitialsFolder,
    PinyinTokenizer,
    surface_views,
)
from jingwang.core.model.grams import GramIndex

FloatArray = npt.NDArray[np.float32]
Analyzer = Literal["char", "pinyin", "initials"]
View = Literal["normalized", "surface", "simplified", "compact"]
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
        # einsum rather than a BLAS product: each row is summed on its own, in the same
        # order whatever the number of rows, so a text scores alike alone or in a batch.
        z = np.einsum("...k,kc->...c", raw, self.cal_coef) + self.cal_intercept
        if self.calibrator == "sigmoid":
            return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float32)
        z = z - z.max(axis=-1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=-1, keepdims=True), dtype=np.float32)


_EPS = 1e-6
_TINY = float(np.finfo(np.float64).tiny)


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


@dataclass(frozen=True, slots=True)
class _Features:
    """The TF-IDF features of one text in every space at once.

    The blocks' vocabularies are laid end to end (block ``b`` owns the global columns
    ``offset[b]`` onward); ``cols`` holds the text's in-vocabulary columns, each once, in
    order of first occurrence and block by block (``bounds[b]:bounds[b + 1]``), and
    ``values[:, s]`` their l2-normalised, block-weighted TF-IDF in space ``s``.
    """

    cols: npt.NDArray[np.intp]
    values: npt.NDArray[np.float64]  # [len(cols), n_spaces]
    bounds: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Batch:
    """The features of several texts: text ``t`` owns rows ``starts[t]:starts[t + 1]`` of
    ``cols`` and ``values`` (laid out as :class:`_Features`), its blocks the runs
    ``bounds[t]`` within them."""

    cols: npt.NDArray[np.intp]
    values: npt.NDArray[np.float64]
    starts: list[int]
    bounds: list[tuple[int, ...]]


class LinearModel:
    """A loaded model; safe to share between threads.

    Its only mutable state is a memo of the last batch's features (``predict_many`` then
    ``top_grams`` of the same texts extract them once) and the tokenizer's lazily filled
    translation table; neither changes any result.
    """

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
        self._prepare_inference()

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
        expert = self.fusion.get("expert")
        if expert:
            expert_head = self.heads.get(str(expert.get("head")))
            gate = self.heads.get(str(expert.get("gate")))
            if (
                expert_head is None
                or expert_head.calibrator != "softmax"
                or tuple(expert_head.classes) != self.labels
            ):
                raise ValueError("fusion.expert.head must be a softmax head over the labels")
            if gate is None or gate.calibrator != "sigmoid" or gate.n_raw != 1:
                raise ValueError("fusion.expert.gate must be a one-output sigmoid head")
            if not float(expert.get("power", 1.0)) > 0.0:
                raise ValueError("fusion.expert.power must be positive")
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

    # ------------------------------------------------------------------ precomputation
    def _prepare_inference(self) -> None:
        """Lay every per-model constant out for :meth:`_batch` and :meth:`_raw`.

        Inference is dominated by per-call overhead, not arithmetic (a text has a few
        hundred grams), so the blocks' vocabularies are concatenated into one column space
        and the spaces and heads into a few dense matrices, and texts are scored many at
        a time: a text costs one Aho-Corasick pass per block, and a batch a handful of
        numpy calls whatever its size and the number of blocks, spaces and heads.
        """
        blocks = list(self.blocks.values())
        spaces = list(self.spaces.values())
        heads = list(self.heads.values())
        sizes = [len(b.vocabulary) for b in blocks]
        offsets = np.cumsum([0, *sizes]).tolist()
        n_cols = offsets[-1]
        self._block_order = blocks
        self._offsets: list[int] = offsets[:-1]
        # gram → global column, one index per block (the blocks' gram namespaces overlap).
        self._indexes = [
            GramIndex(
                {gram: off + i for i, gram in enumerate(b.vocabulary)},
                b.min_n,
                b.max_n,
                tokens=b.analyzer == "pinyin",
            )
            for b, off in zip(blocks, self._offsets, strict=True)
        ]
        self._tokenizer = PinyinTokenizer(self.pinyin_table, self.syllables)
        self._initials = InitialsFolder(self.pinyin_table)
        self._views_needed = frozenset(b.view for b in blocks) - {"normalized"}
        self._space_index = {s.name: i for i, s in enumerate(spaces)}
        # idf per (global column, space), float64 so the tf·idf product is computed in the
        # same precision as scikit-learn; 0 where a space does not use the block.
        idf = np.zeros((n_cols, len(spaces)), dtype=np.float64)
        block_weight = np.zeros((len(blocks), len(spaces)), dtype=np.float64)
        for j, space in enumerate(spaces):
            for i, block in enumerate(blocks):
                if block.name in space.idf:
                    idf[offsets[i] : offsets[i + 1], j] = space.idf[block.name]
                    block_weight[i, j] = space.weights.get(block.name, 1.0)
        self._idf = idf
        self._block_weight = block_weight
        # Every head's coefficients side by side: [n_cols, Σ n_raw] (float32, as stored);
        # _head_slots[h] = (row of h's space in the scores, h's columns).
        coef = np.zeros((n_cols, sum(h.n_raw for h in heads)), dtype=np.float32)
        self._head_slots: dict[str, tuple[int, slice]] = {}
        start = 0
        for head in heads:
            end = start + head.n_raw
            for i, block in enumerate(blocks):
                if block.name in head.coef:
                    coef[offsets[i] : offsets[i + 1], start:end] = head.coef[block.name]
            self._head_slots[head.name] = (self._space_index[head.space], slice(start, end))
            start = end
        self._coef = coef
        # Raw scores of all heads as one vector: flat positions in the [n_spaces, Σ n_raw]
        # product (each head's own space row) and the intercepts in the same order.
        n_out = coef.shape[1]
        self._raw_take = np.concatenate(
            [row * n_out + np.arange(n_out)[cols] for row, cols in self._head_slots.values()]
        ).astype(np.intp)
        self._intercepts = np.concatenate([h.intercept for h in heads]).astype(np.float32)
        # Platt heads (one raw score, a 1×1 calibrator) are calibrated together: the same
        # float32 operations as Head.calibrate, one numpy call each instead of one per head.
        platt = [
            h
            for h in heads
            if h.calibrator == "sigmoid" and h.cal_coef.shape == (1, 1) and h.n_raw == 1
        ]
        self._platt_names = [h.name for h in platt]
        self._platt_cols = np.array(
            [self._head_slots[h.name][1].start for h in platt], dtype=np.intp
        )
        self._platt_coef = np.array([h.cal_coef[0, 0] for h in platt], dtype=np.float32)
        self._platt_intercept = np.array([h.cal_intercept[0] for h in platt], dtype=np.float32)
        self._other_heads = [
            (h, self._head_slots[h.name][1]) for h in heads if h.name not in self._platt_names
        ]
        self._explain_cache: dict[str, FloatArray] = {}
        # The features of the last batch seen: the detector asks for top_grams of its
        # texts right after scoring them. One immutable mapping, so a racing thread at
        # worst recomputes; it never sees a half-written entry.
        self._last: Mapping[tuple[str, str | None], _Features] = {}

    # ------------------------------------------------------------------ features
    def _batch(self, texts: Sequence[str], originals: Sequence[str | None]) -> _Batch:
        """The features of ``texts`` (normal forms of ``originals``), scored together."""
        columns: list[int] = []
        counts_of: list[int] = []
        starts = [0]
        bounds: list[tuple[int, ...]] = []
        segment_starts: list[int] = []  # first row of each non-empty (text, block) run
        segment_lengths: list[int] = []
        segment_blocks: list[int] = []
        views: list[dict[str, str]] = []
        for text, original in zip(texts, originals, strict=True):
            views.append({"normalized": text})
            if self._views_needed:
                views[-1].update(surface_views(original if original is not None else text))
        # Each block's grams of every text are looked up together.
        found: list[list[list[int]]] = []
        for block, index in zip(self._block_order, self._indexes, strict=True):
            sources = [text_views[block.view] for text_views in views]
            if block.analyzer == "char":
                found.append(index.char_ids_many(sources))
            elif block.analyzer == "initials":
                found.append(index.char_ids_many([self._initials(s) for s in sources]))
            else:
                found.append(index.token_ids_many([self._tokenizer(s) for s in sources]))
        for t in range(len(texts)):
            # One Counter over the global columns of all blocks keeps first-occurrence
            # order and puts each block's columns after the previous block's.
            counts: Counter[int] = Counter()
            text_bounds = [0]
            for ids in found:
                counts.update(ids[t])
                text_bounds.append(len(counts))
            base = starts[-1]
            for i, (lo, hi) in enumerate(pairwise(text_bounds)):
                if lo < hi:
                    segment_starts.append(base + lo)
                    segment_lengths.append(hi - lo)
                    segment_blocks.append(i)
            columns.extend(counts)
            counts_of.extend(counts.values())
            starts.append(base + len(counts))
            bounds.append(tuple(text_bounds))
        cols = np.array(columns, dtype=np.intp)
        tf = np.array(counts_of, dtype=np.float64)
        np.log(tf, out=tf)
        tf += 1.0  # scikit-learn's sublinear tf: 1 + log(count)
        values = self._idf.take(cols, axis=0)
        values *= tf[:, None]
        if segment_starts:
            # Each block of each text is l2-normalised on its own within each space, then
            # weighted; reduceat sums each run by itself, so a text's features do not
            # depend on the texts scored with it.
            # A norm is 0 only where the space does not use the block (every used gram
            # has an idf of at least 1), and there the weight is 0: flooring the norm at
            # the smallest double gives that run a scale of 0, and changes no other.
            norms = np.add.reduceat(values * values, segment_starts, axis=0)
            np.maximum(norms, _TINY, out=norms)
            scale = self._block_weight[segment_blocks] / np.sqrt(norms, out=norms)
            values *= np.repeat(scale, segment_lengths, axis=0)
        return _Batch(cols, values, starts, bounds)

    def _features(self, text: str, original: str | None = None) -> _Features:
        """One text's features: from the last batch when it held the text."""
        found = self._last.get((text, original))
        if found is not None:
            return found
        return self._remember([text], [original], self._batch([text], [original]))[0]

    def _remember(
        self, texts: Sequence[str], originals: Sequence[str | None], batch: _Batch
    ) -> list[_Features]:
        features = [
            _Features(batch.cols[lo:hi], batch.values[lo:hi], bounds)
            for (lo, hi), bounds in zip(pairwise(batch.starts), batch.bounds, strict=True)
        ]
        self._last = dict(zip(zip(texts, originals, strict=True), features, strict=True))
        return features

    def transform(
        self, text: str, space_name: str, original: str | None = None
    ) -> dict[str, dict[int, float]]:
        """The TF-IDF features of ``text`` in one space, per block: column → value.

        ``text`` is the normal form; ``original`` (default: ``text``) feeds ``surface``
        and ``simplified`` blocks. Grams the space does not use (idf 0) are left out, as
        scikit-learn does.
        """
        feats = self._features(text, original)
        space = self.spaces[space_name]
        j = self._space_index[space_name]
        out: dict[str, dict[int, float]] = {}
        for i, block in enumerate(self._block_order):
            if block.name not in space.idf:
                continue
            lo, hi = feats.bounds[i], feats.bounds[i + 1]
            cols = feats.cols[lo:hi] - self._offsets[i]
            values = feats.values[lo:hi, j]
            out[block.name] = {int(c): float(v) for c, v in zip(cols, values, strict=True) if v}
        return out

    # ------------------------------------------------------------------ scoring
    def _raw(self, batch: _Batch) -> FloatArray:
        """Every head's raw scores, one row per text, heads end to end (``_head_slots``
        say where)."""
        raw = np.empty((len(batch.bounds), self._coef.shape[1]), dtype=np.float32)
        gathered = self._coef.take(batch.cols, axis=0)
        # Per text, one small matmul gives every head's scores in every space ([n_spaces,
        # Σ n_raw]; a head then reads its own space's row, the rest are a few wasted
        # multiply-adds), summed in float64 and rounded to float32 with the intercept
        # added. One product over the whole batch (products of [rows, heads] then a
        # reduceat) moves megabytes through memory and took three times as long.
        for t, (lo, hi) in enumerate(pairwise(batch.starts)):
            product = batch.values[lo:hi].T @ gathered[lo:hi]
            raw[t] = product.take(self._raw_take) + self._intercepts
        return raw

    def _calibrated(self, raw: FloatArray) -> dict[str, FloatArray]:
        """Each head's calibrated outputs, one row per text."""
        out = {head.name: head.calibrate(raw[:, cols]) for head, cols in self._other_heads}
        if self._platt_names:
            z = raw[:, self._platt_cols] * self._platt_coef + self._platt_intercept
            p = np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float32)
            for i, name in enumerate(self._platt_names):
                out[name] = p[:, i : i + 1]
        return out

    def _scored(
        self, texts: Sequence[str], originals: Sequence[str | None]
    ) -> dict[str, FloatArray]:
        batch = self._batch(texts, originals)
        self._remember(texts, originals, batch)
        return self._calibrated(self._raw(batch))

    def raw_scores(self, text: str, original: str | None = None) -> dict[str, FloatArray]:
        """Each head's raw (uncalibrated) outputs."""
        found = self._features(text, original)
        n = len(found.cols)
        raw = self._raw(_Batch(found.cols, found.values, [0, n], [found.bounds]))[0]
        return {name: raw[cols] for name, (_row, cols) in self._head_slots.items()}

    def head_probabilities(self, text: str, original: str | None = None) -> dict[str, FloatArray]:
        """Each head's calibrated output (a distribution, or one probability)."""
        return {name: p[0] for name, p in self._scored([text], [original]).items()}

    def fuse(self, heads: Mapping[str, FloatArray]) -> FloatArray:
        """Combine calibrated head outputs into one distribution over ``labels``."""
        probs = np.array(heads[self.fusion["main"]], dtype=np.float64)
        expert = self.fusion.get("expert")
        if expert:
            # The domain gate's probability that the text is from the expert's file, raised
            # to ``power``: the expert never saw the other files' texts and is overconfident
            # on them, so a text the gate is unsure of should mostly hear the main head.
            share = float(heads[expert["gate"]][0]) ** float(expert.get("power", 1.0))
            probs = (
                share * np.asarray(heads[expert["head"]], dtype=np.float64) + (1.0 - share) * probs
            )
        aux = self.fusion.get("aux")
        if not aux:
            return np.asarray(probs, dtype=np.float32)
        gate = float(heads[aux["gate"]][0])
        p_aux = float(heads[aux["head"]][0])
        if aux.get("kind", "split") == "stack":
            z = fusion_features(probs, p_aux, gate) @ self._fusion_coef + self._fusion_intercept
            e = np.exp(z - z.max())
            return np.asarray(e / e.sum(), dtype=np.float32)
        # A handful of scalars: plain Python floats (IEEE doubles, like numpy's float64)
        # cost far less than numpy calls on six-element arrays; same operations, same order.
        p = probs.tolist()
        pos = self.labels.index(aux["positive"])
        neg = self.labels.index(aux["negative"])
        mass = p[pos] + p[neg]
        if mass > 0.0:
            q = gate * p[pos] / mass + (1.0 - gate) * p_aux
            p[pos] = mass * q
            p[neg] = mass * (1.0 - q)
        if aux.get("kind") == "gated":
            # Only when the gate is sure the text is from the aux domain (π < τ) is the mass
            # of the other labels handed to the aux head's abuse/normal split.
            keep = min(1.0, gate / float(aux["tau"]))
            others = [i for i in range(len(self.labels)) if i not in (pos, neg)]
            total = 0.0
            for i in others:  # in order, as numpy sums so few values
                total += p[i]
            moved = total * (1.0 - keep)
            for i in others:
                p[i] *= keep
            p[pos] += moved * p_aux
            p[neg] += moved * (1.0 - p_aux)
        return np.array(p, dtype=np.float32)

    def predict(self, text: str, original: str | None = None) -> Prediction:
        """Calibrated probabilities of the normal form ``text`` of ``original``."""
        return self.predict_many([text], [original])[0]

    def predict_many(
        self, texts: Sequence[str], originals: Sequence[str | None] | None = None
    ) -> list[Prediction]:
        """:meth:`predict` for several texts at once: the same results, with the numpy
        work on their features done in a few calls for the whole batch instead of a few
        per text."""
        return [Prediction(self.labels, tuple(p.tolist())) for p in self._fused(texts, originals)]

    def predict_proba(
        self, texts: Sequence[str], originals: Sequence[str | None] | None = None
    ) -> FloatArray:
        """``[len(texts), len(labels)]`` calibrated probabilities."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return np.stack(self._fused(texts, originals))

    def _fused(
        self, texts: Sequence[str], originals: Sequence[str | None] | None
    ) -> list[FloatArray]:
        sources = list(originals) if originals is not None else [None] * len(texts)
        fused: list[FloatArray] = []
        # VIEWS_REMEMBERED texts at a time: a batch's arrays grow with its rows, and one of
        # 4,000 texts (a dev file) moved hundreds of MB through memory and cost more per
        # text than the one-text path; 64 at a time cost 0.64 of it.
        for start in range(0, len(texts), VIEWS_REMEMBERED):
            chunk = texts[start : start + VIEWS_REMEMBERED]
            heads = list(self._scored(chunk, sources[start : start + VIEWS_REMEMBERED]).items())
            # Fusion is a handful of scalars per text, cheaper row by row in Python floats
            # than in numpy calls on six-element columns.
            fused.extend(self.fuse({name: p[i] for name, p in heads}) for i in range(len(chunk)))
        return fused

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
        is from (``normalized``: ``text``; ``surface`` / ``simplified`` / ``compact``:
        :func:`surface_form` of ``original``, the latter two through
        :func:`simplify_script`, the last through :func:`compact_spacing` too).
        Grams shorter than ``min_len`` characters (spaces not counted) are skipped.
        """
        main = self.heads[self.fusion["main"]]
        if label not in self.labels:
            return []
        col = self.labels.index(label)
        feats = self._features(text, original)
        j = self._space_index[main.space]
        found: list[tuple[float, View, str]] = []
        for i, block in enumerate(self._block_order):
            lo, hi = feats.bounds[i], feats.bounds[i + 1]
            if block.analyzer != "char" or block.name not in main.coef or lo == hi:
                continue
            idx = feats.cols[lo:hi] - self._offsets[i]
            contrib = feats.values[lo:hi, j] * self._explain_weights(block.name)[idx, col]
            taken = 0
            for r in np.argsort(-contrib, kind="stable").tolist():
                if contrib[r] <= 0.0 or taken == k:
                    break
                gram = block.vocabulary[int(idx[r])]
                if len(gram.replace(" ", "")) >= min_len:
                    found.append((float(contrib[r]), block.view, gram))
                    taken += 1
        found.sort(key=lambda t: -t[0])
        return [(view, gram, weight) for weight, view, gram in found[:k]]
