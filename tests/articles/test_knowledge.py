"""The rumour knowledge base: near-duplicate matching and its debunk references."""

from __future__ import annotations

import pytest

from jingwang.core.detect.article import (
    ArticleDetector,
    KnowledgeBaseError,
    RumorEntry,
    RumorKnowledgeBase,
    seed_entries,
)

from .conftest import article, assert_evidence_valid, decide, findings

RUMOUR = "本市自来水厂检出新型病毒，喝了会得怪病，这几天家里千万不要喝自来水，转发出去救人一命"
DEBUNK = "示例水务集团声明 2025-05：出厂水检测全部合格"


def _kb() -> RumorKnowledgeBase:
    return RumorKnowledgeBase([RumorEntry("water-1", RUMOUR, DEBUNK)])


def test_seed_is_packaged_with_fictional_references() -> None:
    entries = seed_entries()
    assert len(entries) >= 20
    assert all(entry.debunk.startswith("示例") for entry in entries)
    assert not any("http" in entry.debunk for entry in entries)


def test_small_edits_still_match() -> None:
    edited = (
        "听说本市的自来水厂检测出一种新型病毒，喝了以后会得怪病，"
        "这两天家里千万别喝自来水，快转发出去救人一命！"
    )
    (match,) = _kb().match(edited, 0.4)
    assert match.entry.id == "water-1"
    assert match.similarity >= 0.6


def test_unrelated_text_does_not_match() -> None:
    assert _kb().match("地铁3号线今天上午正式开通运营，全长28公里，设站20座。", 0.2) == []


def test_republished_rumour_is_blocked_with_its_debunk() -> None:
    detector = ArticleDetector(knowledge_base=_kb())
    item = article(
        "听说本市的自来水厂检测出一种新型病毒，喝了以后会得怪病，这两天家里千万别喝自来水。",
        title="水厂出事了",
    )
    found = findings(item, detector)
    known = next(f for f in found if f.detail and f.detail.startswith("known rumour"))
    assert known.label == "rumor" and DEBUNK in known.detail
    assert decide(item, detector).decision == "block"
    assert_evidence_valid(item, found)


def test_debunk_article_quoting_a_known_rumour_passes() -> None:
    detector = ArticleDetector(knowledge_base=_kb())
    item = article(
        f"网传“{RUMOUR}”。经核实，该消息系谣言，出厂水检测全部合格。",
        title="辟谣：自来水检出病毒？假的",
    )
    found = findings(item, detector)
    assert not any(f.label == "rumor" for f in found)
    assert decide(item, detector).decision == "pass"


def test_default_detector_knows_the_seed() -> None:
    item = article(
        "微信从下个月开始每条消息收费0.1元，转发这条消息给15个好友就可以永久免费，图标会变蓝。"
    )
    known = [f for f in findings(item) if f.detail and "seed-002" in f.detail]
    assert known and "示例辟谣平台" in (known[0].detail or "")


def test_bad_entries_are_refused() -> None:
    kb = _kb()
    with pytest.raises(KnowledgeBaseError, match="already exists"):
        kb.add(RumorEntry("water-1", RUMOUR, DEBUNK))
    with pytest.raises(KnowledgeBaseError, match="too short"):
        kb.add(RumorEntry("short", "喝醋", DEBUNK))
    with pytest.raises(KnowledgeBaseError, match="'debunk'"):
        RumorEntry.from_dict({"id": "x", "text": RUMOUR, "debunk": ""})
    assert kb.remove("water-1").id == "water-1"
    assert len(kb) == 0
