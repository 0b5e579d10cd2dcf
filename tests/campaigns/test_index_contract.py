"""The behaviour every ``CampaignIndex`` implementation shares."""

from __future__ import annotations

from datetime import datetime

import pytest

from jingwang.core.campaigns import CampaignIndex, Message, UnknownMessageError

from .conftest import SPAM, UNRELATED, VARIANTS


def _load(index: CampaignIndex) -> None:
    index.add("spam", "acct-0", "group-0", SPAM, at=datetime(2026, 1, 1, 8, 0))
    for number, text in enumerate(VARIANTS.values(), start=1):
        index.add(f"variant-{number}", f"acct-{number}", f"group-{number}", text)
    for number, text in enumerate(UNRELATED):
        index.add(f"normal-{number}", "acct-n", "group-n", text)


@pytest.mark.parametrize("kind", list(VARIANTS))
def test_each_kind_of_variant_is_a_near_duplicate(index: CampaignIndex, kind: str) -> None:
    _load(index)
    found = {match.message_id for match in index.near(VARIANTS[kind])}
    assert "spam" in found
    assert not any(message_id.startswith("normal-") for message_id in found)


def test_unrelated_messages_are_not_near_duplicates(index: CampaignIndex) -> None:
    _load(index)
    for text in UNRELATED:
        assert [match.message_id for match in index.near(text)] == [
            f"normal-{UNRELATED.index(text)}"
        ]


def test_matches_are_sorted_by_similarity_and_exact_copy_scores_one(
    index: CampaignIndex,
) -> None:
    _load(index)
    matches = index.near(SPAM)
    assert matches[0].message_id == "spam"
    assert matches[0].similarity == 1.0
    similarities = [match.similarity for match in matches]
    assert similarities == sorted(similarities, reverse=True)


def test_short_texts_are_neither_indexed_nor_matched(index: CampaignIndex) -> None:
    assert index.add("hi", "a", "g", "你好，在吗？") == "too_short"
    assert index.add("hi-2", "b", "g", "你 好 , 在 吗 ？") == "too_short"
    assert index.get("hi") is None
    assert index.near("你好，在吗？") == []
    assert len(index) == 0


def test_duplicate_ids_are_skipped(index: CampaignIndex) -> None:
    assert index.add("m", "a", "g", SPAM) == "indexed"
    assert index.add("m", "b", "h", UNRELATED[0]) == "duplicate_id"
    outcomes = index.add_many([Message("n", SPAM), Message("n", SPAM), Message("x", "短")])
    assert outcomes == ["indexed", "duplicate_id", "too_short"]
    assert len(index) == 2


def test_threshold_decides_what_counts(index: CampaignIndex) -> None:
    _load(index)
    contact = VARIANTS["different contact"]
    similarity = next(m.similarity for m in index.near(contact) if m.message_id == "spam")
    assert 0.5 <= similarity < 0.9
    assert "spam" in {m.message_id for m in index.near(contact, threshold=similarity)}
    assert "spam" not in {m.message_id for m in index.near(contact, threshold=0.95)}
    with pytest.raises(ValueError, match="threshold"):
        index.near(contact, threshold=1.5)


def test_near_message_leaves_the_message_out(index: CampaignIndex) -> None:
    _load(index)
    found = [match.message_id for match in index.near_message("spam")]
    assert "spam" not in found
    assert set(found) == {f"variant-{n}" for n in range(1, len(VARIANTS) + 1)}


def test_campaign_of_groups_the_variants(index: CampaignIndex) -> None:
    _load(index)
    campaign = [message.message_id for message in index.campaign_of("variant-2")]
    assert campaign == ["spam"] + [f"variant-{n}" for n in range(1, len(VARIANTS) + 1)]
    assert [m.message_id for m in index.campaign_of("normal-0")] == ["normal-0"]
    largest = index.largest_campaigns()
    assert len(largest) == 1
    assert largest[0][0].at == datetime(2026, 1, 1, 8, 0)


def test_confirm_bad_returns_only_other_posters_with_evidence(index: CampaignIndex) -> None:
    _load(index)
    index.add("own-repeat", "acct-0", "group-0", SPAM + "！")
    index.add("same-account-other-group", "acct-0", "group-9", SPAM)
    matches = index.confirm_bad("spam")
    found = {match.message_id for match in matches}
    assert "own-repeat" not in found
    assert "same-account-other-group" in found
    assert {f"variant-{n}" for n in range(1, len(VARIANTS) + 1)} <= found
    confirmed = index.get("spam")
    assert confirmed is not None and confirmed.bad
    contact = next(m for m in matches if m.message_id == "variant-5")
    assert contact.account == "acct-5"
    assert contact.shared, "a near-duplicate comes with the fragments it shares"
    variant_text = VARIANTS["different contact"]
    for fragment in contact.shared:
        assert SPAM[fragment.in_query.start : fragment.in_query.end] == fragment.in_query.text
        assert variant_text[fragment.in_match.start : fragment.in_match.end] == (
            fragment.in_match.text
        )
    assert any("名额有限先到先得" in fragment.text for fragment in contact.shared)


def test_evidence_spans_cover_inserted_symbols(index: CampaignIndex) -> None:
    _load(index)
    symbols = next(m for m in index.confirm_bad("spam") if m.message_id == "variant-1")
    assert any(".微.信" in fragment.in_match.text for fragment in symbols.shared)


def test_unknown_ids_raise(index: CampaignIndex) -> None:
    with pytest.raises(UnknownMessageError, match="nope"):
        index.confirm_bad("nope")
    with pytest.raises(UnknownMessageError):
        index.campaign_of("nope")
