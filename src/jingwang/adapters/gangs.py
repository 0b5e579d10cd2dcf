"""Gangs in the live service: the association graph kept beside the enforcement store.

``GangService`` holds an in-memory :class:`~jingwang.core.graph.GangDetector` fed with
every accepted registration: rebuilt from storage at start-up, then one account at a
time. ``GangEnforcement`` is the :class:`EnforcementService` the API runs: it feeds the
graph on every registration and, when an event bans an account for a label in the
policy's ``gangs.propagate_on``, bans the rest of the gang and bars the subjects behind
it, in one transaction, each action audited with actor ``policy:gangs`` and the chain of
links that justified it.

The graph sees what storage keeps: the device, the address, the nickname and avatar,
the subject's hashed identity document and the hashed phone number. A hashed phone
cannot be cut into its block of 100 numbers, so phones link only when equal. Hashed
values are masked wherever the graph is shown.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from jingwang.adapters.enforcement import (
    Clock,
    EnforcementService,
    EventOutcome,
    IdentityHasher,
    IncomingEvent,
    NewAccount,
    system_clock,
)
from jingwang.adapters.enforcement import Registration as Registered
from jingwang.adapters.storage import (
    AccountRecord,
    ActionRecord,
    EnforcementUnit,
    SqlStorage,
    Storage,
)
from jingwang.adapters.storage.models import RegistrationRow
from jingwang.core.enforcement import History
from jingwang.core.graph import (
    AssociationGraph,
    DetectorConfig,
    Gang,
    GangDetector,
    GangPolicy,
    Link,
    PropagatedAction,
    Registration,
    propagate,
)
from jingwang.core.graph.attributes import kind_of, value_of
from jingwang.core.graph.propagate import RULE
from jingwang.core.policy import Policy
from jingwang.core.types import Decision

ACTOR: Final = "policy:gangs"
# Attribute kinds whose values are hashes of personal data: shown masked.
HASHED_KINDS: Final = frozenset({"id", "phone"})
_MASK_TAIL: Final = 4


def gang_policy(policy: Policy) -> GangPolicy:
    """The graph's :class:`GangPolicy` from the policy file's ``gangs`` section."""
    section = policy.gangs
    return GangPolicy(tuple(section.propagate_on), section.min_link_strength, section.bar_subject)


def mask_attribute(attribute: str) -> str:
    """``kind:value`` for display: hashed values keep only their last characters."""
    kind, value = kind_of(attribute), value_of(attribute)
    if kind in HASHED_KINDS:
        return f"{kind}:…{value[-_MASK_TAIL:]}"
    return attribute


def _phone_token(phone_hash: str) -> str:
    # ``phone_block`` keeps the digits and drops the last two: a decimal rendering of the
    # hash followed by "00" makes the block the whole hash, so equal phones link.
    return f"{int(phone_hash[:15], 16)}00" if phone_hash else ""


def registration_of(account: AccountRecord, document_hash: str) -> Registration:
    """The graph's view of a stored account."""
    return Registration(
        account=account.id,
        at=account.registered_at.timestamp(),
        subject=account.subject_id,
        id_hash=document_hash or account.subject_id,
        phone=_phone_token(account.phone_hash),
        device=account.device,
        ip=account.ip,
        nickname=account.nickname or "",
        avatar=account.avatar_hash or "",
    )


@dataclass(frozen=True, slots=True)
class SharedAttribute:
    """One attribute two accounts share, masked, with the strength of the link."""

    attribute: str
    kind: str
    strength: float
    holders: int


@dataclass(frozen=True, slots=True)
class RelatedAccount:
    """A member of the account's cluster: what it shares with the account directly,
    and the chain of strong links that reaches it from the account."""

    account: str
    shared: tuple[SharedAttribute, ...]
    path: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Related:
    account: str
    gang: Gang | None
    related: tuple[RelatedAccount, ...]


class _CurrentGangDetector(GangDetector):
    """``gang_of`` that reassesses a cached decision once its cluster has grown.

    ``on_registration`` keeps the decision cached when an account joins a known gang,
    with the members it had then; a ban must reach the members that joined since.
    """

    def gang_of(self, account: str) -> Gang | None:
        gang = super().gang_of(account)
        index = self.graph.index_of(account)
        if gang is None or index is None:
            return gang
        cluster = self.graph.cluster(index)
        if len(cluster) == len(gang.members):
            return gang
        root = self.graph.clusters.find(index)
        fresh = self.assess(cluster)
        if fresh is None:
            self._gangs.pop(root, None)
        else:
            self._gangs[root] = fresh
        return fresh


class GangService:
    """A thread-safe association graph with gang decisions; see the module docstring."""

    def __init__(self, policy: GangPolicy, config: DetectorConfig | None = None) -> None:
        self.policy = policy
        self._config = config
        self._lock = threading.RLock()
        self.detector = _CurrentGangDetector(AssociationGraph(), config)

    def __len__(self) -> int:
        with self._lock:
            return len(self.detector.graph)

    def rebuild(self, storage: Storage) -> int:
        """Forget the graph and add every accepted registration stored; returns how many."""
        detector = _CurrentGangDetector(AssociationGraph(), self._config)
        with storage.enforcement() as unit:
            documents: dict[str, str] = {}
            for account in _stored_accounts(storage, unit):
                if account.subject_id not in documents:
                    subject = unit.subjects.get(account.subject_id)
                    documents[account.subject_id] = subject.document_hash if subject else ""
                reg = registration_of(account, documents[account.subject_id])
                if detector.graph.index_of(reg.account) is None:
                    detector.graph.add_registration(reg)
        with self._lock:
            self.detector = detector
            return len(detector.graph)

    def add(self, account: AccountRecord, document_hash: str) -> Gang | None:
        """Add a newly registered account; the gang it joined, if any."""
        reg = registration_of(account, document_hash)
        with self._lock:
            if self.detector.graph.index_of(reg.account) is not None:
                return self.detector.gang_of(reg.account)
            return self.detector.on_registration(reg).gang

    def gangs(self) -> list[Gang]:
        """Every gang, reassessed now; largest first."""
        with self._lock:
            return self.detector.detect()

    def gang(self, gang_id: str) -> Gang | None:
        return next((gang for gang in self.gangs() if gang.id == gang_id), None)

    def related(self, account_id: str) -> Related | None:
        """The account's cluster, or ``None`` for an account the graph does not know."""
        with self._lock:
            graph = self.detector.graph
            index = graph.index_of(account_id)
            if index is None:
                return None
            gang = self.detector.gang_of(account_id)
            own = set(graph.node(index).keys)
            members = [graph.node(m).account for m in graph.cluster(index)]
            paths = _strong_paths(self.detector, account_id, set(members))
            related = []
            for member in sorted(members):
                if member == account_id:
                    continue
                member_index = graph.index_of(member)
                assert member_index is not None
                shared = tuple(
                    _shared(graph, key)
                    for key in graph.node(member_index).keys
                    if key in own and graph.strength(key) > 0
                )
                related.append(RelatedAccount(member, shared, paths.get(member, ())))
            return Related(account_id, gang, tuple(related))

    def propagation(self, banned_account: str, label: str) -> list[PropagatedAction]:
        with self._lock:
            return propagate(banned_account, label, self.detector, self.policy)


def _shared(graph: AssociationGraph, key: str) -> SharedAttribute:
    holders = graph.index.count(key)
    return SharedAttribute(mask_attribute(key), kind_of(key), graph.strength(key), holders)


def _strong_paths(
    detector: GangDetector, start: str, members: set[str]
) -> dict[str, tuple[Link, ...]]:
    """Shortest chains of clustering-strength links from ``start`` to the members."""
    graph = detector.graph
    paths: dict[str, tuple[Link, ...]] = {start: ()}
    queue = deque([start])
    while queue:
        account = queue.popleft()
        index = graph.index_of(account)
        assert index is not None
        for link in graph.strong_links(index):
            if link.target in members and link.target not in paths:
                paths[link.target] = (*paths[account], link)
                queue.append(link.target)
    return paths


def _stored_accounts(storage: Storage, unit: EnforcementUnit) -> Iterator[AccountRecord]:
    """Accepted accounts in registration order.

    The repository interface has no listing of registrations yet; a repository that
    offers ``all()`` is used, SQL storage is read directly, and other storages (the
    in-memory one, always empty at start-up) give nothing.
    """
    listing = getattr(unit.registrations, "all", None)
    if callable(listing):
        ids: Iterable[str] = [r.account_id for r in listing() if r.outcome == "accepted"]
    elif isinstance(storage, SqlStorage):
        query = (
            select(RegistrationRow.account_id)
            .where(RegistrationRow.outcome == "accepted")
            .order_by(RegistrationRow.id)
        )
        with Session(storage.engine) as session:
            ids = list(session.scalars(query))
    else:
        ids = []
    for account_id in ids:
        account = unit.accounts.get(account_id)
        if account is not None:
            yield account


def link_evidence(link: Link) -> dict[str, Any]:
    return {
        "attribute": mask_attribute(link.attribute),
        "source": link.source,
        "target": link.target,
        "strength": round(link.strength, 3),
        "holders": link.holders,
    }


def _reason(action: PropagatedAction) -> str:
    hops = " → ".join(
        f"{link.target} via {mask_attribute(link.attribute)}" for link in action.links
    )
    via = f": {action.banned_account} → {hops}" if hops else ""
    return f"{action.gang_id}: {action.label} ban of {action.banned_account}{via}"


class GangEnforcement(EnforcementService):
    """The enforcement service with the gang graph beside it (see the module docstring)."""

    def __init__(
        self,
        storage: Storage,
        policy: Policy,
        hasher: IdentityHasher,
        clock: Clock = system_clock,
        gangs: GangService | None = None,
    ) -> None:
        super().__init__(storage, policy, hasher, clock)
        self.gangs = gangs or GangService(gang_policy(policy))

    def register(self, new: NewAccount, actor: str) -> Registered:
        registration = super().register(new, actor)
        if registration.account is not None:
            document = self.hasher.document(new.identity_doc).digest
            self.gangs.add(registration.account.record, document)
        return registration

    def record_event(self, incoming: IncomingEvent, decision: Decision) -> EventOutcome:
        outcome = super().record_event(incoming, decision)
        label = _ban_label(outcome, incoming.account)
        if label is None or label not in self.gangs.policy.propagate_on:
            return outcome
        propagated = self.propagate_ban(incoming.account, label, incoming.event_id)
        if not propagated:
            return outcome
        return EventOutcome(outcome.event, (*outcome.actions, *propagated))

    def propagate_ban(self, account: str, label: str, event_id: str) -> list[ActionRecord]:
        """Ban the account's gang and bar its subjects for the event that banned it;
        nothing twice (a replayed event, a member already banned, a subject barred)."""
        planned = self.gangs.propagation(account, label)
        if not planned:
            return []
        now = self.clock()
        with self.storage.enforcement() as unit:
            unit.serialize()
            if any(a.rule == RULE for a in unit.actions.for_event(event_id)):
                return []
            accounts = [a.target_id for a in planned if a.target_type == "account"]
            subjects = [a.target_id for a in planned if a.target_type == "subject"]
            history = self._load(unit, accounts, subject_ids=subjects).history
            stored = []
            for action in planned:
                if _already_done(action, history):
                    continue
                draft = replace(
                    action.to_action(now, self.policy.version, event_id), reason=_reason(action)
                )
                evidence = {
                    "gang": action.gang_id,
                    "banned_account": action.banned_account,
                    "links": [link_evidence(link) for link in action.links],
                }
                stored.append(self._store(unit, draft, ACTOR, evidence))
            return stored


def _already_done(action: PropagatedAction, history: History) -> bool:
    if action.kind == "ban":
        return bool(history.account(action.target_id).banned)
    subject = history.subject(action.target_id)
    if action.kind == "bar_subject_registration":
        return bool(subject.registration_barred)
    return bool(subject.verification_barred)


def _ban_label(outcome: EventOutcome, account: str) -> str | None:
    """The label an event's ban of ``account`` was for: the label of the strike that
    came with it, else the event's first label; ``None`` when the event banned nobody."""
    actions: Sequence[ActionRecord] = outcome.actions
    target = f"account:{account}"
    if not any(a.kind == "ban" and a.target == target for a in actions):
        return None
    for action in actions:
        if action.kind == "strike" and action.target == target and action.label:
            return action.label
    labels = [str(label.get("label")) for label in outcome.event.labels if label.get("label")]
    return labels[0] if labels else None
