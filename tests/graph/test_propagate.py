"""Propagation of a porn/fraud ban through a gang, with the justifying links."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jingwang.core.graph import GangDetector, GangPolicy, propagate

from .conftest import T0, MakeReg


@pytest.fixture
def farm(make_reg: MakeReg) -> tuple[GangDetector, list[str]]:
    detector = GangDetector()
    accounts = []
    for n in range(10):
        reg = make_reg(at=T0 + n * 90, device=f"farm-{n % 2}", phone=f"1701234560{n}")
        detector.graph.add_registration(reg)
        accounts.append(reg.account)
    bystander = make_reg(device="own-phone")
    detector.graph.add_registration(bystander)
    detector.detect()
    return detector, accounts


def test_a_porn_ban_bans_the_gang_and_bars_its_subjects(
    farm: tuple[GangDetector, list[str]],
) -> None:
    detector, accounts = farm
    actions = propagate(accounts[0], "porn", detector, GangPolicy())
    bans = [action for action in actions if action.kind == "ban"]
    assert {action.target_id for action in bans} == set(accounts[1:])
    for ban in bans:
        assert ban.links[0].source == accounts[0] and ban.links[-1].target == ban.target_id
        assert all(link.strength >= 0.5 for link in ban.links)
    bars = [action for action in actions if action.target_type == "subject"]
    assert len(bars) == 2 * len(accounts)
    assert {action.kind for action in bars} == {
        "bar_subject_registration",
        "bar_subject_verification",
    }
    action = bans[0].to_action(datetime(2024, 6, 1, tzinfo=UTC), "2024.06")
    assert action.rule == "gangs.propagate" and action.related == accounts[0]
    assert action.label == "porn" and bans[0].links[-1].attribute in action.reason


def test_labels_outside_propagate_on_do_not_propagate(
    farm: tuple[GangDetector, list[str]],
) -> None:
    detector, accounts = farm
    assert propagate(accounts[0], "spam", detector, GangPolicy()) == []


def test_a_stricter_link_threshold_narrows_propagation(
    farm: tuple[GangDetector, list[str]],
) -> None:
    detector, accounts = farm
    policy = GangPolicy(min_link_strength=0.9, bar_subject=False)
    bans = propagate(accounts[0], "fraud", detector, policy)
    # Device links (1.0) still reach the other 4 accounts on farm-0; phone blocks (0.7)
    # no longer carry the ban to farm-1.
    assert {ban.target_id for ban in bans} == set(accounts[2::2])
    assert all(ban.links[-1].attribute == "device:farm-0" for ban in bans)
