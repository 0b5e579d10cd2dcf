"""A month of enforcement history, built through the real service on every back end.

PostgreSQL comes from ``JINGWANG_TEST_POSTGRES_URL`` (default: the local ``test``
database), one schema per test. Without a server those cases skip, except under
``CI=true``, where a missing server fails.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from jingwang.adapters.enforcement import (
    EnforcementService,
    IdentityHasher,
    IncomingEvent,
    ManualAction,
    NewAccount,
)
from jingwang.adapters.storage import AuditEntry, InMemoryStorage, SqlStorage, Storage
from jingwang.core.policy import default_policy
from jingwang.core.types import Decision, LabelResult

FIRST_DAY = date(2025, 5, 1)
LAST_DAY = date(2025, 5, 31)
# The period in UTC: Beijing midnight is 16:00 UTC the day before.
PERIOD_START = datetime(2025, 4, 30, 16, tzinfo=UTC)
PERIOD_END = datetime(2025, 5, 31, 16, tzinfo=UTC)
REGISTERED = datetime(2025, 4, 1, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = REGISTERED

    def __call__(self) -> datetime:
        return self.now


@dataclass
class History:
    """What the scenario did, as the test knows it, independent of any stored record."""

    service: EnforcementService
    clock: Clock
    account_kinds: dict[str, str] = field(default_factory=dict)
    nicknames: dict[str, str] = field(default_factory=dict)
    phones: dict[str, str] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)
    # event id → (author, label, subcategory, surface)
    posts: dict[str, tuple[str, str, str | None, str | None]] = field(default_factory=dict)

    def register(
        self,
        account_id: str,
        subject: str,
        *,
        kind: str = "personal",
        nickname: str | None = None,
        phone: str = "13812345678",
        document: str | None = None,
    ) -> None:
        document = document or f"110101199003{zlib.crc32(subject.encode()) % 1_000_000:06d}"
        self.clock.now = REGISTERED
        new = NewAccount(
            account_id,
            kind,  # type: ignore[arg-type]
            subject,
            document,
            phone,
            "dev-1",
            "203.0.113.7",
            REGISTERED,
            nickname=nickname,
        )
        registration = self.service.register(new, "service:test")
        assert registration.account is not None
        self.account_kinds[account_id] = kind
        if nickname:
            self.nicknames[account_id] = nickname
        self.phones[account_id] = phone
        self.documents[subject] = document

    def post(
        self,
        event_id: str,
        account: str,
        at: datetime,
        label: str,
        subcategory: str | None = None,
        *,
        surface: str | None = "moments",
        group: str | None = None,
        forwarded_from: str | None = None,
    ) -> None:
        self.clock.now = at
        decision = Decision(event_id, "block", (LabelResult(label, 0.97, subcategory),))
        incoming = IncomingEvent(event_id, account, at, surface, group, forwarded_from)
        self.service.record_event(incoming, decision)
        self.posts[event_id] = (account, label, subcategory, surface)

    def act(self, at: datetime, manual: ManualAction) -> None:
        self.clock.now = at
        self.service.act(manual, "moderator:desk-1")

    def audit(self) -> list[AuditEntry]:
        return self.service.audit_page(0, 100_000)


def may(day: int, hour: int = 4) -> datetime:
    return datetime(2025, 5, day, hour, tzinfo=UTC)


def build_month(history: History) -> History:
    """Every kind of measure, inside the period and on both sides of its edges."""
    h = history
    h.register("wxid_porn8x7k2m9qa3", "s-porn", nickname="张小凡", phone="13900001111")
    h.register("wxid_spam5t6y7u8i01", "s-spam", nickname="李四", phone="13900002222")
    h.register("wxid_drug3e4r5t6y02", "s-drug", nickname="王五六", phone="13900003333")
    h.register("gh_rumour1234567890", "c-news", kind="official", nickname="养生之道")
    h.register("wxid_owner9o8i7u6y03", "s-owner", nickname="赵大")
    h.register("wxid_forward1q2w3e04", "s-fwd", nickname="钱多多")
    h.register("grpacct_spam0987654", "s-grp", kind="group", nickname="福利群")
    for n in range(3):
        h.register(f"wxid_gang{n}a1s2d3f4g5", "s-gang", nickname=f"孙{n}号")
    h.register("wxid_manual0z9x8c7v6", "s-manual", nickname="周六")
    h.register("wxid_edge0p9o8i7u6y5", "s-edge", nickname="吴七")
    h.service.create_group("chatroom_g1_55667788", "wxid_owner9o8i7u6y03", [], "service:test")
    h.service.create_group("chatroom_g2_11223344", None, [], "service:test")

    # Just outside, on both sides: Beijing 30 April 23:59 and 1 June 00:00.
    h.post("e-before", "wxid_edge0p9o8i7u6y5", PERIOD_START - timedelta(minutes=1), "spam")
    h.post("e-after", "wxid_edge0p9o8i7u6y5", PERIOD_END, "abuse", surface="chat")
    # Just inside: Beijing 1 May 00:00.
    h.post("e-porn", "wxid_porn8x7k2m9qa3", PERIOD_START, "porn", "porn_link")
    h.post("e-fwd", "wxid_forward1q2w3e04", may(2), "porn", "porn_link", forwarded_from="x")
    for n, day in enumerate((3, 4, 5)):
        h.post(f"e-spam{n}", "wxid_spam5t6y7u8i01", may(day), "spam", surface="chat")
    h.post("e-rumour", "gh_rumour1234567890", may(6), "rumor", surface="article")
    h.post("e-grpacct", "grpacct_spam0987654", may(6), "spam", surface="group_name")
    for n, day in enumerate((7, 8, 9, 10, 11)):
        h.post(
            f"e-group{n}",
            "wxid_drug3e4r5t6y02",
            may(day),
            "illicit_ads",
            "aphrodisiac",
            surface="group",
            group="chatroom_g1_55667788",
        )
    for n in range(3):
        h.post(f"e-gang{n}", f"wxid_gang{n}a1s2d3f4g5", may(12 + n), "fraud", "part_time_job")
    h.act(may(20), ManualAction("ban", "account", "wxid_manual0z9x8c7v6", "sold accounts"))
    h.act(may(20), ManualAction("warn", "account", "wxid_spam5t6y7u8i01", "keeps spamming"))
    h.act(may(21), ManualAction("dissolve", "group", "chatroom_g2_11223344", "porn group"))
    h.act(may(22), ManualAction("bar_subject", "subject", "s-manual", "fake identity"))
    h.act(
        may(23),
        ManualAction(
            "restrict",
            "account",
            "wxid_edge0p9o8i7u6y5",
            "under review",
            capability="add_friends",
            until=may(30),
        ),
    )
    h.act(may(24), ManualAction("unban", "account", "wxid_manual0z9x8c7v6", "appeal upheld"))
    return h


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def storage(request: pytest.FixtureRequest) -> Iterator[Storage]:
    if request.param == "memory":
        yield InMemoryStorage()
        return
    if request.param == "sqlite":
        url = f"sqlite:///{request.getfixturevalue('tmp_path') / 'reports.db'}"
        sqlite = SqlStorage.from_url(url)
        sqlite.migrate()
        yield sqlite
        sqlite.close()
        return
    postgres = SqlStorage(request.getfixturevalue("postgresql_engine"))
    postgres.migrate()
    yield postgres


def history_on(storage: Storage) -> History:
    clock = Clock()
    service = EnforcementService(storage, default_policy(), IdentityHasher("test-pepper"), clock)
    return History(service, clock)


@pytest.fixture
def month(storage: Storage) -> History:
    return build_month(history_on(storage))


@pytest.fixture
def memory_month() -> History:
    return build_month(history_on(InMemoryStorage()))
