"""Each detector on a small hand-built log, with its evidence."""

from __future__ import annotations

from jingwang.core.graph import Activity, GangDetector, ScanLabel
from jingwang.core.graph.attributes import nickname_template, phone_block, subnet

from .conftest import DAY, T0, MakeReg


def _kinds(detector: GangDetector) -> list[set[str]]:
    return [set(gang.kinds) for gang in detector.detect()]


def test_attribute_normalisation() -> None:
    assert subnet("203.0.113.77") == "203.0.113.0/24"
    assert subnet("240e:3b7:1:2:aaaa::1") == "240e:3b7:1:2::/64"
    assert phone_block("+86 138-0013-8042") == phone_block("13800138099") == "138001380"
    assert nickname_template("小美123") == "小美#"
    assert nickname_template("ｌｕｃｙ２００３的小店") == "#的小店"


def test_registration_burst_from_a_device_farm(make_reg: MakeReg) -> None:
    detector = GangDetector()
    for n in range(12):
        detector.graph.add_registration(make_reg(at=T0 + n * 120, device=f"farm-{n % 2}"))
    gangs = detector.detect()
    assert [set(gang.kinds) for gang in gangs] == [{"burst", "device_farm"}] * 2
    burst = next(signal for signal in gangs[0].signals if signal.kind == "burst")
    farm = next(signal for signal in gangs[0].signals if signal.kind == "device_farm")
    assert len(burst.accounts) == 6 and farm.attributes[0] in burst.attributes
    assert set(farm.accounts) == set(gangs[0].members)
    assert "6 registrations within 20 min" in burst.detail


def test_a_family_registering_on_one_phone_over_months_is_no_burst(make_reg: MakeReg) -> None:
    detector = GangDetector()
    for n in range(6):
        detector.graph.add_registration(make_reg(at=T0 + n * 30 * DAY, device="home"))
    assert _kinds(detector) == []


def test_templated_nicknames_and_avatars_over_a_phone_block(make_reg: MakeReg) -> None:
    detector = GangDetector()
    template_avatar = 0x0F0F_1234_ABCD_5678
    for n in range(8):
        avatar = f"{template_avatar ^ (1 << (n * 7)):016x}"
        detector.graph.add_registration(
            make_reg(phone=f"170123456{n:02d}", nickname=f"小美{100 + n}", avatar=avatar)
        )
    [gang] = _kinds(detector)
    assert gang == {"templated_nicknames", "templated_avatars", "phone_block"}
    signal = next(s for s in detector.detect()[0].signals if s.kind == "templated_nicknames")
    assert signal.attributes == ("nick:小美#",) and len(signal.accounts) == 8


def test_raising_dormant_then_warmed_then_spamming(make_reg: MakeReg) -> None:
    detector = GangDetector()
    registrations = [make_reg(at=T0 + n * DAY, payment="pay-1") for n in range(6)]
    for reg in registrations:
        detector.graph.add_registration(reg)
    assert _kinds(detector) == []  # a shared payment id alone is not a gang
    for account in (reg.account for reg in registrations):
        for day in range(20, 25):
            detector.graph.add_activity(Activity(account, T0 + day * DAY, 12))
        detector.graph.add_scan_label(ScanLabel(account, T0 + 26 * DAY, "spam"))
    assert _kinds(detector) == [{"shared_payment", "raising"}]


def test_active_from_day_one_is_not_raising(make_reg: MakeReg) -> None:
    detector = GangDetector()
    for _ in range(6):
        reg = make_reg(payment="p")
        detector.graph.add_registration(reg)
        for day in range(5):
            detector.graph.add_activity(Activity(reg.account, reg.at + day * DAY, 3))
        detector.graph.add_scan_label(ScanLabel(reg.account, reg.at + 6 * DAY, "spam"))
    assert _kinds(detector) == []


def test_one_identity_behind_many_accounts(make_reg: MakeReg) -> None:
    detector = GangDetector()
    for _ in range(6):
        detector.graph.add_registration(make_reg(id_hash="bought-id", subject="victim"))
    for _ in range(2):  # a person with a second account is ordinary
        detector.graph.add_registration(make_reg(id_hash="own-id", subject="someone"))
    [gang] = detector.detect()
    assert gang.kinds == ("identity_reuse",) and len(gang.members) == 6
    assert gang.signals[0].attributes == ("id:bought-id",)


def test_paid_qr_verification_service(make_reg: MakeReg) -> None:
    detector = GangDetector()
    service = make_reg()
    detector.graph.add_registration(service)
    for _ in range(12):
        detector.graph.add_registration(make_reg(verified_by=service.account))
    friend = make_reg()
    detector.graph.add_registration(friend)
    for _ in range(2):
        detector.graph.add_registration(make_reg(verified_by=friend.account))
    [gang] = detector.detect()
    assert gang.kinds == ("qr_verification",) and len(gang.members) == 13
    assert service.account in gang.signals[0].accounts


def test_account_trading_from_scan_labels(make_reg: MakeReg) -> None:
    detector = GangDetector()
    sellers = [make_reg(device="seller-phone") for _ in range(2)]
    for seller in sellers:
        detector.graph.add_registration(seller)
        for day in (1, 3):
            label = ScanLabel(
                seller.account, seller.at + day * DAY, "illicit_ads", "account_trading"
            )
            detector.graph.add_scan_label(label)
    once = make_reg()
    detector.graph.add_registration(once)
    detector.graph.add_scan_label(
        ScanLabel(once.account, once.at, "illicit_ads", "account_trading")
    )
    [gang] = detector.detect()
    assert gang.kinds == ("account_trading",)
    assert set(gang.members) == {seller.account for seller in sellers}
