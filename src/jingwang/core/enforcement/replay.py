"""Replaying recorded events under a policy, and comparing two policies' outcomes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from jingwang.core.enforcement.apply import apply
from jingwang.core.enforcement.engine import evaluate, evaluate_registration
from jingwang.core.enforcement.model import Action, ContentEvent, Event, History
from jingwang.core.enforcement.status import account_status
from jingwang.core.policy import Policy


@dataclass(frozen=True, slots=True)
class Replay:
    history: History
    actions: tuple[Action, ...]


@dataclass(frozen=True, slots=True)
class AccountOutcome:
    """An account's state at the end of a replay (``active``, ``restricted``, ``banned``,
    or ``refused`` for a registration that was refused) and how often each action hit it."""

    account: str
    state: str
    active_weight: int
    action_counts: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class OutcomeChange:
    account: str
    baseline: AccountOutcome | None
    candidate: AccountOutcome | None


def replay(events: Iterable[Event], policy: Policy, history: History | None = None) -> Replay:
    """Evaluate events in time order (ties in the given order), each at its own time."""
    current = history or History()
    log: list[Action] = []
    for event in sorted(events, key=lambda event: event.at):
        if isinstance(event, ContentEvent):
            actions = evaluate(event, current, policy, event.at)
        else:
            actions = evaluate_registration(event, current, policy, event.at)
        current = apply(actions, current)
        log += actions
    return Replay(current, tuple(log))


def account_outcomes(
    result: Replay, accounts: Iterable[str], now: datetime
) -> dict[str, AccountOutcome]:
    """Per account (those named plus every one an action targeted), sorted by id."""
    counts: dict[str, Counter[str]] = {account: Counter() for account in accounts}
    for action in result.actions:
        if action.target_type == "account":
            counts.setdefault(action.target_id, Counter())[action.kind] += 1
    outcomes = {}
    for account in sorted(counts):
        status = account_status(result.history.account(account), now)
        # A refused registration never became an account; calling it "active" would mislead.
        refused = counts[account]["refuse_registration"] and account not in result.history.accounts
        outcomes[account] = AccountOutcome(
            account,
            "refused" if refused else status.state,
            status.active_weight,
            tuple(sorted(counts[account].items())),
        )
    return outcomes


def compare(
    baseline: dict[str, AccountOutcome], candidate: dict[str, AccountOutcome]
) -> list[OutcomeChange]:
    """Accounts whose state, weight or action counts differ between two replays."""
    return [
        OutcomeChange(account, baseline.get(account), candidate.get(account))
        for account in sorted(baseline.keys() | candidate.keys())
        if baseline.get(account) != candidate.get(account)
    ]
