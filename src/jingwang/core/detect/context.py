"""Context features the decision layer weighs against the words that were matched.

A crackdown report ("依法处置3,000余个账号", masked ids such as ``wxid_****a3``) or an
anti-fraud lesson uses the same vocabulary as the spam it describes; a price per
night, door-to-door delivery and "加我" turn a neutral word into an offer. This
detector only reports such cues — as signals with evidence — and leaves the weighing
to the decision layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Final

from jingwang.core.detect.base import NormalizedItem
from jingwang.core.detect.extract.fold import BASE_FOLD, text_passes
from jingwang.core.detect.extract.handles import MAX_EVIDENCE
from jingwang.core.types import Evidence, Finding

# Numbers start at a number's first character only, so a long digit run is scanned
# once rather than once per starting position.
_NUMERAL: Final = r"\d一二三四五六七八九十百千万两,，."
_COUNT: Final = rf"(?<![{_NUMERAL}])[{_NUMERAL}]+\s*[万千百]?\s*(?:余|多)?\s*"
_ACCOUNTS: Final = (
    r"(?:违规)?(?:个|条|家|起|篇)?\s*(?:违规|违法|涉黄)?"
    r"(?:账号|帐号|微信号|公众号|视频号|小程序|群聊|群|文章)"
)
_HANDLING: Final = r"封禁|封停|封号|处置|处理|清理|关停|限制|删除|下架|查处|拦截"

# Cues by feature. Python's regex engine scans an alternation of plain words fast and
# one with look-arounds or a leading character class slowly, so cues of the second
# kind are listed in GATED_CUES and scanned on their own, only when a cheap search
# finds a hint of them. A plain cue starts with a word, not a group: one alternative
# "(?:直接|立即)报警" made the whole plain scan five times slower.
CUES: Final[dict[str, dict[str, str]]] = {
    "news_context": {
        "handled_count": rf"(?:{_HANDLING})[^。\n]{{0,15}}?{_COUNT}{_ACCOUNTS}"
        rf"|(?:{_HANDLING})[^。\n]{{0,12}}?(?:账号|帐号|群聊|公众号)\s*{_COUNT}(?:个|条)"
        rf"|{_COUNT}{_ACCOUNTS}[^。\n]{{0,10}}?(?:{_HANDLING})",
        "lawful": r"依法处置|依法依规|依法处理|依规处置"
        r"|依据[^。\n]{0,12}规定|根据[^。\n]{0,12}(?:规定|规范)",
        "cumulative": r"累计(?:处理|处置|封禁|清理|拦截)|共(?:计)?(?:处理|处置)",
        "campaign": r"专项(?:行动|治理|整治)|集中整治|严厉打击|清朗"
        r"|打击[^。\n]{0,6}(?:违法|违规|犯罪)",
        "announcement": r"安全中心|官方公告|平台公告|特此公告|通报|违规处理公告|运营规范"
        r"|平台规则|社区规范|群规|本群",
        "warning": r"警方提醒|警方|公安机关|反诈|辟谣|提醒广大用户|广大(?:用户|网友|市民)",
        "reporting": r"据报道|记者|新华社|日电|日讯|本报讯|专家呼吁|调查显示|的调查"
        r"|新闻说|新闻报道|看新闻",
    },
    "masked_id": {
        "masked": r"(?<![a-z0-9_])(?:[a-z0-9_]+[*×]{2,}[a-z0-9_]+|(?:wxid_|\d{3})[a-z0-9_]*[*×]{2,}"
        r"|[*×]{2,}\d{2,})(?![a-z0-9_])",
    },
    "price": {
        "currency": r"[¥￥$]\s*\d+(?:\.\d+)?",
        # Per unit first: "68元/盒" is one price, not "68元" and a stray "/盒".
        "amount": r"(?<![\d.])\d+(?:\.\d+)?\s*(?:(?:元|块|rmb|w)?\s*(?:/|一|每)\s*"
        r"(?:次|晚|夜|小时|钟|h|盒|瓶|粒|支|条|个|位|p|炮|天|月|斤|包)|元|块钱|块|rmb|大洋)",
        "package": r"包夜|全套|半套|快餐|莞式|包月|一口价|价格|价钱|价位|多少钱|特价|优惠价|原价",
    },
    "delivery": {
        "delivery": r"包邮|同城|上门|快递|货到付款|送货|到付|顺丰|发货|空降|送到家|配送|邮寄|可寄"
        r"|见面交易",
    },
    "solicitation_call": {
        # "联系我们" is every site's footer, not an invitation.
        "call": r"加我(?!们)|私聊|联系我(?!们)|咨询|私信|私我|扫码|扫一扫|进群|加群|点击链接"
        r"|请点击|点击下方|滴滴我|戳我|看头像|详聊|有意者|找我|联系方式|加好友|长按识别|识别二维码",
    },
    # What a scam tells its target to do, in the second person: move money, cooperate,
    # or face a freeze. A notice about scams reports such orders; it does not give them.
    "demand": {
        "transfer": r"(?<![不勿别])(?:请|务必|必须|需要|马上|立即|立刻|尽快)[^。！？\n]{0,10}?"
        r"(?:转入|转到|转至|汇入|汇到|打到|转账到)",
        "threat": r"否则(?:将|会|就)?[^。！？\n]{0,8}?"
        r"(?:冻结|起诉|逮捕|拘留|通缉|注销|停用|封号|影响征信|上征信)",
        "cooperate": r"请[^。！？\n]{0,6}?配合(?:调查|核查|审查|办理)",
        "told_to_cooperate": r"(?:你|您)[^。！？\n]{0,12}?(?:需要|必须|务必|要)"
        r"配合(?:调查|核查|审查|办理)",
        # The target accused in the second person: news names a third party (某某涉嫌).
        "accused": r"(?:你|您)(?:的|名下的?)?[^。！？\n，,]{0,6}?涉嫌",
        # Asked for what opens an account; a warning says not to (请勿提供验证码, 不需要
        # 提供密码), which the request's opening word rules out.
        "credentials": r"(?<![不勿别])(?:请|需要|麻烦)(?:您|你)?"
        r"(?:提供|告诉|发送|输入|报一下|发给我|发我)[^。！？\n]{0,8}?"
        r"(?:银行卡号|卡号|验证码|密码|身份证号)",
    },
    # Words inside quotation marks are often reported speech ("他骂了句“……”").
    "quoted": {
        "quote": r"“[^”\n]{1,40}”|「[^」\n]{1,40}」|『[^』\n]{1,40}』|‘[^’\n]{1,40}’",
    },
    "education": {
        "recognise": r"如何识别|怎么识别|识别[^。\n]{0,6}(?:骗|诈)",
        "distrust": r"不要相信|不要轻信|提高警惕|不要转账|别信陌生",
        "beware": r"谨防上当|谨防受骗|谨防诈骗|防骗",
        "health": r"戒烟有益|吸烟有害|医生建议|遵医嘱|健康科普|危害健康|有害健康|的危害|危害更大",
        # Rules of a group or platform name the violations they forbid.
        "prohibition": r"禁止(?:发布|发|拉人|传播|私加|向)|严禁|违者|一经发现"
        r"|将被(?:永久)?(?:封|踢|移出)",
        # Warnings describe scams as scams.
        "scam_named": r"骗局|骗子|诈骗(?:手段|套路|话术|案例|讲座)|都是诈骗|一律是诈骗|上当受骗",
        "advice": r"请勿|切勿|立即挂断|及时报警|请报警|不会要求|举报"
        r"|千万别信|千万不要信|直接报警|立即报警|马上报警",
        # Advice to go through the official channel, which a scam sends its target around.
        "official_channel": r"官方渠道|正规渠道|网点办理|银行卡背面|官方客服电话|官方热线",
        # Someone telling how they or others were taken in.
        "victim": r"被骗了|被骗走|差点(?:信了|上当|被骗)|险些(?:上当|被骗)|上当了",
    },
    # The risk disclosure that securities and fund adverts must carry ("股市有风险，入市需
    # 谨慎"), one cue per clause; the decision layer says what it excuses.
    "disclosure": {
        "risk_stated": r"(?:投资|股市|理财|基金|市场|炒股|入市)(?:有|存在)风险",
        "caution_urged": r"(?:投资|入市|理财|购买|选择)(?:需|须|要|请)谨慎",
    },
    # A formal job advert: the benefits and the application process an employer states,
    # which a part-time-job scam's lures (日结, 在家, 手机就能做) leave out.
    "employment": {
        "benefits": r"[五六]险一金|缴纳社保|交社保|公积金|带薪年假|年终奖|周末双休",
        "duties": r"岗位职责|职位描述|工作职责",
        "requirements": r"任职要求|岗位要求|任职资格",
        "application": r"投递简历|简历(?:发|请发|投递)|发送简历|欢迎投递",
        "interview": r"面试(?:地点|地址|时间|安排|通过|合格)",
    },
    # A refund or a claim on a parcel: what a parcel scam offers, which a plain notice does
    # not.
    "compensation": {
        "refund": r"退款|理赔|赔付|赔偿|补偿",
    },
    # An order or delivery notice: its number, its state and its carrier, one cue each.
    "logistics": {
        "order_number": r"订单号|订单编号|运单号|快递单号|物流单号|取件码",
        "shipped": r"已发货|已揽收|已签收|已送达|派送中|正在派送|预计[^。\n]{0,8}送达"
        r"|请注意查收|请及时取件",
        "carrier": r"顺丰|中通|圆通|韵达|申通|京东物流|邮政|菜鸟驿站|快递柜",
    },
}


GATED_CUES: Final[dict[tuple[str, str], str]] = {
    ("news_context", "handled_count"): _HANDLING,
    ("masked_id", "masked"): "[*×]",
    ("price", "currency"): "[¥￥$]",
    ("price", "amount"): r"\d",
    # Every match ends with one of these verbs.
    ("demand", "transfer"): r"转入|转到|转至|汇入|汇到|打到|转账到",
    # These open with 你/您, which nearly every chat has: scanned only near their verbs.
    ("demand", "told_to_cooperate"): "配合",
    ("demand", "accused"): "涉嫌",
    ("demand", "credentials"): "卡号|验证码|密码|身份证号",
    # Each disclosure clause ends in one of these words, rare in chat: looked for only there.
    ("disclosure", "risk_stated"): "风险",
    ("disclosure", "caution_urged"): "谨慎",
    # A job advert's and a delivery notice's terms of art, rare in chat: each feature's
    # cues are looked for only where one gate of all of them finds a hint.
    **dict.fromkeys(
        [("employment", cue) for cue in CUES["employment"]],
        "险|社保|公积金|年假|年终|双休|职责|职位|要求|任职|简历|投递|面试",
    ),
    **dict.fromkeys(
        [("logistics", cue) for cue in CUES["logistics"]],
        "单号|订单|取件|发货|揽收|签收|送达|派送|查收|顺丰|中通|圆通|韵达|申通|物流|邮政|驿站|快递柜",
    ),
}


@dataclass(frozen=True, slots=True)
class _Cue:
    feature: str
    name: str
    pattern: re.Pattern[str]


_PLAIN: Final = tuple(
    _Cue(feature, name, re.compile(regex))
    for feature, cues in CUES.items()
    for name, regex in cues.items()
    if (feature, name) not in GATED_CUES
)
_PLAIN_SCAN: Final = re.compile("|".join(cue.pattern.pattern for cue in _PLAIN))
# Cues that share a gate are scanned after one search for it.
_GATED: Final = tuple(
    (
        re.compile(gate),
        tuple(
            _Cue(feature, name, re.compile(CUES[feature][name]))
            for (feature, name), cue_gate in GATED_CUES.items()
            if cue_gate == gate
        ),
    )
    for gate in dict.fromkeys(GATED_CUES.values())
)


@lru_cache(maxsize=4096)
def _plain_cue(matched: str) -> _Cue | None:
    # Plain cues have no look-behinds and only negative look-aheads, so the cue that
    # produced a match also matches its text on its own; the first such cue names it.
    return next((cue for cue in _PLAIN if cue.pattern.fullmatch(matched)), None)


def _matches(text: str) -> Iterator[tuple[_Cue, re.Match[str]]]:
    for match in _PLAIN_SCAN.finditer(text):
        cue = _plain_cue(match.group())
        if cue is not None:
            yield cue, match
    for gate, cues in _GATED:
        if gate.search(text):
            for cue in cues:
                for match in cue.pattern.finditer(text):
                    yield cue, match


# Framing features count distinct cues, each one alone stays below the 0.55 at which
# the decision layer starts to discount violations: spam borrows single phrases too.
_FRAMING: Final = frozenset({"news_context", "education", "disclosure", "employment", "logistics"})
# Masked ids in a report of what was handled are a news cue too, never the only one.
_NEWS_SUPPORTING_FEATURE: Final = "masked_id"
_CAP: Final = 0.95


@dataclass(slots=True)
class _Feature:
    cues: dict[str, None] = field(default_factory=dict)
    evidence: dict[tuple[str, int, int], Evidence] = field(default_factory=dict)
    hits: int = 0


class ContextDetector:
    """Signals: news_context, price, delivery, solicitation_call, demand, masked_id, quoted,
    education, disclosure, employment, logistics, compensation."""

    name = "context"
    labels: tuple[str, ...] = tuple(CUES)

    def detect(self, item: NormalizedItem) -> list[Finding]:
        features: dict[str, _Feature] = {}
        for view in item.views:
            for text_pass in text_passes(view, BASE_FOLD):
                for cue_of, match in _matches(text_pass.text):
                    feature, cue = cue_of.feature, cue_of.name
                    found = features.setdefault(feature, _Feature())
                    if text_pass.via_normalizer and cue in found.cues:
                        continue
                    start, end = text_pass.to_original(*match.span())
                    key = (view.source, start, end)
                    if key in found.evidence:
                        continue
                    found.hits += 1
                    found.cues[cue] = None
                    if len(found.evidence) < MAX_EVIDENCE:
                        text = view.original[start:end]
                        found.evidence[key] = Evidence(start, end, text, view.source)
        return [
            Finding(
                detector=self.name,
                label=feature,
                score=self._score(feature, found, features),
                evidence=tuple(sorted(found.evidence.values(), key=lambda e: (e.source, e.start))),
                kind="signal",
                detail=",".join(found.cues),
            )
            for feature, found in sorted(features.items())
        ]

    @staticmethod
    def _score(feature: str, found: _Feature, features: dict[str, _Feature]) -> float:
        if feature in _FRAMING:
            # More independent cues, more certainly a report: 1 cue 0.35, 3 cues 0.73 …
            cues = len(found.cues)
            if feature == "news_context" and _NEWS_SUPPORTING_FEATURE in features:
                cues += 1
            return round(min(_CAP, 1 - 0.65**cues), 3)
        return round(min(_CAP, 1 - 0.5**found.hits), 3)
