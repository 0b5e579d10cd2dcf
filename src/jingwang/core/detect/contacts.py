"""Contact handles offered in a text: WeChat ids, QQ numbers, phones, Telegram, e-mail.

Handles are signals: ``加微信 abc123`` is not a violation by itself, but next to a
price or a porn term it is what turns an offer into a solicitation. Spammers spell
handles out to slip past filters (``一三八…``, ``1 3 8-1234-5678``, ``①③⑧``, digits
split by emoji), so the patterns run over a folded copy in which every digit-like
character is an ASCII digit and separators are allowed between the characters of a
handle; a handle written that way is flagged as evasion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from jingwang.core.detect.base import NormalizedItem
from jingwang.core.detect.extract.fold import fold_table, text_passes
from jingwang.core.detect.extract.gated import gated_finditer
from jingwang.core.detect.extract.handles import HandleCollector
from jingwang.core.types import Finding

# One character each, so the folded text keeps the original's offsets.
_DIGIT_LIKE: Final[dict[str, str]] = {
    **{ch: str(i) for i, ch in enumerate("⓪①②③④⑤⑥⑦⑧⑨")},
    **{ch: str(i + 1) for i, ch in enumerate("⑴⑵⑶⑷⑸⑹⑺⑻⑼")},
    **{ch: str(i + 1) for i, ch in enumerate("➀➁➂➃➄➅➆➇➈")},
    **{ch: str(i + 1) for i, ch in enumerate("➊➋➌➍➎➏➐➑➒")},
    **{ch: str(i + 1) for i, ch in enumerate("❶❷❸❹❺❻❼❽❾")},
    **{ch: "0" for ch in "〇零洞"},
    **{ch: "1" for ch in "一壹幺"},
    **{ch: "2" for ch in "二贰貳两兩"},
    **{ch: "3" for ch in "三叁"},
    **{ch: "4" for ch in "四肆"},
    **{ch: "5" for ch in "五伍"},
    **{ch: "6" for ch in "六陆陸"},
    **{ch: "7" for ch in "七柒拐"},
    **{ch: "8" for ch in "八捌"},
    **{ch: "9" for ch in "九玖勾"},
}
_TABLE: Final = fold_table(_DIGIT_LIKE)

# Emoji, variation selectors and zero-width characters, as ranges of a character class.
_EMOJI: Final = (
    r"\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0e\ufe0f\u200b-\u200d\u2060\ufeff"
)
# Between the digits of a number: spaces, dashes, dots, emoji, zero-width characters.
# ':' and '/' are left out on purpose: they make times and dates, not phone numbers.
_SEP: Final = rf"[\s\-–—_.·•,，、。~～*+=|丨{_EMOJI}]"
# Between the characters of a spelled-out id; '_' and '-' are id characters there.
_ID_SEP: Final = rf"[\s.·•,，、。~～*+=|丨{_EMOJI}]"

_PHONE: Final = re.compile(rf"(?<!\d)1(?:{_SEP}{{0,4}}[3-9])(?:{_SEP}{{0,4}}\d){{9}}(?!\d)")
_PHONE_NOT_AFTER: Final = re.compile(
    r"(?:订单|单号|编号|流水号|卡号|身份证|工号|学号|order|no\.?|[¥￥$])\s*[:：#]?\s*$"
)
_PHONE_NOT_BEFORE: Final = re.compile(r"\s*(?:元|块|万|亿|rmb|人民币|美元)")
_DIGIT_BEFORE: Final = re.compile(rf"\d{_SEP}{{0,2}}$")
_COUNTRY_CODE_BEFORE: Final = re.compile(rf"(?:^|\D)\+?86{_SEP}{{0,2}}$")
_DECIMAL: Final = re.compile(r"\.\d{2}(?!\d)")
_DIGIT_AFTER: Final = re.compile(rf"{_SEP}{{0,2}}\d")
_SEP_RUN: Final = re.compile(f"{_SEP}+")

_WECHAT_PLAIN: Final = (
    r"微信|weixin|wechat|(?<![a-z0-9])(?:wx|vx)|(?:加|\+|➕)\s?v(?![a-z])|加\s?微(?!信)"
)
_WECHAT_VARIANT: Final = (
    r"v信|w信|威信|薇信|维信|徽信|危信|魏信|卫星|🛰|[微薇威维徽v]\s?[❤♥💗💕❣]\ufe0f?"
    r"|(?<![a-z])wei\s+xin(?![a-z])"
    r"|加\s?[威薇维](?!信)|(?<![a-z0-9])v(?=\s*[:：])|微(?=\s*[:：])"
)
# Each keyed pattern comes with the characters its matches begin with (the first
# character of each of its keywords; keep them in step), for ``gated_finditer``: a full
# scan tried every position, 6 µs per pattern on a 100-character text, where fewer than
# one position in a hundred can start a match.
_WECHAT: Final = re.compile(
    rf"(?P<kw>{_WECHAT_PLAIN}|{_WECHAT_VARIANT})"
    r"(?P<gap>(?:[\s:：=是为號号码碼同→➡👉\ufe0f]|id){0,6})"
    rf"(?P<id>[a-z0-9][a-z0-9_-]{{5,29}}(?![a-z0-9_-])|[a-z0-9](?:{_ID_SEP}{{1,3}}[a-z0-9_-]){{5,29}})"
)
_WECHAT_STARTS: Final = re.compile("[微wv加+➕威薇维徽危魏卫\U0001f6f0]")
_QQ: Final = re.compile(
    r"(?P<kw>(?<![a-z])q\s?q|扣扣|抠抠|企鹅|(?<![a-z])q号|加\s?[扣q]|群号|加群|进群"
    r"|(?<![a-z])q(?=\s*[:：]))"
    r"(?P<gap>[\s:：=是为號号码碼群账帐~\-]{0,6})"
    # Contiguous, one digit at a time, or in groups ("1000 0866 66"); 5–11 digits.
    rf"(?P<id>[1-9]\d{{4,10}}(?!\d)|[1-9](?:{_SEP}{{1,3}}\d){{4,10}}(?!{_SEP}{{0,3}}\d)"
    rf"|[1-9]\d{{1,4}}(?:{_SEP}{{1,2}}\d{{2,5}}){{1,4}}(?!{_SEP}{{0,2}}\d))"
)
_QQ_STARTS: Final = re.compile("[q扣抠企加群进]")
_TELEGRAM: Final = re.compile(
    r"(?P<kw>telegram|(?<![a-z])tg|纸飞机|飞机|电报|✈)(?P<gap>[\s:：=号是]{0,4})"
    r"(?P<id>@?[a-z][a-z0-9_]{4,31})(?![a-z0-9_])"
    r"|(?P<link>(?<![a-z0-9])(?:t|telegram)\.me/)(?P<path>[a-z0-9_]{5,32})"
    r"|(?<![a-z0-9._%+-])(?P<at>@[a-z][a-z0-9_]{4,31})(?![a-z0-9_.@])"
)
_TELEGRAM_STARTS: Final = re.compile("[t纸飞电✈@]")
_AMBIGUOUS_TELEGRAM_KEYWORDS: Final = frozenset({"飞机", "电报"})
_AT: Final = r"(?:@|\(at\)|\[at\]|\sat\s|艾特|圈a)"
_DOT: Final = r"(?:\.|点|點|\(dot\)|\[dot\]|\sdot\s)"
_EMAIL: Final = re.compile(
    rf"(?<![a-z0-9._%+-])(?P<local>[a-z0-9][a-z0-9._%+-]{{0,63}})\s?{_AT}\s?"
    rf"(?P<domain>[a-z0-9-]{{1,63}}(?:\s?{_DOT}\s?[a-z0-9-]{{1,63}}){{0,6}}\s?{_DOT}\s?[a-z]{{2,12}})"
    r"(?![a-z0-9-])"
)
# An address starts with its local part, any letter or digit; what it cannot lack is the
# "at": "@", "艾特", "圈a", or the letters "at".
_AT_CHARS: Final = re.compile("[@艾圈]")
_DOT_TOKEN: Final = re.compile(rf"\s*{_DOT}\s*")
_WECHAT_EVASIVE_KEYWORD: Final = re.compile(_WECHAT_VARIANT)
_PLAIN_ID_CHARS: Final = re.compile(r"[A-Za-z0-9_\-@.]*")
# The usual ways to print a number: 13812345678, 138 1234 5678, 138-1234-5678.
_PLAIN_PHONE: Final = re.compile(r"1\d{2}([ -]?)\d{4}\1\d{4}")
_LETTERS_ONLY: Final = re.compile(r"[a-z]+")
_CONFIRMING_GAP: Final = re.compile(r"[:：号號是为=]|id")
_NON_ID: Final = re.compile(r"[^a-z0-9_-]")
_NON_DIGIT: Final = re.compile(r"\D")
_DIGITS_AND_DASHES: Final = re.compile(r"[\d-]+")
_HAS_HANDLE_CHAR: Final = re.compile(r"[0-9a-z@]")


@dataclass(frozen=True, slots=True)
class _Hit:
    kind: str
    value: str
    start: int
    end: int
    id_start: int
    id_end: int
    evasive_keyword: bool = False


def _phones(text: str) -> list[_Hit]:
    hits = []
    for match in _PHONE.finditer(text):
        start, end = match.span()
        raw = match.group()
        groups = _SEP_RUN.split(raw)
        if len(groups) > 1 and (
            # Years ("1998 2003 …") and prices ("13.50 18.90") line up as 11 digits too.
            len(groups[0]) == 4 or _DECIMAL.search(raw) or _digit_beside(text, start, end)
        ):
            continue
        if not _not_a_phone_context(text, start, end):
            hits.append(_Hit("phone", _NON_DIGIT.sub("", raw), start, end, start, end))
    return hits


def _digit_beside(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 6) : start]
    if _DIGIT_BEFORE.search(before) and not _COUNTRY_CODE_BEFORE.search(before):
        return True
    return _DIGIT_AFTER.match(text, end) is not None


def _not_a_phone_context(text: str, start: int, end: int) -> bool:
    """Order numbers, prices and longer digit strings around an 11-digit match."""
    return (
        _PHONE_NOT_AFTER.search(text, max(0, start - 12), start) is not None
        or _PHONE_NOT_BEFORE.match(text, end) is not None
        or (start > 0 and text[start - 1].isdigit())
        or (end < len(text) and text[end].isdigit())
    )


def _keyed(pattern: re.Pattern[str], starts: re.Pattern[str], kind: str, text: str) -> list[_Hit]:
    hits = []
    for match in gated_finditer(pattern, starts, text):
        value = _NON_ID.sub("", match.group("id"))
        if _DIGITS_AND_DASHES.fullmatch(value):
            # A phone given as the id ("微信 138-1234-5678"): the digits are the id.
            value = value.replace("-", "")
        gap = match.group("gap")
        # A bare word after "wechat" is usually prose; demand "微信号：" or similar.
        if (
            kind == "wechat"
            and _LETTERS_ONLY.fullmatch(value)
            and (not _CONFIRMING_GAP.search(gap) or match.group("id") != value)
        ):
            continue
        if kind == "qq" and not 5 <= len(value) <= 11:
            continue
        evasive_kw = kind == "qq" and match.group("kw") in ("扣扣", "抠抠", "企鹅")
        if kind == "wechat":
            evasive_kw = bool(_WECHAT_EVASIVE_KEYWORD.fullmatch(match.group("kw")))
        hits.append(_Hit(kind, value, match.start(), match.end(), *match.span("id"), evasive_kw))
    return hits


def _telegram(text: str) -> list[_Hit]:
    hits = []
    for match in gated_finditer(_TELEGRAM, _TELEGRAM_STARTS, text):
        group = "id" if match.group("id") else "path" if match.group("path") else "at"
        # "坐飞机 beijing" is a trip: the bare words 飞机/电报 need "：" or "@" to point.
        if (
            group == "id"
            and match.group("kw") in _AMBIGUOUS_TELEGRAM_KEYWORDS
            and not (
                match.group("id").startswith("@") or _CONFIRMING_GAP.search(match.group("gap"))
            )
        ):
            continue
        handle = "@" + match.group(group).lstrip("@")
        hits.append(_Hit("telegram", handle, match.start(), match.end(), *match.span(group)))
    return hits


def _emails(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    if "at" not in text and _AT_CHARS.search(text) is None:
        return hits
    for match in _EMAIL.finditer(text):
        domain = _DOT_TOKEN.sub(".", match.group("domain"))
        value = f"{match.group('local')}@{domain}"
        hits.append(_Hit("email", value, match.start(), match.end(), match.start(), match.end()))
    return hits


_SCORES: Final[dict[str, float]] = {
    "wechat": 0.9,
    "qq": 0.9,
    "phone": 0.8,
    "telegram": 0.7,
    "email": 0.7,
}


class ContactDetector:
    """Finds contact handles; emits one ``contact`` signal per distinct handle."""

    name = "contacts"
    labels: tuple[str, ...] = ("contact",)

    def detect(self, item: NormalizedItem) -> list[Finding]:
        collector = HandleCollector()
        for view in item.views:
            passes = text_passes(view, _TABLE)
            folded = passes[0].text
            spans: list[tuple[str, int, int]] = []
            for text_pass in passes:
                if not _HAS_HANDLE_CHAR.search(text_pass.text):
                    continue
                for hit in self._hits(text_pass.text, text_pass.via_normalizer):
                    key = f"{hit.kind}:{hit.value}"
                    if text_pass.via_normalizer and key in collector:
                        continue
                    start, end = text_pass.to_original(hit.start, hit.end)
                    if text_pass.via_normalizer and any(
                        kind == hit.kind and s < end and start < e for kind, s, e in spans
                    ):
                        # Its repeat-collapsing reads "一零零零零…" as another number.
                        continue
                    # The normaliser deletes the '￥' or '订单号：' that rules a phone out;
                    # look for it again around the span in the original.
                    if (
                        text_pass.via_normalizer
                        and hit.kind == "phone"
                        and _not_a_phone_context(folded, start, end)
                    ):
                        continue
                    id_start, id_end = text_pass.to_original(hit.id_start, hit.id_end)
                    handle = view.original[id_start:id_end]
                    evasive = (
                        text_pass.via_normalizer
                        or hit.evasive_keyword
                        or not (_PLAIN_PHONE if hit.kind == "phone" else _PLAIN_ID_CHARS).fullmatch(
                            handle
                        )
                    )
                    collector.add(key, view, start, end, evasive)
                    spans.append((hit.kind, start, end))
        return [
            Finding(
                detector=self.name,
                label="contact",
                score=_SCORES[handle.key.partition(":")[0]],
                evidence=handle.evidence,
                kind="signal",
                evasion=handle.evasive,
                detail=handle.key,
            )
            for handle in collector.handles()
        ]

    @staticmethod
    def _hits(text: str, via_normalizer: bool) -> list[_Hit]:
        numbers = [*_keyed(_QQ, _QQ_STARTS, "qq", text), *_phones(text)]
        if via_normalizer:
            # The normaliser deletes '_' and '-', which belong to ids, handles and
            # addresses; only all-digit handles survive its output intact.
            return numbers
        return [
            *_keyed(_WECHAT, _WECHAT_STARTS, "wechat", text),
            *numbers,
            *_telegram(text),
            *_emails(text),
        ]
