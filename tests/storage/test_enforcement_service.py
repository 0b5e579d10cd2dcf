"""The enforcement service: records in, pure engine, actions and audit entries out.

Tests with the ``service`` fixture run on every back end (they exercise the reads that
build the engine's history and the writes of one transaction); the rest run in memory,
as the API scenarios cover the SQL back ends end to end.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import pytest

from jingwang.adapters.enforcement import (
    ConflictError,
    EnforcementService,
    IdentityHasher,
    IncomingEvent,
    InvalidActionError,
    ManualAction,
    NewAccount,
    NotFoundError,
)
from jingwang.adapters.storage import InMemoryStorage, Storage
from jingwang.core.policy import default_policy
from jingwang.core.types import Decision, LabelResult

T0 = datetime(2025, 5, 1, 8, tzinfo=UTC)
DOCUMENT = "110101199003071234"
PHONE = "13812345678"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def service_on(storage: Storage, clock: Clock) -> EnforcementService:
    return EnforcementService(storage, default_policy(), IdentityHasher("test-pepper"), clock)


@pytest.fixture
def service(storage: Storage, clock: Clock) -> EnforcementService:
    return service_on(storage, clock)


@pytest.fixture
def memory_service(clock: Clock) -> EnforcementService:
    return service_on(InMemoryStorage(), clock)


def new_account(account_id: str, subject: str = "s1", document: str = DOCUMENT) -> NewAccount:
    return NewAccount(account_id, "personal", subject, document, PHONE, "dev", "10.0.0.1", T0)


def block(label: str, subcategory: str | None = None) -> Decision:
    return Decision("d", "block", (LabelResult(label, 0.95, subcategory),))


def post(service: EnforcementService, event_id: str, account: str, decision: Decision) -> list[str]:
    outcome = service.record_event(IncomingEvent(event_id, account, T0), decision)
    return [action.kind for action in outcome.actions]


def test_registration_stores_only_digests_and_is_audited(
    memory_service: EnforcementService,
) -> None:
    service = memory_service
    registration = service.register(new_account("a1"), "service:app")
    assert registration.account is not None
    assert registration.account.status.state == "active"
    with service.storage.enforcement() as unit:
        stored = [asdict(unit.accounts.get("a1")), asdict(unit.subjects.get("s1"))]  # type: ignore[arg-type]
        audit = unit.audit.page()
    assert DOCUMENT not in repr(stored)
    assert PHONE not in repr(stored)
    assert stored[0]["phone_masked"] == "138****5678"
    assert [(e.what, e.target, e.actor) for e in audit] == [
        ("register_account", "account:a1", "service:app")
    ]


def test_a_replayed_event_applies_nothing_twice(service: EnforcementService) -> None:
    service.register(new_account("a1"), "service:app")
    first = service.record_event(IncomingEvent("e1", "a1", T0), block("spam"))
    again = service.record_event(IncomingEvent("e1", "a1", T0), block("porn"))
    assert again == first
    assert [a.kind for a in first.actions] == [
        "delete_content",
        "warn",
        "strike",
        "record_subject_violation",
    ]
    view = service.account("a1")
    assert view is not None
    assert view.status.active_weight == 1
    assert service.verify_audit().checked == 1 + len(first.actions)


def test_an_unknown_account_is_refused_and_nothing_is_stored(
    memory_service: EnforcementService,
) -> None:
    service = memory_service
    with pytest.raises(NotFoundError, match="no account ghost"):
        service.record_event(IncomingEvent("e1", "ghost", T0, group="g1"), block("spam"))
    assert service.stored_outcome("e1") is None
    assert service.group("g1") is None


def test_a_barred_subject_is_refused_and_the_refusal_is_recorded(
    service: EnforcementService,
) -> None:
    for n in range(3):
        service.register(new_account(f"a{n}"), "service:app")
        post(service, f"e{n}", f"a{n}", block("spam"))
    subject = service.subject("s1")
    assert subject is not None
    assert subject.history.registration_barred
    assert subject.violations == 3
    # A fresh subject id with the same document is the same person.
    refused = service.register(new_account("a9", subject="s-new"), "service:app")
    assert refused.account is None
    assert refused.refusal is not None
    assert refused.refusal.kind == "refuse_registration"
    assert service.account("a9") is None
    with service.storage.enforcement() as unit:
        outcomes = [r.outcome for r in unit.registrations.by_subject("s1")]
    assert outcomes == ["accepted", "accepted", "accepted", "refused"]


def test_a_new_account_inherits_its_subjects_record(memory_service: EnforcementService) -> None:
    memory_service.register(new_account("old"), "service:app")
    post(memory_service, "e1", "old", block("gambling"))
    registration = memory_service.register(new_account("new"), "service:app")
    assert registration.account is not None
    assert registration.account.status.active_weight == 4


def test_conflicting_registrations(memory_service: EnforcementService) -> None:
    memory_service.register(new_account("a1"), "service:app")
    with pytest.raises(ConflictError, match="already exists"):
        memory_service.register(new_account("a1"), "service:app")
    with pytest.raises(ConflictError, match="different identity document"):
        memory_service.register(new_account("a2", document="220101199001011111"), "x")


def test_restrictions_expire_with_the_clock(
    memory_service: EnforcementService, clock: Clock
) -> None:
    memory_service.register(new_account("a1"), "service:app")
    until = T0 + timedelta(days=2)
    manual = ManualAction("restrict", "account", "a1", "spam wave", "add_friends", until)
    memory_service.act(manual, "moderator:mia")
    view = memory_service.account("a1")
    assert view is not None
    assert view.status.state == "restricted"
    clock.now = until
    view = memory_service.account("a1")
    assert view is not None
    assert (view.status.state, view.status.restrictions) == ("active", ())


def test_ban_unban_and_reverification(memory_service: EnforcementService) -> None:
    memory_service.register(new_account("a1"), "service:app")
    memory_service.act(ManualAction("ban", "account", "a1", "sells accounts"), "admin:ops")
    view = memory_service.account("a1")
    assert view is not None
    assert (view.status.state, view.ban_reason) == ("banned", "sells accounts")
    memory_service.act(ManualAction("unban", "account", "a1", "appeal upheld"), "admin:ops")
    memory_service.act(ManualAction("require_reverification", "account", "a1", "lent ID"), "m")
    view = memory_service.account("a1")
    assert view is not None
    assert (view.status.state, view.reverification_required) == ("active", True)
    with pytest.raises(ConflictError, match="not banned"):
        memory_service.act(ManualAction("unban", "account", "a1", "again"), "admin:ops")


def test_manual_bans_count_against_the_subject(service: EnforcementService) -> None:
    for n in range(4):
        service.register(new_account(f"a{n}"), "service:app")
    for n in range(2):
        service.act(ManualAction("ban", "account", f"a{n}", "sells accounts"), "admin:ops")
    service.act(ManualAction("ban", "account", "a0", "again"), "admin:ops")  # counted once
    subject = service.subject("s1")
    assert subject is not None
    assert subject.history.violating_accounts == frozenset({"a0", "a1"})
    assert not subject.history.registration_barred
    service.act(ManualAction("ban", "account", "a2", "sells accounts"), "admin:ops")
    subject = service.subject("s1")
    assert subject is not None
    assert (subject.history.registration_barred, subject.history.verification_barred) == (
        True,
        True,
    )
    refused = service.register(new_account("a9"), "service:app")
    assert refused.account is None


def test_group_and_subject_measures(memory_service: EnforcementService) -> None:
    memory_service.register(new_account("a1"), "service:app")
    memory_service.create_group("g1", "a1", ["a2"], "service:app")
    memory_service.act(ManualAction("dissolve", "group", "g1", "porn group"), "admin:ops")
    group = memory_service.group("g1")
    assert group is not None
    assert (group.status.state, group.record.admins) == ("dissolved", ("a2",))
    with pytest.raises(ConflictError, match="already dissolved"):
        memory_service.act(ManualAction("dissolve", "group", "g1", "again"), "admin:ops")
    kinds = [
        r.kind
        for r in memory_service.act(ManualAction("bar_subject", "subject", "s1", "gang"), "a")
    ]
    assert kinds == ["bar_subject_registration", "bar_subject_verification"]


@pytest.mark.parametrize(
    ("manual", "error"),
    [
        (ManualAction("ban", "group", "g1", "r"), InvalidActionError),
        (ManualAction("ban", "account", "nobody", "r"), NotFoundError),
        (ManualAction("ban", "account", "a1", "  "), InvalidActionError),
        (
            ManualAction("restrict", "account", "a1", "r", "teleport", T0 + timedelta(1)),
            InvalidActionError,
        ),
        (ManualAction("restrict", "account", "a1", "r", "add_friends", T0), InvalidActionError),
    ],
)
def test_invalid_manual_actions_are_refused(
    memory_service: EnforcementService, manual: ManualAction, error: type[Exception]
) -> None:
    memory_service.register(new_account("a1"), "service:app")
    memory_service.create_group("g1", None, [], "service:app")
    with pytest.raises(error):
        memory_service.act(manual, "admin:ops")
    assert memory_service.verify_audit().checked == 2


def test_concurrent_writers_are_serialized(service: EnforcementService, storage: Storage) -> None:
    service.register(new_account("a1"), "service:app")
    same = [("e1", "a1")] * 4
    different = [(f"e{n}", "a1") for n in range(2, 6)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        replays = list(pool.map(lambda args: post(service, *args, block("spam")), same))
        list(pool.map(lambda args: post(service, *args, block("spam")), different))
    assert all(kinds == replays[0] for kinds in replays)
    with storage.enforcement() as unit:
        assert len(unit.actions.for_event("e1")) == len(replays[0])
    # Serialized, the five strikes add up, and the third crossed the first step.
    view = service.account("a1")
    assert view is not None
    assert (view.status.state, view.status.active_weight) == ("restricted", 5)
    check = service.verify_audit()
    assert (check.ok, check.checked) == (True, 1 + 5 * 4 + 2)
