"""Propagation (mission §4): when a gang account is banned for a serious label, ban the
gang's other accounts and bar the subjects behind them, each action carrying the chain
of links from the banned account that justified it.

Only members reachable from the banned account through links at least as strong as
``min_link_strength`` are banned, so a policy stricter than the clustering threshold
narrows propagation rather than trusting the cluster wholesale. Accounts outside a gang
(a family sharing a phone with the offender) are never touched.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from jingwang.core.enforcement.model import Action
from jingwang.core.graph.attributes import kind_of
from jingwang.core.graph.gangs import Gang, GangDetector
from jingwang.core.graph.graph import Link

RULE = "gangs.propagate"
PropagatedKind = Literal["ban", "bar_subject_registration", "bar_subject_verification"]


@dataclass(frozen=True, slots=True)
class GangPolicy:
    """The policy file's ``gangs`` section (same field names)."""

    propagate_on: tuple[str, ...] = ("porn", "fraud")
    min_link_strength: float = 0.5
    bar_subject: bool = True


@dataclass(frozen=True, slots=True)
class PropagatedAction:
    """A measure propagated from ``banned_account``; ``links`` is the path of shared
    attributes from the banned account to the target (its first hop starts there)."""

    kind: PropagatedKind
    target_type: Literal["account", "subject"]
    target_id: str
    gang_id: str
    banned_account: str
    label: str
    links: tuple[Link, ...]

    @property
    def reason(self) -> str:
        path = " → ".join(f"{link.target} via {link.attribute}" for link in self.links)
        via = f": {self.banned_account} → {path}" if path else ""
        return f"{self.gang_id}: {self.label} ban of {self.banned_account}{via}"

    def to_action(self, at: datetime, policy_version: str, event_id: str | None = None) -> Action:
        """The enforcement ``Action`` for the store and the audit log."""
        return Action(
            kind=self.kind,
            target_type=self.target_type,
            target_id=self.target_id,
            at=at,
            reason=self.reason,
            rule=RULE,
            policy_version=policy_version,
            event_id=event_id,
            label=self.label,
            related=self.banned_account,
        )


def propagate(
    banned_account: str, reason_label: str, detector: GangDetector, policy: GangPolicy
) -> list[PropagatedAction]:
    """Bans of the banned account's gang and bars of its subjects; empty when the label
    does not propagate or the account belongs to no gang."""
    if reason_label not in policy.propagate_on:
        return []
    gang = detector.gang_of(banned_account)
    if gang is None:
        return []
    paths = _paths_within(gang, banned_account, detector, policy.min_link_strength)
    actions = [
        PropagatedAction("ban", "account", account, gang.id, banned_account, reason_label, path)
        for account, path in paths.items()
        if account != banned_account
    ]
    if policy.bar_subject:
        graph = detector.graph
        barred: set[str] = set()
        for account, path in paths.items():
            index = graph.index_of(account)
            assert index is not None
            subject = graph.node(index).subject
            if subject in barred:
                continue
            barred.add(subject)
            for kind in ("bar_subject_registration", "bar_subject_verification"):
                actions.append(
                    PropagatedAction(
                        kind, "subject", subject, gang.id, banned_account, reason_label, path
                    )
                )
    return actions


def _paths_within(
    gang: Gang, start: str, detector: GangDetector, min_strength: float
) -> dict[str, tuple[Link, ...]]:
    """Breadth-first from ``start`` over strong links between gang members: the shortest
    chain of links reaching each member (the start itself has an empty chain)."""
    graph = detector.graph
    members = set(gang.members)
    paths: dict[str, tuple[Link, ...]] = {start: ()}
    queue = deque([start])
    while queue:
        account = queue.popleft()
        index = graph.index_of(account)
        assert index is not None
        for key in graph.node(index).keys:
            holders = graph.index.holders(key)
            strength = graph.weights.strength(kind_of(key), len(holders))
            if len(holders) < 2 or strength < min_strength:
                continue
            for other in holders:
                target = graph.node(other).account
                if target in paths or target not in members:
                    continue
                link = Link(key, account, target, strength, len(holders))
                paths[target] = (*paths[account], link)
                queue.append(target)
    return paths
