"""Benign look-alikes of gangs must survive detection and propagation."""

from __future__ import annotations

from jingwang.core.graph import GangDetector, GangPolicy, propagate

from .conftest import DAY, T0, MakeReg


def test_family_sharing_a_phone_and_home_address(make_reg: MakeReg) -> None:
    detector = GangDetector()
    family = [
        make_reg(at=T0 + n * 60 * DAY, device="family-phone", ip="58.1.2.3", avatar="0" * 16)
        for n in range(4)
    ]
    for reg in family:
        detector.graph.add_registration(reg)
    assert detector.graph.cluster(0) == [0, 1, 2, 3]
    assert detector.detect() == []
    assert propagate(family[0].account, "porn", detector, GangPolicy()) == []


def test_campus_wifi_at_semester_start(make_reg: MakeReg) -> None:
    detector = GangDetector()
    for n in range(300):
        at = T0 + (n % 120) * 600 if n < 120 else T0 + n * DAY
        ip = f"202.120.{n % 2}.{n % 250 + 1}"
        detector.graph.add_registration(make_reg(at=at, ip=ip))
    assert detector.detect() == []


def test_carrier_nat_address_shared_by_thousands(make_reg: MakeReg) -> None:
    detector = GangDetector()
    for n in range(3_000):
        detector.graph.add_registration(make_reg(at=T0 + n * 30, ip="117.136.0.1"))
    assert detector.detect() == []
    assert detector.graph.strength("ip:117.136.0.1") < 0.01


def test_office_with_a_batch_of_sim_cards_on_onboarding_day(make_reg: MakeReg) -> None:
    detector = GangDetector()
    for n in range(30):
        reg = make_reg(at=T0 + n * 240, phone=f"{13812345600 + n}", ip="61.10.20.30")
        detector.graph.add_registration(reg)
    assert detector.detect() == []  # burst + phone block + office address is not enough


def test_emulator_default_device_id_stops_linking_once_common(make_reg: MakeReg) -> None:
    detector = GangDetector()
    for _ in range(60):
        detector.graph.add_registration(make_reg(device="000000000000000"))
    assert detector.graph.stale  # the first 40 were joined while the id looked rare
    assert detector.detect() == []
    assert not detector.graph.stale and len(detector.graph.cluster(0)) == 1
