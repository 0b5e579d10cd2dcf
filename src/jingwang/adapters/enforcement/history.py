"""Stored actions → the :class:`History` snapshot the pure engine reads.

State is never stored: it is the fold of the action log, the same fold ``policy
simulate`` runs (:func:`apply`), plus the manual-only kinds the engine never emits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Final, get_args

from jingwang.adapters.storage import ActionRecord
from jingwang.core.enforcement import Action, ActionKind, History, TargetType, apply

ENGINE_KINDS: Final[frozenset[str]] = frozenset(get_args(ActionKind))
_TARGET_TYPES: Final[dict[str, TargetType]] = {t: t for t in get_args(TargetType)}


def as_engine_action(record: ActionRecord) -> Action:
    if record.kind not in ENGINE_KINDS:
        raise ValueError(f"{record.kind} is not an engine action")
    return Action(
        kind=record.kind,  # type: ignore[arg-type]  # checked against ActionKind above
        target_type=_TARGET_TYPES[record.target_type],
        target_id=record.target_id,
        at=record.at,
        reason=record.reason,
        rule=record.rule,
        policy_version=record.policy_version,
        event_id=record.event_id,
        capability=record.capability,
        until=record.until,
        weight=record.weight,
        label=record.label,
        related=record.related,
    )


def history_of(records: Iterable[ActionRecord]) -> History:
    """Fold ``records`` (in the order they were taken) into a history snapshot."""
    history = History()
    pending: list[Action] = []
    for record in records:
        if record.kind in ENGINE_KINDS:
            pending.append(as_engine_action(record))
            continue
        history, pending = apply(pending, history), []
        if record.kind == "unban":
            account = replace(history.account(record.target_id), banned=False, ban_reason=None)
            history = History(
                {**history.accounts, account.account: account}, history.subjects, history.groups
            )
    return apply(pending, history)


def reverification_required(records: Iterable[ActionRecord], account_id: str) -> bool:
    return any(
        r.kind == "require_reverification" and r.target == f"account:{account_id}" for r in records
    )
