"""ContextDetector: the framing and offer cues the decision layer weighs."""

from __future__ import annotations

import random

import pytest

from jingwang.core.decide import DecisionThresholds
from jingwang.core.detect.base import NormalizedItem, prepare
from jingwang.core.detect.context import ContextDetector
from jingwang.core.types import Finding, ScanItem

DETECTOR = ContextDetector()
# The framing score from which the decision layer discounts a violation.
FRAMING_MIN = DecisionThresholds().reporting_context_min

CRACKDOWN = (
    "微信安全中心公告：近期依法处置涉黄违规账号3,000余个，累计处理群聊200个，"
    "示例：wxid_****a3、微信号 ab***12。提醒广大用户谨防上当。"
)


def _item(text: str) -> NormalizedItem:
    return prepare(ScanItem(id="t", text=text))


def _features(text: str) -> dict[str, Finding]:
    findings = DETECTOR.detect(_item(text))
    for finding in findings:
        assert finding.kind == "signal"
        assert 0.0 < finding.score <= 1.0
        for evidence in finding.evidence:
            assert text[evidence.start : evidence.end] == evidence.text
    return {f.label: f for f in findings}


@pytest.mark.parametrize(
    ("text", "feature", "cue_text"),
    [
        (CRACKDOWN, "news_context", "依法处置"),
        (CRACKDOWN, "news_context", "处置涉黄违规账号3,000余个"),
        ("本周共封禁1200个违规账号", "news_context", "封禁1200个违规账号"),
        ("据报道，警方提醒市民注意", "news_context", "警方提醒"),
        (CRACKDOWN, "masked_id", "wxid_****a3"),
        (CRACKDOWN, "masked_id", "ab***12"),
        ("手机号 138****5678 的用户", "masked_id", "138****5678"),
        ("300一次，500/晚", "price", "300一次"),
        ("300一次，500/晚", "price", "500/晚"),
        ("包夜全套", "price", "包夜"),
        ("只要￥199", "price", "￥199"),
        ("68元/盒", "price", "68元/盒"),
        ("全国包邮，货到付款", "delivery", "包邮"),
        ("同城上门", "delivery", "上门"),
        ("有意者加我私聊", "solicitation_call", "加我"),
        ("扫码进群", "solicitation_call", "扫码"),
        ("如何识别诈骗？不要相信陌生人", "education", "如何识别"),
        ("医生建议：戒烟有益健康", "education", "戒烟有益"),
        ("我同学差点信了，幸好问了我", "education", "差点信了"),
        ("新闻说有人刷单被骗了十几万", "news_context", "新闻说"),
        ("账号异常，请点击 http://x.top 解除", "solicitation_call", "请点击"),
        ("请立即将资金转入安全账户", "demand", "请立即将资金转入"),
        ("否则将冻结您名下所有银行卡", "demand", "否则将冻结"),
        ("请您配合调查", "demand", "请您配合调查"),
        ("你的银行卡涉嫌洗钱，需要配合调查", "demand", "你的银行卡涉嫌洗钱，需要配合调查"),
        ("您名下账户涉嫌违规", "demand", "您名下账户涉嫌"),
        ("股市有风险，入市需谨慎", "disclosure", "股市有风险"),
        ("基金有风险 投资须谨慎", "disclosure", "投资须谨慎"),
        ("五险一金，周末双休", "employment", "五险一金"),
        ("有意者请投递简历", "employment", "投递简历"),
        ("任职要求：大专以上", "employment", "任职要求"),
        ("您的订单号 12345 已发货", "logistics", "订单号"),
        ("包裹已到菜鸟驿站，请及时取件", "logistics", "请及时取件"),
        ("客服将为您办理理赔", "compensation", "理赔"),
        ("请提供银行卡号和验证码", "demand", "请提供银行卡号"),
        ("贷款请到网点办理", "education", "网点办理"),
        ("请拨打银行卡背面的电话，别信陌生来电", "education", "别信陌生"),
    ],
)
def test_finds_cues(text: str, feature: str, cue_text: str) -> None:
    features = _features(text)
    assert feature in features
    assert cue_text in [e.text for e in features[feature].evidence]


def test_news_score_grows_with_independent_cues() -> None:
    one = _features("据报道，天气晴朗")["news_context"].score
    many = _features(CRACKDOWN)["news_context"].score
    assert one < FRAMING_MIN <= many


def test_a_told_scam_story_is_framed_but_one_victim_phrase_is_not() -> None:
    story = _features("新闻说有人兼职刷单被骗了十几万，太惨了")
    assert story["news_context"].score + story["education"].score >= FRAMING_MIN
    assert _features("差点上当，正品保证")["education"].score < FRAMING_MIN


def test_single_framing_phrase_stays_below_the_discount_threshold() -> None:
    assert _features("谨防上当，正品保证")["education"].score < FRAMING_MIN


def test_a_whole_risk_disclosure_reaches_the_discount_threshold_and_half_does_not() -> None:
    assert _features("理财有风险，投资需谨慎")["disclosure"].score >= FRAMING_MIN
    assert _features("投资有风险，带你翻倍")["disclosure"].score < FRAMING_MIN


def test_a_warning_about_codes_is_not_a_request_for_them() -> None:
    for warning in ("请勿向任何人提供验证码", "客服不需要提供密码", "千万别告诉别人验证码"):
        assert "demand" not in _features(warning), warning


def test_a_formal_job_advert_reaches_the_discount_threshold_and_one_term_does_not() -> None:
    advert = _features("诚聘会计，任职要求：本科以上，岗位职责：日常记账，面试地点：人民路")
    assert advert["employment"].score >= FRAMING_MIN
    assert _features("日结300，五险一金，加微信")["employment"].score < FRAMING_MIN


@pytest.mark.parametrize(
    "text",
    [
        "今天天气不错，我们去公园散步。",
        "**粗体**文字",
        "版权所有 | 联系我们 | 加入我们",
        "2023年10月1日",
        "",
    ],
)
def test_plain_text_has_no_cues(text: str) -> None:
    assert _features(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "公检法机关不会要求您将资金转入安全账户",
        "请勿向陌生账户转账",
        "不要把钱转到任何所谓的安全账户",
        "接到此类电话请立即挂断并报警",
        "涉事人员正在配合调查",
        "该男子涉嫌诈骗被刑事拘留",  # a third party accused: news
    ],
)
def test_advice_and_reports_give_no_demand(text: str) -> None:
    assert "demand" not in _features(text)


def test_masked_id_alone_is_no_news() -> None:
    assert set(_features("138****5678")) == {"masked_id"}


def test_protocol_attributes() -> None:
    assert DETECTOR.name == "context"
    assert set(DETECTOR.labels) == {
        "news_context",
        "masked_id",
        "price",
        "delivery",
        "solicitation_call",
        "demand",
        "quoted",
        "education",
        "disclosure",
        "employment",
        "logistics",
        "compensation",
    }


def test_quotations_are_signalled_with_their_spans() -> None:
    text = "他骂了句“你个王八蛋”，全场都笑了"
    (quoted,) = [
        f for f in DETECTOR.detect(prepare(ScanItem("q", text=text))) if f.label == "quoted"
    ]
    (span,) = quoted.evidence
    assert text[span.start : span.end] == span.text == "“你个王八蛋”"


def test_huge_and_garbage_input_never_raises_and_is_deterministic() -> None:
    rng = random.Random(5)
    alphabet = "封禁处置账号个1234567890,.* 元/次晚一包邮加我a_b***"
    garbage = "".join(rng.choice(alphabet) for _ in range(200_000))
    first = DETECTOR.detect(_item(garbage))
    assert first == DETECTOR.detect(_item(garbage))
    for finding in first:
        for evidence in finding.evidence:
            assert garbage[evidence.start : evidence.end] == evidence.text
    DETECTOR.detect(_item("1" * 200_000))
    DETECTOR.detect(_item("".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(20_000))))
