"""The persistent store: round trips, crash recovery, locking and settings."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from jingwang.adapters.campaigns import CampaignStore, CampaignStoreError
from jingwang.core.campaigns import IndexSettings, Message

from .conftest import SPAM, UNRELATED, VARIANTS


def _fill(store: CampaignStore) -> None:
    store.add("spam", "a0", "g0", SPAM)
    for number, text in enumerate(VARIANTS.values(), start=1):
        store.add(f"variant-{number}", f"a{number}", f"g{number}", text)
    store.add_many(Message(f"normal-{n}", text) for n, text in enumerate(UNRELATED))


def test_round_trip_keeps_matches_clusters_and_bad_flags(tmp_path: Path) -> None:
    with CampaignStore.open(tmp_path) as store:
        _fill(store)
        store.confirm_bad("variant-3")
        before = (store.near(SPAM), store.campaign_of("spam"), store.largest_campaigns())
    with CampaignStore.open(tmp_path) as reopened:
        assert len(reopened) == 1 + len(VARIANTS) + len(UNRELATED)
        assert (reopened.near(SPAM), reopened.campaign_of("spam")) == before[:2]
        assert reopened.largest_campaigns() == before[2]
        bad = reopened.get("variant-3")
        assert bad is not None and bad.bad
        reopened.add("late", "a9", "g9", VARIANTS["appended emoji"] + "速来")
        assert "late" in {m.message_id for m in reopened.campaign_of("spam")}


def test_a_torn_batch_is_dropped_on_open(tmp_path: Path) -> None:
    with CampaignStore.open(tmp_path) as store:
        _fill(store)
        count = len(store)
    with (tmp_path / "messages.jsonl").open("ab") as stream:
        stream.write(b'{"id":"torn","text":"')  # a process killed mid-write
    with (tmp_path / "signatures.u16").open("ab") as stream:
        stream.write(b"\0" * 100)
    with CampaignStore.open(tmp_path) as store:
        assert len(store) == count
        assert store.get("torn") is None
        store.add("after", "a", "g", UNRELATED[0] + "再说一遍")
    with CampaignStore.open(tmp_path) as store:
        assert store.get("after") is not None


def test_a_second_process_is_refused(tmp_path: Path) -> None:
    with CampaignStore.open(tmp_path), pytest.raises(CampaignStoreError, match="another"):
        CampaignStore.open(tmp_path)


def test_settings_are_fixed_at_creation(tmp_path: Path) -> None:
    CampaignStore.open(tmp_path, IndexSettings(threshold=0.6)).close()
    with CampaignStore.open(tmp_path) as store:
        assert store.settings.threshold == 0.6
    with pytest.raises(CampaignStoreError, match="different settings"):
        CampaignStore.open(tmp_path, IndexSettings(threshold=0.7))


def test_a_file_in_the_way_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(CampaignStoreError, match="file"):
        CampaignStore.open(tmp_path / "file")


def test_concurrent_adds_and_queries(tmp_path: Path) -> None:
    with CampaignStore.open(tmp_path) as store:

        def post(worker: int) -> None:
            for n in range(20):
                store.add(f"w{worker}-{n}", f"acct{worker}", None, f"{SPAM}{worker}号{n}")
                store.near(SPAM)

        threads = [threading.Thread(target=post, args=(w,)) for w in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(store) == 80
        assert len(store.campaign_of("w0-0")) == 80
    with CampaignStore.open(tmp_path) as store:
        assert len(store.campaign_of("w3-19")) == 80
