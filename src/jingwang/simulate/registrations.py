"""``jingwang simulate registrations``: synthetic registration and activity logs.

Deterministic for a seed. Planted gangs (ground truth carries their ids):

- ``farm``: device-farm bursts — accounts minutes apart, a few phones/emulators reused
  for many accounts, consecutive SIM cards from a dealer, proxy addresses, nicknames
  and avatars from one template;
- ``drip``: the same tooling spread over weeks, one to three accounts a day, sharing
  devices and payment ids;
- ``raising``: 养号 — dormant for weeks, then days of harmless activity, then spam;
- ``identity``: bought identity documents, each behind many accounts;
- ``qr``: a paid "scan my QR code" verification service and the accounts it verified;
- ``trading``: a seller's accounts advertising account and ID trading.

Benign look-alikes (ground truth: no gang): ``family`` (2–4 people on one phone and one
home address), ``campus`` (hundreds of students per /24, many registering in the days a
semester starts), ``office`` (a batch of consecutive SIM cards, one office address,
onboarding day), and ``organic`` accounts, a third of them behind carrier-NAT addresses
shared by thousands, some on emulator default device ids, some owning two accounts or
vouching for a friend, some dormant then returning, some spamming on their own.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from jingwang.simulate.identities import GANG_STEMS, Identities

BEIJING = timezone(timedelta(hours=8))
START = datetime(2024, 1, 1, tzinfo=BEIJING).timestamp()
DAY = 86_400.0
PERIOD_DAYS = 365
SEMESTER_STARTS = (datetime(2024, 2, 26, tzinfo=BEIJING), datetime(2024, 9, 1, tzinfo=BEIJING))
JUNK_DEVICE = "000000000000000"
# Shares of all accounts; organic singles take the rest.
GANG_SHARE = 0.04
FAMILY_SHARE = 0.10
CAMPUS_SHARE = 0.10
OFFICE_SHARE = 0.03
GANG_PROFILES = (
    ("farm", 0.35),
    ("drip", 0.2),
    ("raising", 0.2),
    ("identity", 0.1),
    ("qr", 0.1),
    ("trading", 0.05),
)
VIOLATIONS = (("spam", None), ("porn", "prostitution"), ("fraud", "part_time_job"))

Progress = Callable[[int], None]


@dataclass
class Simulation:
    """Records sorted by time (``at`` in POSIX seconds) and one truth row per account."""

    records: list[dict[str, Any]] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Person:
    subject: str
    id_hash: str


class _Generator:
    def __init__(self, seed: int, progress: Progress | None) -> None:
        self.rng = random.Random(seed)
        self.ids = Identities(self.rng)
        self.sim = Simulation()
        self.progress = progress
        self._offset = self.rng.getrandbits(32)
        self._nat_ips: list[str] = []
        self._recent_organic: list[tuple[str, float]] = []

    # -- primitives -----------------------------------------------------------------

    def person(self) -> _Person:
        return _Person(self.ids.token("s", 48), self.ids.token("", 128))

    def when(self) -> float:
        """A registration time: any day of the period, mostly daytime and evening."""
        hour = self.rng.triangular(6, 24, 21)
        return START + self.rng.randrange(PERIOD_DAYS) * DAY + hour * 3600

    def register(
        self,
        at: float,
        who: _Person,
        *,
        phone: str,
        device: str,
        ip: str,
        role: str,
        gang: str | None = None,
        nickname: str | None = None,
        avatar: str | None = None,
        payment: str = "",
        verified_by: str = "",
    ) -> str:
        # A multiplicative bijection modulo 2**32: unique ids that do not reveal order.
        account = f"u{(len(self.sim.truth) * 2654435761 + self._offset) % 2**32:010d}"
        record: dict[str, Any] = {
            "type": "registration",
            "account": account,
            "at": at,
            "subject": who.subject,
            "id_hash": who.id_hash,
            "phone": phone,
            "device": device,
            "ip": ip,
            "nickname": self.ids.nickname() if nickname is None else nickname,
            "avatar": self.ids.avatar() if avatar is None else avatar,
        }
        if payment:
            record["payment"] = payment
        if verified_by:
            record["verified_by"] = verified_by
        self.sim.records.append(record)
        self.sim.truth.append({"account": account, "gang": gang, "role": role})
        if self.progress is not None and len(self.sim.truth) % 10_000 == 0:
            self.progress(10_000)
        return account

    def activity(self, account: str, at: float, count: int) -> None:
        self.sim.records.append({"type": "activity", "account": account, "at": at, "count": count})

    def scan(self, account: str, at: float, label: str, subcategory: str | None) -> None:
        record: dict[str, Any] = {"type": "scan", "account": account, "at": at, "label": label}
        if subcategory:
            record["subcategory"] = subcategory
        self.sim.records.append(record)

    def nat_ip(self) -> str:
        return self.rng.choice(self._nat_ips)

    # -- benign populations ------------------------------------------------------------

    def families(self, accounts: int) -> None:
        while accounts > 0:
            size = min(accounts, self.rng.randint(2, 4))
            accounts -= size
            device, home = self.ids.token("d"), self.ids.home_ip()
            for _ in range(size):
                own_phone = self.rng.random() < 0.3
                self.register(
                    self.when(),
                    self.person(),
                    phone=self.ids.phone(),
                    device=self.ids.token("d") if own_phone else device,
                    ip=home,
                    role="family",
                )

    def campuses(self, accounts: int) -> None:
        per_campus = 2_000
        for campus in range(max(1, round(accounts / per_campus))):
            size = accounts // max(1, round(accounts / per_campus)) + (campus == 0) * (
                accounts % max(1, round(accounts / per_campus))
            )
            subnets = [self.ids.subnet24() for _ in range(max(1, size // 200))]
            for _ in range(size):
                at = self.when()
                if self.rng.random() < 0.4:
                    start = self.rng.choice(SEMESTER_STARTS).timestamp()
                    at = start + self.rng.uniform(0, 3 * DAY)
                ip = self.ids.ip_in(self.rng.choice(subnets))
                self.register(
                    at,
                    self.person(),
                    phone=self.ids.phone(),
                    device=self.ids.token("d"),
                    ip=ip,
                    role="campus",
                )

    def offices(self, accounts: int) -> None:
        while accounts > 0:
            size = min(accounts, self.rng.randint(10, 50))
            accounts -= size
            first_phone = self.ids.phone_batch_start(virtual=False)
            subnet = self.ids.subnet24()
            public_ip = self.ids.ip_in(subnet)
            onboarding = self.when()
            for number in range(size):
                at = onboarding + (
                    self.rng.uniform(0, 3 * 3600)
                    if self.rng.random() < 0.5
                    else self.rng.uniform(0, 60 * DAY)
                )
                self.register(
                    at,
                    self.person(),
                    phone=str(first_phone + number),
                    device=self.ids.token("d"),
                    ip=public_ip,
                    role="office",
                )

    def organic(self, accounts: int) -> None:
        junk_share, nat_share = 0.005, 0.35
        for _ in range(accounts):
            draw = self.rng.random()
            if draw < 0.05 and self._recent_organic:
                # A second account of someone who already has one, or a friend's
                # assisted verification: both ordinary in small numbers.
                previous, previous_at = self.rng.choice(self._recent_organic)
                at = previous_at + self.rng.uniform(DAY, 30 * DAY)
                verified_by = previous if draw < 0.02 else ""
            else:
                at, verified_by = self.when(), ""
            device = JUNK_DEVICE if self.rng.random() < junk_share else self.ids.token("d")
            ip = self.nat_ip() if self.rng.random() < nat_share else self.ids.home_ip()
            account = self.register(
                at,
                self.person(),
                phone=self.ids.phone(),
                device=device,
                ip=ip,
                role="organic",
                verified_by=verified_by,
            )
            self._recent_organic.append((account, at))
            if len(self._recent_organic) > 1_000:
                self._recent_organic.pop(0)
            self.organic_behaviour(account, at)

    def organic_behaviour(self, account: str, at: float) -> None:
        draw = self.rng.random()
        if draw < 0.30:
            for _ in range(self.rng.randint(1, 3)):
                self.activity(account, at + self.rng.uniform(0, 90) * DAY, self.rng.randint(1, 40))
        elif draw < 0.31:  # dormant, then back for good: harmless
            back = at + self.rng.uniform(30, 120) * DAY
            for day in range(self.rng.randint(3, 10)):
                self.activity(account, back + day * DAY, self.rng.randint(1, 30))
        elif draw < 0.313:  # a spammer on its own, from the first day
            label, subcategory = self.rng.choice(VIOLATIONS)
            self.scan(account, at + self.rng.uniform(0, 2) * DAY, label, subcategory)
        elif draw < 0.3135:  # one account that looks raised, with nobody behind it
            self.raise_account(account, at)

    # -- gangs -------------------------------------------------------------------------

    def gangs(self, accounts: int) -> None:
        profiles, weights = zip(*GANG_PROFILES, strict=True)
        sizes = {
            "farm": (20, 150),
            "drip": (8, 40),
            "raising": (10, 60),
            "identity": (6, 40),
            "qr": (13, 60),
            "trading": (2, 5),
        }
        serial = 0
        while accounts > 0:
            # Every profile once first, so that even small simulations plant each kind.
            if serial < len(profiles):
                profile = profiles[serial]
            else:
                profile = self.rng.choices(profiles, weights)[0]
            size = min(accounts, self.rng.randint(*sizes[profile]))
            size = max(size, sizes[profile][0])
            accounts -= size
            serial += 1
            getattr(self, f"gang_{profile}")(f"gang-{serial:05d}", size)

    def _toolkit(self, size: int, reuse_devices: float, template: float) -> dict[str, Any]:
        """What one operator's tooling shares across its accounts."""
        rng = self.rng
        subnet = self.ids.subnet24()
        return {
            "devices": [self.ids.token("d") for _ in range(max(1, math.ceil(size / 8)))]
            if rng.random() < reuse_devices
            else None,
            "phone": self.ids.phone_batch_start(virtual=rng.random() < 0.7),
            "ips": [self.ids.ip_in(subnet) for _ in range(rng.randint(3, 6))]
            if rng.random() < 0.7
            else [self.nat_ip()],
            "stem": rng.choice(GANG_STEMS) if rng.random() < template else None,
            "avatar": self.ids.hex64() if rng.random() < 0.6 else None,
        }

    def _tooled_member(
        self,
        at: float,
        index: int,
        kit: dict[str, Any],
        *,
        gang: str,
        role: str,
        payment: str = "",
    ) -> str:
        rng = self.rng
        devices = kit["devices"]
        device = devices[index % len(devices)] if devices else self.ids.token("d")
        phone = str(kit["phone"] + index * rng.randint(1, 2))
        nickname = f"{kit['stem']}{rng.randrange(10, 10_000)}" if kit["stem"] else None
        avatar = self.ids.near_copy(kit["avatar"]) if kit["avatar"] else None
        return self.register(
            at,
            self.person(),
            phone=phone,
            device=device,
            ip=rng.choice(kit["ips"]),
            role=role,
            gang=gang,
            nickname=nickname,
            avatar=avatar,
            payment=payment,
        )

    def _burst_times(self, size: int) -> list[float]:
        times: list[float] = []
        bursts = self.rng.randint(1, min(4, max(1, size // 10)))
        for burst in range(bursts):
            at = self.when()
            for _ in range(size // bursts + (burst < size % bursts)):
                at += self.rng.uniform(20, 150)
                times.append(at)
        return times

    def _drip_times(self, size: int) -> list[float]:
        day, times = self.when(), list[float]()
        while len(times) < size:
            for _ in range(self.rng.randint(1, 3)):
                times.append(day + self.rng.uniform(8, 23) * 3600)
            day += DAY * self.rng.randint(1, 2)
        return times[:size]

    def gang_farm(self, gang: str, size: int) -> None:
        kit = self._toolkit(size, reuse_devices=0.7, template=0.8)
        if kit["devices"] is None and kit["stem"] is None:
            kit["avatar"] = kit["avatar"] or self.ids.hex64()
        for index, at in enumerate(self._burst_times(size)):
            self._tooled_member(at, index, kit, gang=gang, role="farm")

    def gang_drip(self, gang: str, size: int) -> None:
        kit = self._toolkit(size, reuse_devices=1.0, template=0.5)
        payments = [self.ids.token("p") for _ in range(max(1, math.ceil(size / 5)))]
        for index, at in enumerate(self._drip_times(size)):
            payment = payments[index % len(payments)] if self.rng.random() < 0.7 else ""
            self._tooled_member(at, index, kit, gang=gang, role="drip", payment=payment)

    def gang_raising(self, gang: str, size: int) -> None:
        kit = self._toolkit(size, reuse_devices=0.7, template=0.6)
        times = self._burst_times(size) if self.rng.random() < 0.5 else self._drip_times(size)
        for index, at in enumerate(times):
            account = self._tooled_member(at, index, kit, gang=gang, role="raising")
            self.raise_account(account, at)

    def raise_account(self, account: str, at: float) -> None:
        """养号: weeks dormant, days of harmless activity, then spam."""
        day = at + self.rng.uniform(10, 40) * DAY
        for _ in range(self.rng.randint(4, 12)):
            self.activity(account, day, self.rng.randint(3, 30))
            day += DAY
        label, subcategory = self.rng.choice(VIOLATIONS)
        for _ in range(self.rng.randint(1, 3)):
            self.scan(account, day, label, subcategory)
            day += DAY

    def gang_identity(self, gang: str, size: int) -> None:
        identities = [self.person() for _ in range(max(1, size // 12))]
        devices = [self.ids.token("d") for _ in range(max(1, size // 4))]
        shared_devices = self.rng.random() < 0.4
        times = self._drip_times(size)
        for index, at in enumerate(times):
            device = devices[index % len(devices)] if shared_devices else self.ids.token("d")
            ip = self.nat_ip() if self.rng.random() < 0.35 else self.ids.home_ip()
            self.register(
                at,
                identities[index % len(identities)],
                phone=self.ids.phone(),
                device=device,
                ip=ip,
                role="identity",
                gang=gang,
            )

    def gang_qr(self, gang: str, size: int) -> None:
        service_device, service_ip, owner = self.ids.token("d"), self.ids.home_ip(), self.person()
        services_count = 1 if size < 30 else 2
        opened = self.when()
        services = [
            self.register(
                opened + n * 600,
                owner,
                phone=self.ids.phone(),
                device=service_device,
                ip=service_ip,
                role="qr",
                gang=gang,
            )
            for n in range(services_count)
        ]
        for index in range(size - services_count):
            at = opened + self.rng.uniform(DAY, 60 * DAY)
            ip = self.nat_ip() if self.rng.random() < 0.35 else self.ids.home_ip()
            self.register(
                at,
                self.person(),
                phone=self.ids.phone(),
                device=self.ids.token("d"),
                ip=ip,
                role="qr",
                gang=gang,
                verified_by=services[index % services_count],
            )

    def gang_trading(self, gang: str, size: int) -> None:
        seller, device, ip = self.person(), self.ids.token("d"), self.ids.home_ip()
        at = self.when()
        for _ in range(size):
            at += self.rng.uniform(0.5, 3) * DAY
            account = self.register(
                at, seller, phone=self.ids.phone(), device=device, ip=ip, role="trading", gang=gang
            )
            posted = at + self.rng.uniform(1, 5) * DAY
            for _ in range(self.rng.randint(2, 6)):
                self.scan(account, posted, "illicit_ads", "account_trading")
                posted += self.rng.uniform(0.2, 4) * DAY


def simulate_registrations(
    accounts: int, seed: int, progress: Progress | None = None
) -> Simulation:
    """A year of registrations of ``accounts`` accounts (at least 1,000), with activity."""
    if accounts < 1_000:
        raise ValueError("simulate at least 1,000 accounts")
    generator = _Generator(seed, progress)
    generator._nat_ips = [generator.ids.home_ip() for _ in range(max(4, accounts // 8_000))]
    generator.gangs(round(accounts * GANG_SHARE))
    generator.families(round(accounts * FAMILY_SHARE))
    generator.campuses(round(accounts * CAMPUS_SHARE))
    generator.offices(round(accounts * OFFICE_SHARE))
    generator.organic(accounts - len(generator.sim.truth))
    generator.sim.records.sort(key=lambda record: record["at"])
    return generator.sim


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).astimezone(BEIJING).isoformat(timespec="seconds")


def write_simulation(simulation: Simulation, directory: Path) -> tuple[Path, Path]:
    """``registrations.jsonl`` (times as ISO-8601) and ``truth.jsonl`` in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    log, truth = directory / "registrations.jsonl", directory / "truth.jsonl"
    with log.open("w", encoding="utf-8") as out:
        for record in simulation.records:
            out.write(json.dumps({**record, "at": _iso(record["at"])}, ensure_ascii=False))
            out.write("\n")
    with truth.open("w", encoding="utf-8") as out:
        for row in simulation.truth:
            out.write(json.dumps(row, ensure_ascii=False))
            out.write("\n")
    return log, truth
