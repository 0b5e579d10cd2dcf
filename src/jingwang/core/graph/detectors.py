"""Detectors: each looks at one cluster of strongly linked accounts and returns a
``Signal`` (with the attributes and the accounts that show it) or ``None``.

A cluster alone proves little — a family shares a device, an office buys a batch of SIM
cards — so each signal carries a weight and ``gangs.assess`` adds them up. Signals that
are violations on their own (one identity behind many accounts, a paid verification
service, advertised account trading) weigh as much as the whole threshold.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from jingwang.core.graph import attributes as attr
from jingwang.core.graph.graph import DAY, AccountNode, AssociationGraph

BURST = "burst"
DEVICE_FARM = "device_farm"
SHARED_PAYMENT = "shared_payment"
PHONE_BLOCK = "phone_block"
SHARED_IP = "shared_ip"
TEMPLATED_NICKNAMES = "templated_nicknames"
TEMPLATED_AVATARS = "templated_avatars"
RAISING = "raising"
IDENTITY_REUSE = "identity_reuse"
QR_VERIFICATION = "qr_verification"
ACCOUNT_TRADING = "account_trading"

DEFAULT_SIGNAL_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        BURST: 1.0,
        DEVICE_FARM: 1.0,
        SHARED_PAYMENT: 1.0,
        TEMPLATED_NICKNAMES: 1.0,
        TEMPLATED_AVATARS: 1.0,
        RAISING: 1.0,
        # Batches of SIM cards and shared office addresses are ordinary; they only add
        # to other evidence.
        PHONE_BLOCK: 0.4,
        SHARED_IP: 0.4,
        IDENTITY_REUSE: 2.0,
        QR_VERIFICATION: 2.0,
        ACCOUNT_TRADING: 2.0,
    }
)


@dataclass(frozen=True, slots=True)
class DetectorConfig:
    """Thresholds of the detectors and of the gang decision."""

    signal_weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_SIGNAL_WEIGHTS)
    min_score: float = 2.0
    min_members: int = 3
    burst_window_s: float = 3_600.0
    burst_min: int = 5
    farm_device_min: int = 5
    payment_min: int = 3
    phone_block_min: int = 5
    shared_ip_min: int = 5
    template_min: int = 5
    template_share: float = 0.5
    avatar_max_distance: int = 4
    avatar_min: int = 5
    avatar_share: float = 0.5
    raising_dormant_days: float = 7.0
    raising_warmup_days: int = 3
    raising_min: int = 3
    identity_min: int = 5
    qr_min: int = 10
    trading_min_labels: int = 2


@dataclass(frozen=True, slots=True)
class Signal:
    """One detector's finding on a cluster: what is shared, and by which accounts."""

    kind: str
    weight: float
    attributes: tuple[str, ...]
    accounts: tuple[str, ...]
    detail: str


Detector = Callable[[AssociationGraph, Sequence[AccountNode], DetectorConfig], Signal | None]


def _signal(
    kind: str,
    config: DetectorConfig,
    attributes: Sequence[str],
    nodes: Sequence[AccountNode],
    detail: str,
) -> Signal:
    accounts = tuple(sorted({node.account for node in nodes}))
    weight = config.signal_weights.get(kind, 0.0)
    return Signal(kind, weight, tuple(attributes), accounts, detail)


def _holders_of_kind(nodes: Sequence[AccountNode], kind: str) -> dict[str, list[AccountNode]]:
    by_key: dict[str, list[AccountNode]] = defaultdict(list)
    prefix = f"{kind}:"
    for node in nodes:
        for key in node.keys:
            if key.startswith(prefix):
                by_key[key].append(node)
    return by_key


def _distinctive(graph: AssociationGraph, key: str) -> bool:
    return graph.weights.is_distinctive(attr.kind_of(key), graph.index.count(key))


def _shared_value(
    kind: str, signal_kind: str, minimum: Callable[[DetectorConfig], int], what: str
) -> Detector:
    """A detector for "one value of ``kind`` held by ≥ ``minimum`` cluster members",
    ignoring values so common across the platform that they are no longer links."""

    def detect(
        graph: AssociationGraph, nodes: Sequence[AccountNode], config: DetectorConfig
    ) -> Signal | None:
        limit = minimum(config)
        found = [
            (key, holders)
            for key, holders in _holders_of_kind(nodes, kind).items()
            if len(holders) >= limit and _distinctive(graph, key)
        ]
        if not found:
            return None
        keys = [key for key, _ in found]
        members = [node for _, holders in found for node in holders]
        largest = max(len(holders) for _, holders in found)
        detail = f"{len(found)} {what} each shared by ≥{limit} accounts (largest {largest})"
        return _signal(signal_kind, config, keys, members, detail)

    return detect


def burst(
    graph: AssociationGraph, nodes: Sequence[AccountNode], config: DetectorConfig
) -> Signal | None:
    """Many members registered within one window (sliding, over the sorted times)."""
    ordered = sorted(nodes, key=lambda node: node.at)
    best_start, best_count, start = 0, 0, 0
    for end, node in enumerate(ordered):
        while node.at - ordered[start].at > config.burst_window_s:
            start += 1
        if end - start + 1 > best_count:
            best_start, best_count = start, end - start + 1
    if best_count < config.burst_min:
        return None
    window = ordered[best_start : best_start + best_count]
    shared = Counter(key for node in window for key in node.keys)
    keys = sorted(key for key, count in shared.items() if count >= 2 and graph.strength(key) > 0)
    minutes = (window[-1].at - window[0].at) / 60
    detail = f"{best_count} registrations within {minutes:.0f} min"
    return _signal(BURST, config, keys, window, detail)


def templated_nicknames(
    graph: AssociationGraph, nodes: Sequence[AccountNode], config: DetectorConfig
) -> Signal | None:
    by_template = _holders_of_kind(nodes, attr.NICK_TEMPLATE)
    if not by_template:
        return None
    template, holders = max(by_template.items(), key=lambda item: len(item[1]))
    if len(holders) < config.template_min or len(holders) < config.template_share * len(nodes):
        return None
    detail = f"{len(holders)} of {len(nodes)} nicknames follow {attr.value_of(template)!r}"
    return _signal(TEMPLATED_NICKNAMES, config, [template], holders, detail)


_AVATAR_BANDS = ((0, 13), (13, 13), (26, 13), (39, 13), (52, 12))


def templated_avatars(
    graph: AssociationGraph, nodes: Sequence[AccountNode], config: DetectorConfig
) -> Signal | None:
    """Members whose avatar is a near copy of another member's (Hamming distance ≤ 4 on
    the 64-bit perceptual hash), app-wide default avatars excluded. Five bands: two
    hashes within distance 4 agree exactly on at least one band, so only band
    collisions are compared."""
    candidates = [
        node for node in nodes if node.avatar is not None and _distinctive(graph, _avatar_key(node))
    ]
    buckets: dict[tuple[int, int], list[AccountNode]] = defaultdict(list)
    for node in candidates:
        assert node.avatar is not None
        for band, (shift, width) in enumerate(_AVATAR_BANDS):
            buckets[(band, (node.avatar >> shift) & ((1 << width) - 1))].append(node)
    near: dict[str, AccountNode] = {}
    for bucket in buckets.values():
        for position, node in enumerate(bucket):
            for other in bucket[position + 1 :]:
                assert node.avatar is not None and other.avatar is not None
                if attr.hamming(node.avatar, other.avatar) <= config.avatar_max_distance:
                    near[node.account] = node
                    near[other.account] = other
    if len(near) < config.avatar_min or len(near) < config.avatar_share * len(nodes):
        return None
    keys = sorted({_avatar_key(node) for node in near.values()})
    detail = f"{len(near)} of {len(nodes)} avatars are near copies of each other"
    return _signal(TEMPLATED_AVATARS, config, keys, list(near.values()), detail)


def _avatar_key(node: AccountNode) -> str:
    return next((key for key in node.keys if key.startswith(f"{attr.AVATAR}:")), "")


def is_raised(node: AccountNode, config: DetectorConfig) -> bool:
    """养号: dormant after registering, then days of harmless activity, then violating."""
    behaviour = node.behaviour
    if behaviour is None or behaviour.first_active is None or behaviour.first_violation is None:
        return False
    dormant = (behaviour.first_active - node.at) / DAY >= config.raising_dormant_days
    warmed = len(behaviour.benign_days_before_violation) >= config.raising_warmup_days
    return dormant and warmed


def raising(
    graph: AssociationGraph, nodes: Sequence[AccountNode], config: DetectorConfig
) -> Signal | None:
    raised = [node for node in nodes if is_raised(node, config)]
    if len(raised) < config.raising_min:
        return None
    detail = (
        f"{len(raised)} accounts dormant ≥{config.raising_dormant_days:g} days, warmed up "
        f"≥{config.raising_warmup_days} days, then violating"
    )
    return _signal(RAISING, config, [], raised, detail)


def account_trading(
    graph: AssociationGraph, nodes: Sequence[AccountNode], config: DetectorConfig
) -> Signal | None:
    sellers = [
        node
        for node in nodes
        if node.behaviour is not None and node.behaviour.trading_labels >= config.trading_min_labels
    ]
    if not sellers:
        return None
    labels = sum(node.behaviour.trading_labels for node in sellers if node.behaviour)
    detail = f"{len(sellers)} accounts advertised account or ID trading ({labels} scan labels)"
    return _signal(ACCOUNT_TRADING, config, [], sellers, detail)


DETECTORS: tuple[Detector, ...] = (
    burst,
    _shared_value(attr.DEVICE, DEVICE_FARM, lambda c: c.farm_device_min, "devices"),
    _shared_value(attr.PAYMENT, SHARED_PAYMENT, lambda c: c.payment_min, "payment ids"),
    _shared_value(attr.PHONE_BLOCK, PHONE_BLOCK, lambda c: c.phone_block_min, "phone blocks"),
    _shared_value(attr.IP, SHARED_IP, lambda c: c.shared_ip_min, "IP addresses"),
    _shared_value(attr.IDENTITY, IDENTITY_REUSE, lambda c: c.identity_min, "identities"),
    _shared_value(attr.VERIFIER, QR_VERIFICATION, lambda c: c.qr_min, "verifying accounts"),
    templated_nicknames,
    templated_avatars,
    raising,
    account_trading,
)
