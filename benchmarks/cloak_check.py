"""Macro-F1 under cloaks written apart from ``jingwang eval --perturb``'s generator.

    .venv/bin/python benchmarks/cloak_check.py [DATA.jsonl] [--pipeline] [--model DIR]

The evasion harness (``jingwang.training.perturb``) is this project's own generator, and
the model is trained on copies of one of its perturbations; the defences must also hold
against cloaking they were not built from. These cloaks are written here, independently,
from pypinyin, OpenCC and Unicode look-alikes, each seeded per text:

* ``tone_pinyin``: 30 % of Han characters in tone-marked pinyin (wēi xìn);
* ``word_pinyin``: 30 % of words spelled in capitalised pinyin (WeiXin);
* ``initials_upper``: 30 % of 2–4-character words as upper-case initials (WX);
* ``rare_homophone``: 30 % of Han characters swapped for any character of the same
  toneless syllable, rare ones included (the harness prefers common ones);
* ``taiwan``: OpenCC s2twp (Taiwan script and phrases, 软件 → 軟體);
* ``spaced``: a space between every two characters;
* ``vertical``: one character per line;
* ``emoji_between``: an emoji after 30 % of characters;
* ``letters_between`` / ``digits_between``: a random ASCII letter / digit after 15 % of
  Han characters;
* ``punct_between``: Chinese punctuation after 30 % of Han characters;
* ``cyrillic_pinyin``: word pinyin written with Cyrillic look-alike letters (аеорсху);
* ``fullwidth_pinyin``: word pinyin in full-width letters;
* ``mixed``: rare homophones, then word pinyin, then emoji, on the same text.

Default data: ChineseHarm dev from ../shared (skipped when it is absent).
"""

from __future__ import annotations

import argparse
import random
import string
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import opencc
from pypinyin import Style, lazy_pinyin, pinyin
from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict
from pypinyin.seg.mmseg import seg

from jingwang.core.detect.model import default_model_dir
from jingwang.core.model import load_model
from jingwang.core.pipeline import Scanner
from jingwang.training.data import Dataset, load_jsonl
from jingwang.training.evaluate import evaluate_model, evaluate_pipeline

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "chineseharm" / "dev.jsonl"
RATE = 0.3
EMOJI = ("😀", "🔥", "💰", "👉", "✨", "🌹", "❤️", "🎁")
CHINESE_PUNCTUATION = "，。、！？；：…"
CYRILLIC_LOOKALIKES = str.maketrans("aeopcxyABEHKMOPCTX", "аеорсхуАВЕНКМОРСТХ")

Cloak = Callable[[str, random.Random], str]


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _words(text: str) -> list[str]:
    return [str(w) for w in seg.cut(text)]


def tone_pinyin(text: str, rng: random.Random) -> str:
    return "".join(
        pinyin(ch, style=Style.TONE)[0][0] if _is_han(ch) and rng.random() < RATE else ch
        for ch in text
    )


def word_pinyin(text: str, rng: random.Random) -> str:
    return "".join(
        "".join(p.capitalize() for p in lazy_pinyin(w))
        if all(map(_is_han, w)) and rng.random() < RATE
        else w
        for w in _words(text)
    )


def initials_upper(text: str, rng: random.Random) -> str:
    return "".join(
        "".join(p[0] for p in lazy_pinyin(w)).upper()
        if all(map(_is_han, w)) and 2 <= len(w) <= 4 and rng.random() < RATE
        else w
        for w in _words(text)
    )


@cache
def _characters_by_syllable() -> dict[str, tuple[str, ...]]:
    pools: dict[str, list[str]] = {}
    for cp, readings in pinyin_dict.items():
        if 0x4E00 <= cp <= 0x9FFF:
            pools.setdefault(to_normal(readings.split(",")[0]), []).append(chr(cp))
    return {syllable: tuple(chars) for syllable, chars in pools.items()}


def rare_homophone(text: str, rng: random.Random) -> str:
    pools = _characters_by_syllable()
    return "".join(
        rng.choice(pools.get(lazy_pinyin(ch)[0], (ch,)))
        if _is_han(ch) and rng.random() < RATE
        else ch
        for ch in text
    )


@cache
def _s2twp() -> opencc.OpenCC:
    return opencc.OpenCC("s2twp")


def taiwan(text: str, rng: random.Random) -> str:
    del rng  # whole-text conversion
    return str(_s2twp().convert(text))


def spaced(text: str, rng: random.Random) -> str:
    del rng
    return " ".join(text)


def vertical(text: str, rng: random.Random) -> str:
    del rng
    return "\n".join(text)


def emoji_between(text: str, rng: random.Random) -> str:
    return "".join(ch + (rng.choice(EMOJI) if rng.random() < RATE else "") for ch in text)


def _after_han(text: str, rng: random.Random, rate: float, pool: str) -> str:
    return "".join(
        ch + (rng.choice(pool) if _is_han(ch) and rng.random() < rate else "") for ch in text
    )


def letters_between(text: str, rng: random.Random) -> str:
    return _after_han(text, rng, RATE / 2, string.ascii_lowercase)


def digits_between(text: str, rng: random.Random) -> str:
    return _after_han(text, rng, RATE / 2, string.digits)


def punct_between(text: str, rng: random.Random) -> str:
    return _after_han(text, rng, RATE, CHINESE_PUNCTUATION)


def cyrillic_pinyin(text: str, rng: random.Random) -> str:
    return word_pinyin(text, rng).translate(CYRILLIC_LOOKALIKES)


def fullwidth_pinyin(text: str, rng: random.Random) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word_pinyin(text, rng))


def mixed(text: str, rng: random.Random) -> str:
    return emoji_between(word_pinyin(rare_homophone(text, rng), rng), rng)


CLOAKS: dict[str, Cloak] = {
    "tone_pinyin": tone_pinyin,
    "word_pinyin": word_pinyin,
    "initials_upper": initials_upper,
    "rare_homophone": rare_homophone,
    "taiwan": taiwan,
    "spaced": spaced,
    "vertical": vertical,
    "emoji_between": emoji_between,
    "letters_between": letters_between,
    "digits_between": digits_between,
    "punct_between": punct_between,
    "cyrillic_pinyin": cyrillic_pinyin,
    "fullwidth_pinyin": fullwidth_pinyin,
    "mixed": mixed,
}


def cloaked(data: Dataset, name: str) -> Dataset:
    cloak = CLOAKS[name]
    texts = tuple(cloak(t, random.Random(f"cloak:{name}:{t}")) for t in data.texts)
    return Dataset(f"{data.path}#{name}", texts, data.labels, data.sha256)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("data", nargs="?", type=Path, default=DEV)
    parser.add_argument("--pipeline", action="store_true", help="score the full pipeline")
    parser.add_argument("--model", type=Path, default=None, help="model directory")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"skipped: {args.data} does not exist", file=sys.stderr)
        return 0
    data = load_jsonl(args.data)
    if args.pipeline:
        scanner = Scanner.from_names()

        def score(ds: Dataset) -> float:
            return evaluate_pipeline(scanner, ds).report.macro_f1
    else:
        model = load_model(args.model or default_model_dir())

        def score(ds: Dataset) -> float:
            return evaluate_model(model, ds).report.macro_f1

    clean = score(data)
    print(f"{'clean':16s} macro-F1 {clean:.4f}")
    for name in CLOAKS:
        value = score(cloaked(data, name))
        print(f"{name:16s} macro-F1 {value:.4f}  Δ {value - clean:+.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
