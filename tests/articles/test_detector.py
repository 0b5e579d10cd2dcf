"""Each path of the article detector, through the default decision layer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jingwang.core.detect.base import Detector
from jingwang.core.io import parse_item

from .conftest import DETECTOR, article, assert_evidence_valid, decide, findings, label_scores

DATA = Path(__file__).resolve().parents[2] / "data" / "articles"


def test_is_a_detector_that_ignores_other_surfaces() -> None:
    assert isinstance(DETECTOR, Detector)
    assert DETECTOR.name == "article"
    assert DETECTOR.labels == ("clickbait", "rumor", "porn")
    assert findings(article("震惊！速看马上删，转发扩散", surface="chat")) == []
    assert findings(article("", title=None)) == []


def test_bait_headline_with_an_unrelated_body_is_clickbait() -> None:
    item = article(
        "今天天气很好，小区的花开了。周末带孩子出门晒晒太阳。", title="震惊！他竟然做出这种事"
    )
    decision = decide(item)
    assert decision.decision != "pass"
    clickbait = next(r for r in decision.labels if r.label == "clickbait")
    assert any(e.source == "title" for e in clickbait.evidence)
    assert_evidence_valid(item, findings(item))


def test_body_switching_to_an_advert_points_at_headline_and_advert() -> None:
    text = "很多人喜欢去网红餐厅打卡。本店新店开业，进店消费满100元送50元代金券，加微信预订。"
    item = article(text, title="曝光！某网红餐厅后厨的真实画面，看完再也不敢吃了")
    found = findings(item)
    clickbait = next(f for f in found if f.label == "clickbait")
    assert clickbait.score >= 0.5
    sources = {e.source for e in clickbait.evidence}
    assert sources == {"title", "text"}
    assert any("代金券" in e.text or "加微信" in e.text for e in clickbait.evidence)
    assert_evidence_valid(item, found)


def test_lively_but_accurate_headline_passes() -> None:
    item = article(
        "地铁3号线今天上午正式开通运营，全长28公里，设站20座，票价2至7元。",
        title="好消息！地铁3号线今天正式开通运营",
    )
    assert decide(item).decision == "pass"


def test_fabricated_health_chain_is_a_blocked_rumour() -> None:
    item = article(
        "内部消息：每天喝三杯淡盐水能彻底治愈糖尿病，医院不会告诉你。已证实有效，赶紧转发给家里老人！",
        title="紧急扩散！医生都不敢说的秘方",
    )
    decision = decide(item)
    assert decision.decision == "block"
    assert label_scores(decision)["rumor"] >= 0.8
    assert_evidence_valid(item, findings(item))


def test_plausible_unverified_claim_goes_to_review_not_block() -> None:
    item = article(
        "朋友在公交公司上班，说下个月起公交票价可能要从两元涨到三元，目前还没有正式发布。",
        title="听说下个月起本市公交票价要涨到三元",
    )
    assert decide(item).decision == "review"


def test_correct_health_advice_passes() -> None:
    item = article(
        "国际癌症研究机构将加工肉制品列为1类致癌物。营养专家建议少吃，每周不超过两次。",
        title="世卫组织：加工肉制品属于1类致癌物，建议适量吃",
    )
    assert decide(item).decision == "pass"


def test_debunk_passes_with_a_news_context_signal_and_no_rumour() -> None:
    item = article(
        "近日网传“隔夜西瓜会产生大量亚硝酸盐，吃了直接致癌，请转发给家里老人”。经核实，"
        "这一说法不实，冷藏保存的西瓜隔夜食用是安全的。",
        title="辟谣：隔夜西瓜会致癌？不实！",
    )
    found = findings(item)
    assert not any(f.label == "rumor" for f in found)
    signal = next(f for f in found if f.label == "news_context")
    assert signal.kind == "signal" and signal.score >= 0.5
    assert decide(item).decision == "pass"
    assert_evidence_valid(item, found)


def test_suggestive_article_is_porn_vulgar() -> None:
    item = article(
        "昨晚美女主播直播时衣服滑落，尺度太大，男人都懂。完整版已整理好，老司机回复福利获取。",
        title="深夜福利：美女主播直播尺度太大",
    )
    decision = decide(item)
    porn = next(r for r in decision.labels if r.label == "porn")
    assert porn.subcategory == "vulgar"
    assert decision.decision == "block"


def test_sober_swimwear_advice_is_not_vulgar() -> None:
    item = article(
        "选择泳衣首先要看面料，含氨纶的面料弹性好。游泳前做好热身，下水后注意防晒。",
        title="夏季泳衣怎么选？这几点要注意",
    )
    assert "porn" not in label_scores(decide(item))


def test_html_body_evidence_indexes_the_original_html() -> None:
    text = (
        "<p>出事了！他在全网直播中做了这件事</p><p>直播已经成为生活的一部分。"
        "我们的培训班学费只要980元，报名请添加客服微信。</p>"
    )
    item = article(text)
    found = findings(item)
    assert any(f.label == "clickbait" for f in found)
    assert all(e.source == "text" for f in found for e in f.evidence)
    assert_evidence_valid(item, found)


@pytest.mark.parametrize("split", ["dev", "train"])
def test_every_dataset_article_has_valid_evidence(split: str) -> None:
    for line in (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
        item = parse_item(json.loads(line))
        assert_evidence_valid(item, findings(item))
