"""Folding actions into a new history snapshot, so sequences replay without storage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from jingwang.core.enforcement.model import (
    Action,
    History,
    Restriction,
    Strike,
)


def apply(actions: Iterable[Action], history: History) -> History:
    """``history`` with ``actions`` recorded; the input snapshot is left untouched.

    Content deletions, warnings and refused registrations change no record: they are
    kept in the action log, not in the history the engine consults.
    """
    accounts = dict(history.accounts)
    subjects = dict(history.subjects)
    groups = dict(history.groups)
    for action in actions:
        current = History(accounts, subjects, groups)
        if action.target_type == "account":
            account = current.account(action.target_id)
            if action.kind == "strike":
                account = replace(account, strikes=(*account.strikes, _strike(action)))
            elif action.kind == "restrict":
                account = replace(
                    account, restrictions=(*account.restrictions, _restriction(action))
                )
            elif action.kind == "ban":
                account = replace(account, banned=True, ban_reason=action.reason)
            elif action.kind == "inherit_history" and action.related is not None:
                inherited = current.subject(action.related).strikes
                kept = tuple(strike for strike in inherited if strike.active(action.at))
                account = replace(account, strikes=(*account.strikes, *kept))
            else:
                continue
            accounts[account.account] = account
        elif action.target_type == "group":
            group = current.group(action.target_id)
            if action.kind == "strike":
                owner = action.related or group.owner
                group = replace(group, owner=owner, strikes=(*group.strikes, _strike(action)))
            elif action.kind == "restrict":
                group = replace(group, restrictions=(*group.restrictions, _restriction(action)))
            elif action.kind == "dissolve_group":
                group = replace(group, dissolved=True)
            else:
                continue
            groups[group.group] = group
        elif action.target_type == "subject":
            subject = current.subject(action.target_id)
            if action.kind == "record_subject_violation" and action.related is not None:
                subject = replace(
                    subject,
                    violating_accounts=subject.violating_accounts | {action.related},
                    strikes=(*subject.strikes, _strike(action)),
                )
            elif action.kind == "bar_subject_registration":
                subject = replace(subject, registration_barred=True)
            elif action.kind == "bar_subject_verification":
                subject = replace(subject, verification_barred=True)
            else:
                continue
            subjects[subject.subject] = subject
    return History(accounts, subjects, groups)


def _strike(action: Action) -> Strike:
    if action.weight is None or action.until is None:
        raise ValueError(f"{action.kind} action on {action.target_id} lacks weight or until")
    return Strike(action.weight, action.label or "", action.at, action.until, action.event_id)


def _restriction(action: Action) -> Restriction:
    if action.capability is None or action.until is None:
        raise ValueError(f"restrict action on {action.target_id} lacks capability or until")
    return Restriction(action.capability, action.at, action.until, action.reason)
