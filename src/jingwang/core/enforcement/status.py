"""What a record means at a given moment: only unexpired strikes and restrictions count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from jingwang.core.enforcement.model import (
    AccountHistory,
    GroupHistory,
    Restriction,
    active_weight,
)

AccountState = Literal["active", "restricted", "banned"]
GroupState = Literal["active", "restricted", "dissolved"]


@dataclass(frozen=True, slots=True)
class Status:
    """``restrictions`` holds, per withheld capability, the one that ends last."""

    state: AccountState | GroupState
    active_weight: int
    restrictions: tuple[Restriction, ...] = ()

    @property
    def capabilities_withheld(self) -> tuple[str, ...]:
        return tuple(restriction.capability for restriction in self.restrictions)


def account_status(account: AccountHistory, now: datetime) -> Status:
    weight = active_weight(account.strikes, now)
    if account.banned:
        return Status("banned", weight)
    restrictions = _in_force(account.restrictions, now)
    return Status("restricted" if restrictions else "active", weight, restrictions)


def group_status(group: GroupHistory, now: datetime) -> Status:
    weight = active_weight(group.strikes, now)
    if group.dissolved:
        return Status("dissolved", weight)
    restrictions = _in_force(group.restrictions, now)
    return Status("restricted" if restrictions else "active", weight, restrictions)


def may_use(account: AccountHistory, capability: str, now: datetime) -> bool:
    """Whether ``account`` may use ``capability`` at ``now``."""
    status = account_status(account, now)
    return status.state != "banned" and capability not in status.capabilities_withheld


def _in_force(restrictions: tuple[Restriction, ...], now: datetime) -> tuple[Restriction, ...]:
    latest: dict[str, Restriction] = {}
    for restriction in restrictions:
        if not restriction.active(now):
            continue
        known = latest.get(restriction.capability)
        if known is None or known.until < restriction.until:
            latest[restriction.capability] = restriction
    return tuple(sorted(latest.values(), key=lambda r: r.capability))
