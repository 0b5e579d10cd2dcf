"""How much a shared attribute says about two accounts belonging to one operator.

A link's strength is its kind's base weight, discounted by how common the value is:
``base * min(1, cap / holders)``. A device shared by 3 accounts keeps its full weight;
a carrier-NAT address behind thousands of subscribers, or the app's default avatar,
falls to nearly nothing. Kinds whose base is below the clustering threshold (IPs,
networks, nickname templates, avatars) never join accounts on their own: they only
corroborate a cluster that strong links formed, which is what lets campus Wi-Fi and
office networks, full of unrelated long-lived accounts, stay unclustered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from jingwang.core.graph import attributes as attr


@dataclass(frozen=True, slots=True)
class KindWeight:
    base: float
    cap: int


DEFAULT_WEIGHTS: Mapping[str, KindWeight] = MappingProxyType(
    {
        attr.DEVICE: KindWeight(1.0, 20),
        attr.IDENTITY: KindWeight(1.0, 50),
        attr.PAYMENT: KindWeight(1.0, 20),
        # Verification is an explicit act between two accounts, however many there are.
        attr.VERIFIER: KindWeight(1.0, 1_000_000),
        attr.PHONE_BLOCK: KindWeight(0.7, 100),
        attr.IP: KindWeight(0.4, 20),
        attr.AVATAR: KindWeight(0.4, 20),
        attr.NICK_TEMPLATE: KindWeight(0.3, 50),
        attr.SUBNET: KindWeight(0.2, 50),
    }
)


@dataclass(frozen=True, slots=True)
class LinkWeights:
    """Per-kind weights and the strength from which a link joins two accounts."""

    kinds: Mapping[str, KindWeight] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    min_link_strength: float = 0.5

    def strength(self, kind: str, holders: int) -> float:
        weight = self.kinds.get(kind)
        if weight is None:
            return 0.0
        return weight.base * min(1.0, weight.cap / max(holders, 1))

    def joins(self, kind: str, holders: int) -> bool:
        return self.strength(kind, holders) >= self.min_link_strength

    def is_distinctive(self, kind: str, holders: int) -> bool:
        """Whether a value is rare enough to mean anything: beyond twice its kind's cap
        (a NAT address, the default avatar, an emulator's device id) it does not."""
        weight = self.kinds.get(kind)
        return weight is not None and holders <= 2 * weight.cap

    def join_limits(self) -> dict[str, int]:
        """For each kind that can join accounts, the most holders at which it still does
        (strength ≥ threshold ⇔ holders ≤ base · cap / threshold)."""
        return {
            kind: max(weight.cap, int(weight.base * weight.cap / self.min_link_strength + 1e-9))
            for kind, weight in self.kinds.items()
            if weight.base >= self.min_link_strength
        }
