"""Gang decisions over clusters, in batch (``detect``) and per registration.

A cluster is a gang when the weights of its detectors' signals reach ``min_score`` and
it has ``min_members`` accounts, or when one signal is decisive on its own (its weight
reaches the threshold). Decisions are cached by cluster root, so that a registration
joining a known gang is flagged with one union-find lookup per strong attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jingwang.core.graph.attributes import kind_of, registration_keys
from jingwang.core.graph.detectors import DETECTORS, DetectorConfig, Signal
from jingwang.core.graph.graph import AssociationGraph, Link
from jingwang.core.graph.records import Registration


@dataclass(frozen=True, slots=True)
class Gang:
    """A cluster judged to be one operator's accounts, with every signal behind it."""

    id: str
    members: tuple[str, ...]
    score: float
    signals: tuple[Signal, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(signal.kind for signal in self.signals)


@dataclass(frozen=True, slots=True)
class GangAssessment:
    """What the graph says about a new account the moment it registers: the gang it
    joined (if any) and its strong links to that gang's accounts."""

    account: str
    gang: Gang | None
    links: tuple[Link, ...]

    @property
    def flagged(self) -> bool:
        return self.gang is not None


class GangDetector:
    """An association graph with cached gang decisions for its clusters."""

    def __init__(
        self, graph: AssociationGraph | None = None, config: DetectorConfig | None = None
    ) -> None:
        self.graph = graph or AssociationGraph()
        self.config = config or DetectorConfig()
        self._gangs: dict[int, Gang] = {}

    def assess(self, members: Sequence[int]) -> Gang | None:
        """The gang these accounts form, or ``None`` when the evidence falls short."""
        nodes = [self.graph.node(index) for index in members]
        signals = [
            signal
            for detector in DETECTORS
            if (signal := detector(self.graph, nodes, self.config)) is not None
        ]
        score = sum(signal.weight for signal in signals)
        decisive = any(signal.weight >= self.config.min_score for signal in signals)
        if score < self.config.min_score:
            return None
        if len(nodes) < self.config.min_members and not decisive:
            return None
        founder = min(nodes, key=lambda node: (node.at, node.account))
        members_sorted = tuple(sorted(node.account for node in nodes))
        return Gang(f"gang:{founder.account}", members_sorted, round(score, 3), tuple(signals))

    def detect(self) -> list[Gang]:
        """Assess every cluster afresh (rebuilding stale clusters first); largest first."""
        graph = self.graph
        if graph.stale:
            graph.rebuild_clusters()
        roots = set(graph.clusters.roots(min(self.config.min_members, 2)))
        roots.update(graph.clusters.find(index) for index in graph.trading_accounts)
        self._gangs = {}
        for root in roots:
            gang = self.assess(graph.cluster(root))
            if gang is not None:
                self._gangs[root] = gang
        return sorted(self._gangs.values(), key=lambda gang: (-len(gang.members), gang.id))

    def gang_of(self, account: str) -> Gang | None:
        """The gang the account belongs to, assessing its cluster when not yet known."""
        index = self.graph.index_of(account)
        if index is None:
            return None
        root = self.graph.clusters.find(index)
        if root not in self._gangs:
            gang = self.assess(self.graph.cluster(root))
            if gang is None:
                return None
            self._gangs[root] = gang
        return self._gangs[root]

    def on_registration(self, reg: Registration) -> GangAssessment:
        """Add the account; flag it when its strong links reach a gang."""
        graph = self.graph
        reached = self._roots_reached(reg)
        index = graph.add_registration(reg)
        links = tuple(graph.strong_links(index))
        if not links:
            return GangAssessment(reg.account, None, ())
        root = graph.clusters.find(index)
        # The union moved the reached clusters under one root; their decisions move too.
        known = [found for old in reached if (found := self._gangs.pop(old, None)) is not None]
        if known:
            gang: Gang | None = max(known, key=lambda found: len(found.members))
        else:
            gang = self.assess(graph.cluster(root))
        if gang is None:
            return GangAssessment(reg.account, None, links)
        self._gangs[root] = gang
        return GangAssessment(reg.account, gang, links)

    def _roots_reached(self, reg: Registration) -> set[int]:
        """Roots of the clusters a registration will join, looked up before it does."""
        graph = self.graph
        reached: set[int] = set()
        for key in registration_keys(reg):
            holders = graph.index.holders(key)
            if holders and graph.weights.joins(kind_of(key), len(holders) + 1):
                reached.add(graph.clusters.find(holders[0]))
        verifier = graph.index_of(reg.verified_by) if reg.verified_by else None
        if verifier is not None:
            reached.add(graph.clusters.find(verifier))
        return reached
