"""The incremental association graph: accounts, the attributes they share, clusters.

Every registration adds one account node and its attribute keys, and joins the account
to the cluster of every other holder of a key whose link is still strong. Strength only
falls as a value gains holders, so a key that is strong now was strong for every earlier
holder and those are already one cluster: joining to one holder suffices. When a value
becomes too common (a device id that turns out to be an emulator default), the joins it
made are no longer justified; the graph is marked stale and ``rebuild_clusters``
recomputes them from the final counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from jingwang.core.graph import attributes as attr
from jingwang.core.graph.index import AttributeIndex, Clusters
from jingwang.core.graph.records import Activity, Record, RecordError, Registration, ScanLabel
from jingwang.core.graph.weights import LinkWeights

DAY = 86_400.0
TRADING_SUBCATEGORIES = frozenset({"account_trading"})


@dataclass(slots=True)
class Behaviour:
    """What an account did after registering, summarised for the 养号 and trading
    detectors: harmless activity days before its first violation, and its labels."""

    first_active: float | None = None
    benign_days_before_violation: set[int] = field(default_factory=set)
    first_violation: float | None = None
    violations: int = 0
    trading_labels: int = 0


@dataclass(slots=True)
class AccountNode:
    account: str
    at: float
    subject: str
    keys: tuple[str, ...]
    avatar: int | None
    behaviour: Behaviour | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """Two accounts joined by one shared attribute, and how strongly it joins them."""

    attribute: str
    source: str
    target: str
    strength: float
    holders: int


class AssociationGraph:
    """Accounts and their shared attributes, with clusters of strongly linked accounts."""

    def __init__(self, weights: LinkWeights | None = None) -> None:
        self.weights = weights or LinkWeights()
        self._join_limits = self.weights.join_limits()
        self.index = AttributeIndex()
        self.clusters = Clusters()
        self._nodes: list[AccountNode] = []
        self._by_account: dict[str, int] = {}
        self._stale = False
        self.trading_accounts: set[int] = set()

    def __len__(self) -> int:
        return len(self._nodes)

    def node(self, index: int) -> AccountNode:
        return self._nodes[index]

    def index_of(self, account: str) -> int | None:
        return self._by_account.get(account)

    @property
    def stale(self) -> bool:
        return self._stale

    def add(self, record: Record) -> None:
        if isinstance(record, Registration):
            self.add_registration(record)
        elif isinstance(record, Activity):
            self.add_activity(record)
        else:
            self.add_scan_label(record)

    def add_registration(self, reg: Registration) -> int:
        """Add the account and join it to the clusters its strong links reach."""
        if reg.account in self._by_account:
            raise RecordError(f"account: {reg.account!r} is registered twice")
        index = self.clusters.add()
        keys = attr.registration_keys(reg)
        self._nodes.append(
            AccountNode(reg.account, reg.at, reg.subject, keys, attr.avatar_bits(reg.avatar))
        )
        self._by_account[reg.account] = index
        verifier = self._by_account.get(reg.verified_by) if reg.verified_by else None
        if verifier is not None:
            self._give_verifier_key(verifier, attr.key(attr.VERIFIER, reg.verified_by))
        for key in keys:
            self._hold(key, index)
        return index

    def _give_verifier_key(self, verifier: int, verifier_key: str) -> None:
        # The voucher holds its own verification key so that it shares it with every
        # account it vouched for.
        node = self._nodes[verifier]
        if verifier_key not in node.keys:
            node.keys = (*node.keys, verifier_key)
            self._hold(verifier_key, verifier)

    def _hold(self, key: str, index: int) -> None:
        holders = self.index.add(key, index)
        limit = self._join_limits.get(attr.kind_of(key))
        if holders < 2 or limit is None:
            return
        if holders <= limit:
            self.clusters.union(self.index.holders(key)[0], index)
        elif holders == limit + 1:
            self._stale = True

    def add_activity(self, activity: Activity) -> None:
        behaviour = self._behaviour(activity.account)
        if behaviour is None or activity.count == 0:
            return
        if behaviour.first_active is None or activity.at < behaviour.first_active:
            behaviour.first_active = activity.at
        if behaviour.first_violation is None or activity.at < behaviour.first_violation:
            behaviour.benign_days_before_violation.add(int(activity.at // DAY))

    def add_scan_label(self, label: ScanLabel) -> None:
        behaviour = self._behaviour(label.account)
        if behaviour is None:
            return
        if behaviour.first_active is None or label.at < behaviour.first_active:
            behaviour.first_active = label.at
        if behaviour.first_violation is None or label.at < behaviour.first_violation:
            behaviour.first_violation = label.at
            day = int(label.at // DAY)
            behaviour.benign_days_before_violation = {
                d for d in behaviour.benign_days_before_violation if d < day
            }
        behaviour.violations += 1
        if label.subcategory in TRADING_SUBCATEGORIES:
            behaviour.trading_labels += 1
            index = self._by_account[label.account]
            self.trading_accounts.add(index)

    def _behaviour(self, account: str) -> Behaviour | None:
        """The behaviour record of a registered account; ``None`` for unknown accounts,
        whose events are ignored (they registered before the log began)."""
        index = self._by_account.get(account)
        if index is None:
            return None
        node = self._nodes[index]
        if node.behaviour is None:
            node.behaviour = Behaviour()
        return node.behaviour

    def strength(self, key: str) -> float:
        return self.weights.strength(attr.kind_of(key), self.index.count(key))

    def strong_links(self, index: int, min_strength: float | None = None) -> Iterator[Link]:
        """Links from the account at ``index`` to every other holder of its strong keys."""
        threshold = self.weights.min_link_strength if min_strength is None else min_strength
        node = self._nodes[index]
        for key in node.keys:
            holders = self.index.holders(key)
            strength = self.weights.strength(attr.kind_of(key), len(holders))
            if len(holders) < 2 or strength < threshold:
                continue
            for other in holders:
                if other != index:
                    target = self._nodes[other].account
                    yield Link(key, node.account, target, strength, len(holders))

    def cluster(self, index: int) -> Sequence[int]:
        return self.clusters.members(index)

    def rebuild_clusters(self) -> None:
        """Recompute every cluster from the current holder counts."""
        self.clusters.reset()
        for key, holders in self.index.shared():
            if len(holders) <= self._join_limits.get(attr.kind_of(key), 0):
                first = holders[0]
                for other in holders[1:]:
                    self.clusters.union(first, other)
        self._stale = False
