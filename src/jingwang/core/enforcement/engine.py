"""The pure policy engine: (event, history, policy, now) → actions.

Nothing here reads a clock, a file or a database: the same call with the same inputs
gives the same actions, so the live path, ``policy simulate`` and tests agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from jingwang.core.enforcement.model import (
    AccountHistory,
    Action,
    ActionKind,
    ContentEvent,
    History,
    RegistrationEvent,
    TargetType,
    active_weight,
)
from jingwang.core.policy import EscalationStep, Policy, ResolvedRule, governing_rule


@dataclass(frozen=True, slots=True)
class _Emitter:
    """Builds actions that share the event, the moment and the policy version."""

    policy: Policy
    now: datetime
    event_id: str | None

    def __call__(
        self,
        kind: ActionKind,
        target: tuple[TargetType, str],
        rule: str,
        reason: str,
        *,
        capability: str | None = None,
        until: datetime | None = None,
        weight: int | None = None,
        label: str | None = None,
        related: str | None = None,
    ) -> Action:
        target_type, target_id = target
        return Action(
            kind=kind,
            target_type=target_type,
            target_id=target_id,
            at=self.now,
            reason=reason,
            rule=rule,
            policy_version=self.policy.version,
            event_id=self.event_id,
            capability=capability,
            until=until,
            weight=weight,
            label=label,
            related=related,
        )

    def days(self, count: int) -> datetime:
        return self.now + timedelta(days=count)


def evaluate(event: ContentEvent, history: History, policy: Policy, now: datetime) -> list[Action]:
    """The actions ``policy`` calls for after ``event``, given the records in ``history``."""
    if event.decision.decision not in policy.act_on:
        return []
    rule = governing_rule(policy, event.decision.labels, event.surface)
    if rule is None:
        return []
    emit = _Emitter(policy, now, event.event_id)
    what = rule.label if rule.subcategory is None else f"{rule.label}/{rule.subcategory}"
    where = f"{what} on {event.surface or 'unknown surface'}"
    actions = _content_actions(event, rule, emit, where)
    if event.group is not None:
        actions += _group_actions(event, event.group, history, emit, where)
    account = history.account(event.account)
    forwarded = event.forwarded_from is not None
    if account.banned or (forwarded and not policy.forwarding.penalise_forwarder):
        return actions
    if forwarded:
        where += f", forwarded from {event.forwarded_from}"
    weight = (forwarded and policy.forwarding.strike_weight) or rule.strike_weight
    actions += _account_actions(event, account, rule, weight=weight, emit=emit, where=where)
    if event.subject is not None:
        actions += _subject_actions(event, event.subject, history, rule, weight=weight, emit=emit)
    return actions


def evaluate_registration(
    event: RegistrationEvent, history: History, policy: Policy, now: datetime
) -> list[Action]:
    """Refuse a barred subject's new account; let a recorded subject's one inherit."""
    subject = history.subjects.get(event.subject)
    if subject is None:
        return []
    emit = _Emitter(policy, now, event.event_id)
    if subject.registration_barred:
        reason = f"subject {subject.subject} is barred from registering accounts"
        rule = "subjects.bar_at_violating_accounts"
        return [
            emit(
                "refuse_registration",
                ("account", event.account),
                rule,
                reason,
                related=subject.subject,
            )
        ]
    inherited = active_weight(subject.strikes, now)
    if not policy.subjects.inherit_history or inherited == 0:
        return []
    reason = f"new account of subject {subject.subject} starts with its record"
    return [
        emit(
            "inherit_history",
            ("account", event.account),
            "subjects.inherit_history",
            reason,
            related=subject.subject,
            weight=inherited,
        )
    ]


def _content_actions(
    event: ContentEvent, rule: ResolvedRule, emit: _Emitter, where: str
) -> list[Action]:
    if rule.action != "delete":
        return []
    return [emit("delete_content", ("content", event.event_id), f"{rule.rule_id}.action", where)]


def _account_actions(
    event: ContentEvent,
    account: AccountHistory,
    rule: ResolvedRule,
    *,
    weight: int,
    emit: _Emitter,
    where: str,
) -> list[Action]:
    policy = emit.policy
    target: tuple[TargetType, str] = ("account", event.account)
    before = active_weight(account.strikes, emit.now)
    after = before + weight
    strike = emit(
        "strike",
        target,
        f"{rule.rule_id}.strike",
        f"{where}; active weight {after}",
        weight=weight,
        until=emit.days(rule.expiry_days),
        label=rule.label,
    )
    if rule.ban_at_once:
        return [strike, emit("ban", target, f"{rule.rule_id}.ban_at_once", where)]
    reached = _step_reached(policy.escalation, before, after)
    if reached is not None and reached[1].ban:
        reason = f"{where}; active weight {after} reached {reached[1].at_weight}"
        return [strike, emit("ban", target, f"escalation[{reached[0]}]", reason)]
    warning = emit("warn", target, f"{rule.rule_id}.action", where)
    # Per capability the longest measure wins; one action each keeps start/end/reason clear.
    measures: dict[str, tuple[datetime, str, str]] = {}
    if reached is not None:
        index, step = reached
        reason = f"{where}; active weight {after} reached {step.at_weight}"
        for capability in step.restrict:
            measures[capability] = (emit.days(step.days or 0), f"escalation[{index}]", reason)
    if event.decision.evasion:
        until = emit.days(policy.evasion.days)
        for capability in policy.evasion.restrict:
            if capability not in measures or measures[capability][0] < until:
                measures[capability] = (until, "evasion", f"{where}; caught through evasion")
    restrictions = [
        emit("restrict", target, rule_id, reason, capability=capability, until=until)
        for capability in policy.capabilities
        if capability in measures
        for until, rule_id, reason in [measures[capability]]
    ]
    return [warning, strike, *restrictions]


def _step_reached(
    steps: tuple[EscalationStep, ...], before: int, after: int
) -> tuple[int, EscalationStep] | None:
    """The highest step whose threshold this violation crossed, with its index."""
    crossed = [(i, step) for i, step in enumerate(steps) if before < step.at_weight <= after]
    return crossed[-1] if crossed else None


def _group_actions(
    event: ContentEvent, group_id: str, history: History, emit: _Emitter, where: str
) -> list[Action]:
    rules = emit.policy.groups
    group = history.group(group_id)
    if group.dissolved:
        return []
    owner = event.group_owner or group.owner
    target: tuple[TargetType, str] = ("group", group_id)
    before = active_weight(group.strikes, emit.now)
    count = before + 1
    actions = [
        emit(
            "strike",
            target,
            "groups.window_days",
            f"{where} in group; {count} in window",
            weight=1,
            until=emit.days(rules.window_days),
            related=owner,
        )
    ]
    if count >= rules.dissolve_at:
        reason = f"{count} violations within {rules.window_days} days"
        actions.append(emit("dissolve_group", target, "groups.dissolve_at", reason))
        return actions + _owner_actions(owner, group_id, "groups.dissolve_at", emit, dissolved=True)
    if before < rules.restrict_at <= count:
        reason = f"{count} violations within {rules.window_days} days"
        until = emit.days(rules.restrict_days)
        actions += [
            emit("restrict", target, "groups.restrict_at", reason, capability=cap, until=until)
            for cap in rules.restrict
        ]
        actions += _owner_actions(owner, group_id, "groups.restrict_at", emit, dissolved=False)
    return actions


def _owner_actions(
    owner: str | None, group_id: str, rule: str, emit: _Emitter, *, dissolved: bool
) -> list[Action]:
    """The owner answers for the group: a warning, a strike, and after a dissolution the
    capabilities the policy names (typically creating another group)."""
    if owner is None:
        return []
    rules = emit.policy.groups
    target: tuple[TargetType, str] = ("account", owner)
    reason = f"owner of group {group_id}, which was {'dissolved' if dissolved else 'restricted'}"
    actions = [emit("warn", target, rule, reason, related=group_id)]
    if rules.owner_strike_weight > 0:
        actions.append(
            emit(
                "strike",
                target,
                "groups.owner_strike_weight",
                reason,
                related=group_id,
                weight=rules.owner_strike_weight,
                until=emit.days(rules.window_days),
                label="group_owner",
            )
        )
    if dissolved:
        until = emit.days(rules.owner_restrict_days)
        actions += [
            emit("restrict", target, "groups.owner_restrict", reason, capability=cap, until=until)
            for cap in rules.owner_restrict
        ]
    return actions


def _subject_actions(
    event: ContentEvent,
    subject_id: str,
    history: History,
    rule: ResolvedRule,
    *,
    weight: int,
    emit: _Emitter,
) -> list[Action]:
    return _subject_record(
        subject_id,
        event.account,
        history,
        emit,
        rule_id=f"{rule.rule_id}.strike",
        reason=f"account {event.account} violated {rule.label}",
        weight=weight,
        until=emit.days(rule.expiry_days),
        label=rule.label,
    )


def manual_ban_subject_actions(
    account: str,
    subject_id: str,
    history: History,
    policy: Policy,
    *,
    now: datetime,
    reason: str,
) -> list[Action]:
    """A person's ban of ``account`` counts against its subject as a policy ban does: a
    violation on the subject's record and, once ``subjects.bar_at_violating_accounts`` of
    its accounts violated, the bars on registering and verifying."""
    emit = _Emitter(policy, now, None)
    return _subject_record(
        subject_id,
        account,
        history,
        emit,
        rule_id="manual.ban",
        reason=f"account {account} banned by a person: {reason}",
        weight=1,
        until=emit.days(policy.subjects.manual_ban_expiry_days),
        label="manual_ban",
    )


def _subject_record(
    subject_id: str,
    account: str,
    history: History,
    emit: _Emitter,
    *,
    rule_id: str,
    reason: str,
    weight: int,
    until: datetime,
    label: str,
) -> list[Action]:
    rules = emit.policy.subjects
    subject = history.subject(subject_id)
    target: tuple[TargetType, str] = ("subject", subject_id)
    actions = [
        emit(
            "record_subject_violation",
            target,
            rule_id,
            reason,
            related=account,
            weight=weight,
            until=until,
            label=label,
        )
    ]
    violators = subject.violating_accounts | {account}
    if len(violators) >= rules.bar_at_violating_accounts:
        bar_reason = f"{len(violators)} of its accounts violated the policy"
        bar_rule = "subjects.bar_at_violating_accounts"
        if not subject.registration_barred:
            actions.append(emit("bar_subject_registration", target, bar_rule, bar_reason))
        if not subject.verification_barred:
            actions.append(emit("bar_subject_verification", target, bar_rule, bar_reason))
    return actions
