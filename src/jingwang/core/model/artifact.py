"""The model directory format: JSON metadata and vocabularies plus one ``.npz`` of arrays.

::

    model.json     format, labels, blocks, spaces, heads, fusion, thresholds, metadata
    vocab.json     {"<block>": ["gram", ...]}  (column i of a block is gram i)
    pinyin.json    {"<Han character>": "<toneless syllable>"}
    weights.npz    idf.<space>.<block>, coef.<head>.<block>, intercept.<head>,
                   cal_coef.<head>, cal_intercept.<head>   (float16/float32)

Nothing is pickled: ``numpy.load(..., allow_pickle=False)`` and ``json`` read it all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args

import numpy as np

from jingwang.core.model.linear import Block, Head, LinearModel, Space, View

FORMAT = "jingwang-linear-v1"
MODEL_JSON = "model.json"
VOCAB_JSON = "vocab.json"
PINYIN_JSON = "pinyin.json"
WEIGHTS_NPZ = "weights.npz"


class ArtifactError(ValueError):
    """A model directory is missing, incomplete or of an unknown format."""


def _f32(array: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.float32]]:
    return np.ascontiguousarray(array, dtype=np.float32)


def save_model(model: LinearModel, directory: str | Path, *, coef_dtype: str = "float32") -> None:
    """Write ``model`` to ``directory`` (created if needed)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    for space in model.spaces.values():
        for block_name, idf in space.idf.items():
            arrays[f"idf.{space.name}.{block_name}"] = idf.astype(np.float32)
    for head in model.heads.values():
        for block_name, coef in head.coef.items():
            arrays[f"coef.{head.name}.{block_name}"] = coef.astype(coef_dtype)
        arrays[f"intercept.{head.name}"] = head.intercept.astype(np.float32)
        arrays[f"cal_coef.{head.name}"] = head.cal_coef.astype(np.float32)
        arrays[f"cal_intercept.{head.name}"] = head.cal_intercept.astype(np.float32)
    np.savez_compressed(out / WEIGHTS_NPZ, **arrays)  # type: ignore[arg-type]
    vocab = {b.name: b.vocabulary for b in model.blocks.values()}
    (out / VOCAB_JSON).write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out / PINYIN_JSON).write_text(
        json.dumps(model.pinyin_table, ensure_ascii=False, sort_keys=True), encoding="utf-8"
    )
    meta = {
        "format": FORMAT,
        "labels": list(model.labels),
        "blocks": [
            {
                "name": b.name,
                "analyzer": b.analyzer,
                "view": b.view,
                "ngram_range": [b.min_n, b.max_n],
            }
            for b in model.blocks.values()
        ],
        "spaces": [
            {"name": s.name, "blocks": list(s.idf), "weights": s.weights}
            for s in model.spaces.values()
        ],
        "heads": [
            {
                "name": h.name,
                "space": h.space,
                "blocks": list(h.coef),
                "calibrator": h.calibrator,
                "classes": list(h.classes),
            }
            for h in model.heads.values()
        ],
        "fusion": model.fusion,
        **{k: v for k, v in model.metadata.items() if k not in _STRUCTURE_KEYS},
    }
    (out / MODEL_JSON).write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


_STRUCTURE_KEYS = frozenset({"format", "labels", "blocks", "spaces", "heads", "fusion"})


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ArtifactError(f"{path}: missing") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArtifactError(f"{path}: unreadable ({exc})") from exc


def read_metadata(directory: str | Path) -> dict[str, Any]:
    """``model.json`` of a model directory."""
    meta = _read_json(Path(directory) / MODEL_JSON)
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ArtifactError(f"{directory}: not a {FORMAT} model")
    return meta


def load_model(directory: str | Path) -> LinearModel:
    """Load a model directory written by :func:`save_model`."""
    root = Path(directory)
    if not root.is_dir():
        raise ArtifactError(f"{root}: no such model directory")
    meta = read_metadata(root)
    vocab: Mapping[str, list[str]] = _read_json(root / VOCAB_JSON)
    table: Mapping[str, str] = _read_json(root / PINYIN_JSON)
    try:
        with np.load(root / WEIGHTS_NPZ, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except FileNotFoundError as exc:
        raise ArtifactError(f"{root / WEIGHTS_NPZ}: missing") from exc
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"{root / WEIGHTS_NPZ}: unreadable ({exc})") from exc
    unknown_views = {b.get("view", "normalized") for b in meta["blocks"]} - set(get_args(View))
    if unknown_views:
        raise ArtifactError(
            f"{root}: views {', '.join(sorted(unknown_views))} need a newer jingwang"
        )
    try:
        blocks = [
            Block(
                b["name"],
                b["analyzer"],
                int(b["ngram_range"][0]),
                int(b["ngram_range"][1]),
                list(vocab[b["name"]]),
                b.get("view", "normalized"),
            )
            for b in meta["blocks"]
        ]
        spaces = [
            Space(
                s["name"],
                {bn: _f32(arrays[f"idf.{s['name']}.{bn}"]) for bn in s["blocks"]},
                {bn: float(w) for bn, w in s["weights"].items()},
            )
            for s in meta["spaces"]
        ]
        heads = [
            Head(
                name=h["name"],
                space=h["space"],
                coef={bn: _f32(arrays[f"coef.{h['name']}.{bn}"]) for bn in h["blocks"]},
                intercept=_f32(arrays[f"intercept.{h['name']}"]),
                calibrator=h["calibrator"],
                cal_coef=_f32(arrays[f"cal_coef.{h['name']}"]),
                cal_intercept=_f32(arrays[f"cal_intercept.{h['name']}"]),
                classes=tuple(h["classes"]),
            )
            for h in meta["heads"]
        ]
        extra = {k: v for k, v in meta.items() if k not in _STRUCTURE_KEYS}
        return LinearModel(
            labels=meta["labels"],
            blocks=blocks,
            spaces=spaces,
            heads=heads,
            pinyin_table=table,
            fusion=meta["fusion"],
            metadata=extra,
        )
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        raise ArtifactError(f"{root}: inconsistent model ({exc})") from exc
