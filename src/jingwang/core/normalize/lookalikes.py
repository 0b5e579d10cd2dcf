"""Look-alike characters from Unicode's confusables data (UTS #39).

The data comes from the ``confusable-homoglyphs`` package (MIT), which ships Unicode's
``confusables.txt`` as JSON. Only two kinds of pairs are kept, because only they are
safe to fold in Chinese chat text:

* a non-ASCII, non-CJK letter or number that looks like one ASCII letter or digit
  (Cyrillic ``а``, Greek ``ν``, Cherokee ``Ꭺ`` …) — spammers write ``微信 vх`` to dodge
  keyword lists;
* a CJK Radicals Supplement form that looks like a unified ideograph (``⺡`` → ``氵``),
  so that split-character recomposition sees the ordinary component.

ASCII itself is never remapped (``0``/``O`` and ``1``/``l`` are confusable but both are
meaningful in contact numbers and IDs), and Han characters are never remapped to Latin.
"""

from __future__ import annotations

import json
import unicodedata
from importlib.resources import files

_RADICALS_SUPPLEMENT = range(0x2E80, 0x2F00)
_UNIFIED_IDEOGRAPHS = range(0x4E00, 0xA000)


def _is_cjk(cp: int) -> bool:
    return 0x2E80 <= cp < 0xA000 or 0xF900 <= cp < 0xFB00 or 0xFE30 <= cp < 0xFE50 or cp >= 0x20000


def _is_ascii_alnum(text: str) -> bool:
    return len(text) == 1 and text.isascii() and text.isalnum()


def _latin_target(source: str, target: str) -> str | None:
    if len(source) != 1 or not _is_ascii_alnum(target) or source.isascii():
        return None
    if _is_cjk(ord(source)) or unicodedata.category(source)[0] not in "LN":
        return None
    return target.lower()


def _radical_target(source: str, target: str) -> str | None:
    if len(source) == 1 and len(target) == 1 and ord(source) in _RADICALS_SUPPLEMENT:
        return target if ord(target) in _UNIFIED_IDEOGRAPHS else None
    return None


def load_lookalikes() -> dict[str, str]:
    """Map each look-alike character to the ASCII letter/digit or ideograph it imitates.

    The JSON lists each prototype with its look-alikes and also the reverse links, so
    pairs are read in both directions and filtered; a source claimed by two different
    targets is ambiguous and left alone.
    """
    raw = files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    data: dict[str, list[dict[str, str]]] = json.loads(raw)
    candidates: dict[str, set[str]] = {}
    for key, entries in data.items():
        for entry in entries:
            other = entry["c"].strip("\u200e")
            for source, target in ((other, key), (key, other)):
                folded = _latin_target(source, target) or _radical_target(source, target)
                if folded is not None:
                    candidates.setdefault(source, set()).add(folded)
    return {source: next(iter(t)) for source, t in candidates.items() if len(t) == 1}
