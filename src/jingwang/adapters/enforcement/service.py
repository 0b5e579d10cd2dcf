"""The live enforcement path: load records, run the pure engine, store what it decided.

Each call is one storage transaction: the event, the actions and their audit entries are
stored together or not at all. The engine never sees storage, and storage never decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jingwang.adapters.enforcement.errors import (
    ConflictError,
    InvalidActionError,
    NotFoundError,
)
from jingwang.adapters.enforcement.history import history_of, reverification_required
from jingwang.adapters.enforcement.identity import IdentityHasher, Protected
from jingwang.adapters.enforcement.views import (
    AccountView,
    EventOutcome,
    GroupView,
    IncomingEvent,
    ManualAction,
    NewAccount,
    Registration,
    SubjectView,
)
from jingwang.adapters.storage import (
    AccountRecord,
    ActionDraft,
    ActionRecord,
    AuditDraft,
    AuditEntry,
    ChainCheck,
    EnforcementUnit,
    EventRecord,
    GroupRecord,
    RegistrationRecord,
    Storage,
    SubjectRecord,
)
from jingwang.adapters.storage.audit import POLICY_ACTOR
from jingwang.core.enforcement import (
    Action,
    ContentEvent,
    History,
    RegistrationEvent,
    account_status,
    evaluate,
    evaluate_registration,
    group_status,
    manual_ban_subject_actions,
)
from jingwang.core.io import label_to_dict
from jingwang.core.policy import Policy
from jingwang.core.types import Decision

Clock = Callable[[], datetime]
MANUAL_RULE = "manual"


def _account_record(
    new: NewAccount, subject_id: str, phone: Protected, registered_at: datetime, now: datetime
) -> AccountRecord:
    return AccountRecord(
        id=new.id,
        kind=new.kind,
        subject_id=subject_id,
        phone_hash=phone.digest,
        phone_masked=phone.masked,
        device=new.device,
        ip=new.ip,
        registered_at=registered_at,
        created_at=now,
        nickname=new.nickname,
        avatar_hash=new.avatar_hash,
    )


def system_clock() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    # SQLite stores wall-clock time without its offset; storing UTC keeps moments exact.
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _Loaded:
    """The records one decision reads, with the actions they were folded from."""

    history: History
    actions: list[ActionRecord]


class EnforcementService:
    def __init__(
        self,
        storage: Storage,
        policy: Policy,
        hasher: IdentityHasher,
        clock: Clock = system_clock,
    ) -> None:
        self.storage = storage
        self.policy = policy
        self.hasher = hasher
        self.clock = clock

    # --- registration -----------------------------------------------------------------

    def register(self, new: NewAccount, actor: str) -> Registration:
        """Register an account, or refuse it (stored and audited) for a barred subject."""
        now = self.clock()
        document = self.hasher.document(new.identity_doc)
        phone = self.hasher.phone(new.phone)
        registered_at = _utc(new.registered_at)
        with self.storage.enforcement() as unit:
            unit.serialize()
            if unit.accounts.get(new.id) is not None:
                raise ConflictError("account_exists", f"account {new.id} already exists")
            subject = self._subject_for(unit, new, document.digest, document.masked, now)
            history = self._load(unit, [], subject_ids=[subject.id]).history
            event = RegistrationEvent(f"registration:{new.id}", new.id, subject.id, now)
            actions = evaluate_registration(event, history, self.policy, now)
            refusal = next((a for a in actions if a.kind == "refuse_registration"), None)
            unit.registrations.add(
                RegistrationRecord(
                    account_id=new.id,
                    subject_id=subject.id,
                    phone_hash=phone.digest,
                    device=new.device,
                    ip=new.ip,
                    at=registered_at,
                    outcome="accepted" if refusal is None else "refused",
                    reason=None if refusal is None else refusal.reason,
                )
            )
            if refusal is None:
                account = _account_record(new, subject.id, phone, registered_at, now)
                unit.accounts.add(account)
                evidence = {"subject": subject.id, "device": new.device, "ip": new.ip}
                reason = f"registered under subject {subject.id}"
                target = f"account:{new.id}"
                draft = AuditDraft(now, actor, "register_account", target, reason, evidence)
                unit.audit.append(draft)
            stored = [self._store(unit, action, POLICY_ACTOR) for action in actions]
            if refusal is not None:
                return Registration(None, next(r for r in stored if r.kind == refusal.kind))
            return Registration(self._account_view(unit, account, now))

    def _subject_for(
        self, unit: EnforcementUnit, new: NewAccount, digest: str, masked: str, now: datetime
    ) -> SubjectRecord:
        """The subject the document belongs to, whatever id the app sent: a barred
        person must not escape by being filed under a fresh subject id."""
        known = unit.subjects.by_document(digest)
        if known is not None:
            return known
        named = unit.subjects.get(new.subject)
        if named is not None:
            raise ConflictError(
                "subject_mismatch",
                f"subject {new.subject} is recorded with a different identity document",
            )
        subject = SubjectRecord(new.subject, new.subject_kind, digest, masked, now)
        unit.subjects.add(subject)
        return subject

    # --- content events ---------------------------------------------------------------

    def stored_outcome(self, event_id: str) -> EventOutcome | None:
        """What an event already recorded led to, or None for a new event."""
        with self.storage.enforcement() as unit:
            return self._stored_outcome(unit, event_id)

    def record_event(self, incoming: IncomingEvent, decision: Decision) -> EventOutcome:
        """Apply the policy to a scanned event once; a replay returns the first outcome.

        Writers are serialized, so a replay racing the first request waits for it and
        then finds its outcome.
        """
        now = self.clock()
        with self.storage.enforcement() as unit:
            unit.serialize()
            stored = self._stored_outcome(unit, incoming.event_id)
            if stored is not None:
                return stored
            account = unit.accounts.get(incoming.account)
            if account is None:
                raise NotFoundError(
                    "account_not_found",
                    f"no account {incoming.account}; register it with POST /v1/accounts first",
                )
            group = self._group_for(unit, incoming.group, now)
            accounts = [account.id] + ([group.owner] if group and group.owner else [])
            groups = [group.id] if group else []
            history = self._load(unit, accounts, groups=groups).history
            event = ContentEvent(
                event_id=incoming.event_id,
                account=account.id,
                at=_utc(incoming.at),
                decision=decision,
                account_kind=account.kind,  # type: ignore[arg-type]  # validated on the way in
                surface=incoming.surface,
                subject=account.subject_id,
                group=incoming.group,
                group_owner=group.owner if group else None,
                forwarded_from=incoming.forwarded_from,
            )
            record = EventRecord(
                event_id=incoming.event_id,
                account_id=account.id,
                at=_utc(incoming.at),
                decision=decision.decision,
                labels=tuple(label_to_dict(label) for label in decision.labels),
                recorded_at=now,
                evasion=decision.evasion,
                group_id=incoming.group,
                surface=incoming.surface,
                forwarded_from=incoming.forwarded_from,
            )
            unit.events.add(record)
            evidence = {
                "decision": decision.decision,
                "labels": sorted({label.label for label in decision.labels}),
                "evasion": decision.evasion,
            }
            actions = evaluate(event, history, self.policy, now)
            stored_actions = [self._store(unit, a, POLICY_ACTOR, evidence) for a in actions]
            return EventOutcome(record, tuple(stored_actions))

    def _stored_outcome(self, unit: EnforcementUnit, event_id: str) -> EventOutcome | None:
        event = unit.events.get(event_id)
        if event is None:
            return None
        return EventOutcome(event, tuple(unit.actions.for_event(event_id)))

    def _group_for(
        self, unit: EnforcementUnit, group_id: str | None, now: datetime
    ) -> GroupRecord | None:
        """The group an event was posted in; one first seen in an event is recorded
        without an owner, so that its violations count from the start."""
        if group_id is None:
            return None
        group = unit.groups.get(group_id)
        if group is None:
            group = GroupRecord(group_id, now)
            unit.groups.add(group)
        return group

    # --- groups -----------------------------------------------------------------------

    def create_group(
        self, group_id: str, owner: str | None, admins: Iterable[str], actor: str
    ) -> GroupView:
        now = self.clock()
        with self.storage.enforcement() as unit:
            unit.serialize()
            if unit.groups.get(group_id) is not None:
                raise ConflictError("group_exists", f"group {group_id} already exists")
            group = GroupRecord(group_id, now, owner, tuple(admins))
            unit.groups.add(group)
            evidence = {"owner": owner, "admins": list(group.admins)}
            target = f"group:{group_id}"
            unit.audit.append(
                AuditDraft(now, actor, "create_group", target, "group recorded", evidence)
            )
            return GroupView(group, group_status(History().group(group_id), now))

    # --- reading ----------------------------------------------------------------------

    def account(self, account_id: str) -> AccountView | None:
        now = self.clock()
        with self.storage.enforcement() as unit:
            account = unit.accounts.get(account_id)
            return None if account is None else self._account_view(unit, account, now)

    def group(self, group_id: str) -> GroupView | None:
        now = self.clock()
        with self.storage.enforcement() as unit:
            group = unit.groups.get(group_id)
            if group is None:
                return None
            history = self._load(unit, [], groups=[group_id]).history
            return GroupView(group, group_status(history.group(group_id), now))

    def subject(self, subject_id: str) -> SubjectView | None:
        now = self.clock()
        with self.storage.enforcement() as unit:
            subject = unit.subjects.get(subject_id)
            if subject is None:
                return None
            accounts = unit.accounts.by_subject(subject_id)
            loaded = self._load(unit, [a.id for a in accounts], subject_ids=[subject_id])
            views = tuple(self._view(a, loaded, now) for a in accounts)
            violations = sum(
                1
                for a in loaded.actions
                if a.kind == "record_subject_violation" and a.target == f"subject:{subject_id}"
            )
            return SubjectView(subject, loaded.history.subject(subject_id), views, violations)

    def _account_view(
        self, unit: EnforcementUnit, account: AccountRecord, now: datetime
    ) -> AccountView:
        return self._view(account, self._load(unit, [account.id]), now)

    def _view(self, account: AccountRecord, loaded: _Loaded, now: datetime) -> AccountView:
        history = loaded.history.account(account.id)
        return AccountView(
            record=account,
            status=account_status(history, now),
            ban_reason=history.ban_reason if history.banned else None,
            reverification_required=reverification_required(loaded.actions, account.id),
        )

    # --- manual actions ---------------------------------------------------------------

    def act(self, manual: ManualAction, actor: str) -> list[ActionRecord]:
        """Apply a person's decision; the reason and the actor go to the audit log."""
        if not manual.reason.strip():
            raise InvalidActionError("reason_required", "a manual action needs a reason")
        now = self.clock()
        with self.storage.enforcement() as unit:
            unit.serialize()
            loaded = self._target_loaded(unit, manual)
            drafts = self._manual_drafts(manual, loaded.history, now)
            if manual.kind == "ban" and not loaded.history.account(manual.target_id).banned:
                account = unit.accounts.get(manual.target_id)
                if account is not None:  # a ban counts against the subject behind it
                    drafts += manual_ban_subject_actions(
                        account.id,
                        account.subject_id,
                        loaded.history,
                        self.policy,
                        now=now,
                        reason=manual.reason,
                    )
            evidence = {"manual": manual.kind}
            return [self._store(unit, action, actor, evidence) for action in drafts]

    def _target_loaded(self, unit: EnforcementUnit, manual: ManualAction) -> _Loaded:
        target_id = manual.target_type + ":" + manual.target_id
        if manual.target_type == "account" and unit.accounts.get(manual.target_id):
            return self._load(unit, [manual.target_id])
        if manual.target_type == "group" and unit.groups.get(manual.target_id):
            return self._load(unit, [], groups=[manual.target_id])
        if manual.target_type == "subject" and unit.subjects.get(manual.target_id):
            return self._load(unit, [], subject_ids=[manual.target_id])
        raise NotFoundError(f"{manual.target_type}_not_found", f"no {target_id}")

    def _manual_drafts(self, manual: ManualAction, history: History, now: datetime) -> list[Action]:
        allowed = _MANUAL_TARGETS[manual.kind]
        if manual.target_type not in allowed:
            raise InvalidActionError(
                "invalid_target",
                f"{manual.kind} applies to {' or '.join(allowed)}, not {manual.target_type}",
            )

        def draft(kind: str, **extra: Any) -> Action:
            return Action(
                kind=kind,  # type: ignore[arg-type]  # manual kinds extend the engine's
                target_type=manual.target_type,
                target_id=manual.target_id,
                at=now,
                reason=manual.reason,
                rule=MANUAL_RULE,
                policy_version=self.policy.version,
                **extra,
            )

        target = manual.target_id
        if manual.kind == "restrict":
            if manual.capability not in self.policy.capabilities:
                known = ", ".join(self.policy.capabilities)
                raise InvalidActionError(
                    "invalid_capability", f"restrict needs a capability, one of: {known}"
                )
            if manual.until is None or manual.until <= now:
                raise InvalidActionError("invalid_until", "restrict needs an 'until' in the future")
            until = _utc(manual.until)
            return [draft("restrict", capability=manual.capability, until=until)]
        if manual.kind == "unban" and not history.account(target).banned:
            raise ConflictError("not_banned", f"account {target} is not banned")
        if manual.kind == "dissolve":
            if history.group(target).dissolved:
                raise ConflictError("already_dissolved", f"group {target} is already dissolved")
            return [draft("dissolve_group")]
        if manual.kind == "bar_subject":
            return [draft("bar_subject_registration"), draft("bar_subject_verification")]
        return [draft(manual.kind)]

    # --- audit ------------------------------------------------------------------------

    def audit_page(self, after_seq: int, limit: int) -> list[AuditEntry]:
        with self.storage.enforcement() as unit:
            return unit.audit.page(after_seq, limit)

    def verify_audit(self) -> ChainCheck:
        with self.storage.enforcement() as unit:
            return unit.audit.verify()

    # --- shared -----------------------------------------------------------------------

    def _load(
        self,
        unit: EnforcementUnit,
        account_ids: Iterable[str],
        *,
        groups: Iterable[str] = (),
        subject_ids: Iterable[str] = (),
    ) -> _Loaded:
        """The actions on the accounts, their subjects and the groups, folded.

        Subjects come along because a new account inherits its subject's record.
        """
        account_ids = list(account_ids)
        subjects = set(subject_ids)
        for account_id in account_ids:
            account = unit.accounts.get(account_id)
            if account is not None:
                subjects.add(account.subject_id)
        targets = [("account", a) for a in account_ids]
        targets += [("subject", s) for s in subjects] + [("group", g) for g in groups]
        actions = unit.actions.for_targets(targets)
        return _Loaded(history_of(actions), actions)

    def _store(
        self,
        unit: EnforcementUnit,
        action: Action,
        actor: str,
        evidence: dict[str, Any] | None = None,
    ) -> ActionRecord:
        record = unit.actions.add(
            ActionDraft(
                kind=action.kind,
                target_type=action.target_type,
                target_id=action.target_id,
                at=action.at,
                reason=action.reason,
                rule=action.rule,
                policy_version=action.policy_version,
                actor=actor,
                event_id=action.event_id,
                capability=action.capability,
                until=action.until,
                weight=action.weight,
                label=action.label,
                related=action.related,
            )
        )
        details = {
            "action_id": record.id,
            "rule": record.rule,
            **{
                key: value
                for key, value in (
                    ("event_id", record.event_id),
                    ("capability", record.capability),
                    ("until", None if record.until is None else record.until.isoformat()),
                    ("weight", record.weight),
                    ("label", record.label),
                    ("related", record.related),
                )
                if value is not None
            },
            **(evidence or {}),
        }
        unit.audit.append(
            AuditDraft(
                at=record.at,
                actor=actor,
                what=record.kind,
                target=record.target,
                reason=record.reason,
                evidence=details,
                policy_version=record.policy_version,
            )
        )
        return record


_MANUAL_TARGETS: dict[str, tuple[str, ...]] = {
    "warn": ("account",),
    "restrict": ("account", "group"),
    "ban": ("account",),
    "unban": ("account",),
    "dissolve": ("group",),
    "bar_subject": ("subject",),
    "require_reverification": ("account",),
}
