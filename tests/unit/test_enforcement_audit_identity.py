"""The audit hash chain and the hashing of identity data, without storage."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from jingwang.adapters.enforcement.identity import (
    DEV_PEPPER,
    PEPPER_ENV,
    IdentityHasher,
    mask,
    pepper_from_environment,
)
from jingwang.adapters.storage.audit import AuditDraft, AuditEntry, chain, verify_chain
from jingwang.settings import Settings, SettingsError

T0 = datetime(2025, 5, 1, tzinfo=UTC)


def entries(count: int) -> list[AuditEntry]:
    log: list[AuditEntry] = []
    for n in range(count):
        draft = AuditDraft(T0 + timedelta(minutes=n), "policy", "warn", f"account:a{n}", "spam")
        log.append(chain(draft, log[-1] if log else None))
    return log


def test_an_intact_chain_verifies() -> None:
    assert verify_chain(entries(5)).ok
    assert verify_chain([]).checked == 0


@pytest.mark.parametrize(
    "tamper",
    [
        lambda e: replace(e, reason="nothing happened"),
        lambda e: replace(e, actor="admin:someone"),
        lambda e: replace(e, evidence={"forged": True}),
        lambda e: replace(e, at=e.at + timedelta(seconds=1)),
    ],
)
def test_changing_any_field_breaks_the_chain_at_that_entry(tamper: object) -> None:
    log = entries(5)
    log[2] = tamper(log[2])  # type: ignore[operator]
    check = verify_chain(log)
    assert (check.ok, check.checked, check.first_bad_seq) == (False, 3, 3)


def test_removing_or_reordering_entries_is_detected() -> None:
    log = entries(5)
    assert verify_chain(log[:2] + log[3:]).first_bad_seq == 4
    assert verify_chain([log[1], log[0], *log[2:]]).first_bad_seq == 2


def test_recomputed_hash_on_a_changed_entry_still_breaks_the_next_link() -> None:
    log = entries(3)
    forged = chain(replace(AuditDraft(T0, "policy", "warn", "account:a1", "forged")), log[0])
    assert verify_chain([log[0], forged, log[2]]).first_bad_seq == 3


def test_the_time_zone_of_a_moment_does_not_change_its_hash() -> None:
    entry = entries(1)[0]
    shanghai = timezone(timedelta(hours=8))
    assert verify_chain([replace(entry, at=entry.at.astimezone(shanghai))]).ok


def test_identity_data_is_keyed_hashed_and_masked() -> None:
    hasher = IdentityHasher("pepper-one")
    document = hasher.document("11010119900307123x")
    assert document.digest == hasher.document(" 1101 0119 9003 0712 3X ").digest
    assert len(document.digest) == 64
    assert "110101" not in document.digest
    assert document.masked == "1****************X"
    assert hasher.phone("138-1234-5678").masked == "138****5678"
    assert IdentityHasher("pepper-two").document("11010119900307123X") != document
    assert hasher.phone("11010119900307123X").digest != document.digest
    assert mask("12", 3, 4) == "**"


def test_prod_mode_needs_a_real_pepper(monkeypatch: pytest.MonkeyPatch) -> None:
    prod = Settings(mode="prod", database_url="postgresql+psycopg://db/jw")
    monkeypatch.delenv(PEPPER_ENV, raising=False)
    assert pepper_from_environment(Settings(mode="dev")) == DEV_PEPPER
    with pytest.raises(SettingsError, match=PEPPER_ENV):
        pepper_from_environment(prod)
    monkeypatch.setenv(PEPPER_ENV, "short")
    with pytest.raises(SettingsError):
        pepper_from_environment(prod)
    monkeypatch.setenv(PEPPER_ENV, "x" * 40)
    assert pepper_from_environment(prod) == "x" * 40
