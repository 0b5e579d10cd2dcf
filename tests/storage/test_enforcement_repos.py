"""One suite for the enforcement repositories: in-memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from jingwang.adapters.storage import (
    AccountRecord,
    ActionDraft,
    AuditDraft,
    DuplicateRecordError,
    EventRecord,
    GroupRecord,
    RegistrationRecord,
    Storage,
    SubjectRecord,
)
from jingwang.adapters.storage.audit import GENESIS_HASH, entry_hash

T0 = datetime(2025, 5, 1, 8, 0, 0, 123456, tzinfo=UTC)


def subject(subject_id: str = "s1", document_hash: str = "d" * 64) -> SubjectRecord:
    return SubjectRecord(subject_id, "person", document_hash, "1****************4", T0)


def account(account_id: str, subject_id: str = "s1", *, at: datetime = T0) -> AccountRecord:
    return AccountRecord(
        id=account_id,
        kind="personal",
        subject_id=subject_id,
        phone_hash="p" * 64,
        phone_masked="138****5678",
        device="dev-1",
        ip="203.0.113.7",
        registered_at=at,
        created_at=at,
        nickname="小王",
    )


def action(kind: str, target: tuple[str, str], **extra: object) -> ActionDraft:
    return ActionDraft(
        kind=kind,
        target_type=target[0],
        target_id=target[1],
        at=T0,
        reason="test",
        rule="labels.spam.strike",
        policy_version="2025.1",
        actor="policy",
        **extra,  # type: ignore[arg-type]  # the optional fields of ActionDraft
    )


def test_subjects_are_found_by_id_and_by_document(storage: Storage) -> None:
    with storage.enforcement() as unit:
        unit.subjects.add(subject())
    with storage.enforcement() as unit:
        assert unit.subjects.get("s1") == subject()
        assert unit.subjects.by_document("d" * 64) == subject()
        assert unit.subjects.get("s2") is None
        assert unit.subjects.by_document("e" * 64) is None


@pytest.mark.parametrize("duplicate", [subject("s1", "e" * 64), subject("s2", "d" * 64)])
def test_subject_id_and_document_are_unique(storage: Storage, duplicate: SubjectRecord) -> None:
    with storage.enforcement() as unit:
        unit.subjects.add(subject())
    with pytest.raises(DuplicateRecordError), storage.enforcement() as unit:
        unit.subjects.add(duplicate)


def test_accounts_by_subject_oldest_first(storage: Storage) -> None:
    with storage.enforcement() as unit:
        unit.subjects.add(subject())
        unit.subjects.add(subject("s2", "e" * 64))
        unit.accounts.add(account("b", at=T0 + timedelta(days=1)))
        unit.accounts.add(account("a", at=T0 + timedelta(days=2)))
        unit.accounts.add(account("c", "s2"))
    with storage.enforcement() as unit:
        assert unit.accounts.get("b") == account("b", at=T0 + timedelta(days=1))
        assert [a.id for a in unit.accounts.by_subject("s1")] == ["b", "a"]
        assert unit.accounts.get("zz") is None
        with pytest.raises(DuplicateRecordError):
            unit.accounts.add(account("a"))


def test_a_failed_transaction_stores_nothing(storage: Storage) -> None:
    with pytest.raises(RuntimeError), storage.enforcement() as unit:
        unit.subjects.add(subject())
        unit.accounts.add(account("a"))
        unit.audit.append(AuditDraft(T0, "policy", "x", "account:a", "r"))
        raise RuntimeError("fails before commit")
    with storage.enforcement() as unit:
        assert unit.accounts.get("a") is None
        assert unit.subjects.get("s1") is None
        assert unit.audit.page() == []


def test_groups_keep_owner_and_admins(storage: Storage) -> None:
    group = GroupRecord("g1", T0, "owner", ("adm1", "adm2"))
    with storage.enforcement() as unit:
        unit.groups.add(group)
        unit.groups.add(GroupRecord("g2", T0))
    with storage.enforcement() as unit:
        assert unit.groups.get("g1") == group
        assert unit.groups.get("g2") == GroupRecord("g2", T0)
        with pytest.raises(DuplicateRecordError):
            unit.groups.add(group)


def test_registrations_are_kept_per_subject_in_order(storage: Storage) -> None:
    first = RegistrationRecord("a", "s1", "p" * 64, "dev", "1.1.1.1", T0, "accepted")
    second = replace(first, account_id="b", outcome="refused", reason="barred")
    with storage.enforcement() as unit:
        unit.registrations.add(first)
        unit.registrations.add(second)
        unit.registrations.add(replace(first, subject_id="s2"))
    with storage.enforcement() as unit:
        assert unit.registrations.by_subject("s1") == [first, second]


def test_events_are_unique_and_listed_newest_first(storage: Storage) -> None:
    labels = ({"label": "spam", "score": 0.9, "evidence": [{"start": 0, "end": 2}]},)
    event = EventRecord("e1", "a", T0, "block", labels, T0, evasion=True, surface="chat")
    later = replace(event, event_id="e2", at=T0 + timedelta(hours=1), labels=())
    with storage.enforcement() as unit:
        unit.events.add(event)
        unit.events.add(later)
        unit.events.add(replace(event, event_id="e3", account_id="other"))
    with storage.enforcement() as unit:
        assert unit.events.get("e1") == event
        assert [e.event_id for e in unit.events.by_account("a")] == ["e2", "e1"]
        assert [e.event_id for e in unit.events.by_account("a", limit=1)] == ["e2"]
    with pytest.raises(DuplicateRecordError), storage.enforcement() as unit:
        unit.events.add(event)


def test_actions_get_increasing_ids_and_are_found_by_target_and_event(storage: Storage) -> None:
    until = T0 + timedelta(days=7)
    with storage.enforcement() as unit:
        strike = unit.actions.add(
            action("strike", ("account", "a"), event_id="e1", weight=2, until=until, label="spam")
        )
        restrict = unit.actions.add(
            action(
                "restrict", ("account", "a"), event_id="e1", capability="add_friends", until=until
            )
        )
        other = unit.actions.add(
            action("strike", ("group", "a"), event_id="e2", weight=1, until=until)
        )
    assert strike.id < restrict.id < other.id
    assert (strike.weight, strike.until, strike.target) == (2, until, "account:a")
    with storage.enforcement() as unit:
        assert unit.actions.for_targets([("account", "a")]) == [strike, restrict]
        assert unit.actions.for_targets([("group", "a"), ("account", "a")]) == [
            strike,
            restrict,
            other,
        ]
        assert unit.actions.for_targets([]) == []
        assert unit.actions.for_event("e1") == [strike, restrict]


def test_audit_entries_chain_from_genesis(storage: Storage) -> None:
    with storage.enforcement() as unit:
        first = unit.audit.append(AuditDraft(T0, "policy", "ban", "account:a", "porn", {"n": 1}))
        second = unit.audit.append(
            AuditDraft(T0, "admin:ops", "unban", "account:a", "appeal", {}, "2025.1")
        )
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.hash == entry_hash(2, second, first.hash)
    with storage.enforcement() as unit:
        assert unit.audit.page() == [first, second]
        assert unit.audit.page(after_seq=1) == [second]
        assert unit.audit.page(limit=1) == [first]
        check = unit.audit.verify(batch=1)
    assert (check.ok, check.checked, check.first_bad_seq) == (True, 2, None)


def test_audit_chain_continues_across_transactions(storage: Storage) -> None:
    for n in range(3):
        with storage.enforcement() as unit:
            unit.audit.append(
                AuditDraft(T0, "policy", "warn", f"account:{n}", "r", {"chinese": "违规"})
            )
    with storage.enforcement() as unit:
        assert [e.seq for e in unit.audit.page()] == [1, 2, 3]
        assert unit.audit.verify().ok
