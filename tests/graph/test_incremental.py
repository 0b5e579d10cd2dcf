"""Flagging at registration time: a new member of a known gang is flagged at once."""

from __future__ import annotations

import time

from jingwang.core.graph import GangDetector

from .conftest import DAY, T0, MakeReg


def _known_farm(make_reg: MakeReg) -> GangDetector:
    detector = GangDetector()
    for n in range(10):
        detector.graph.add_registration(make_reg(at=T0 + n * 60, device="farm-0"))
    assert len(detector.detect()) == 1
    return detector


def test_new_member_of_a_known_gang_is_flagged_with_its_links(make_reg: MakeReg) -> None:
    detector = _known_farm(make_reg)
    began = time.perf_counter()
    assessment = detector.on_registration(make_reg(at=T0 + 30 * DAY, device="farm-0"))
    elapsed = time.perf_counter() - began
    assert assessment.flagged and assessment.gang is not None
    assert assessment.gang.id == detector.detect()[0].id
    assert {link.attribute for link in assessment.links} == {"device:farm-0"}
    assert len(assessment.links) == 10
    assert elapsed < 0.05


def test_an_unrelated_registration_is_not_flagged(make_reg: MakeReg) -> None:
    detector = _known_farm(make_reg)
    assessment = detector.on_registration(make_reg())
    assert not assessment.flagged and assessment.links == ()


def test_a_gang_is_flagged_as_it_forms_without_a_batch_run(make_reg: MakeReg) -> None:
    detector = GangDetector()
    flagged = [
        detector.on_registration(make_reg(at=T0 + n * 60, device="farm-1")).flagged
        for n in range(8)
    ]
    # Burst and device farm both need five accounts.
    assert flagged == [False] * 4 + [True] * 4


def test_a_customer_of_a_known_verification_service_is_flagged(make_reg: MakeReg) -> None:
    detector = GangDetector()
    service = make_reg()
    detector.graph.add_registration(service)
    for _ in range(12):
        detector.graph.add_registration(make_reg(verified_by=service.account))
    detector.detect()
    assessment = detector.on_registration(make_reg(verified_by=service.account))
    assert assessment.flagged
    assert assessment.gang is not None and assessment.gang.kinds == ("qr_verification",)
