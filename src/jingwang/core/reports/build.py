"""Aggregating enforcement actions into a transparency report: pure, no I/O.

Definitions (docs/reports.md explains them for readers):

- An action is *in the period* when its ``at`` (when the measure was taken) falls in it.
- A target is *handled* for a label when at least one action of a ``HANDLED_KINDS`` kind
  in the period concerns it and is attributed to that label. It counts once per label
  (and once per sub-category, once per surface), however many actions it received.
- An action concerns its target; a content deletion concerns the content's author.
- An action's label is the label of the rule that caused it: for an automatic action,
  the governing rule of its event (every action of one event shares it, the group and
  group-owner measures included); for a manual action, ``manual``.
- Its surface is the surface of its event; manual actions have none (``unspecified``).
- ``actions`` counts every action in the period by kind, bookkeeping kinds included,
  so that it equals the audit log's count of action entries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from jingwang.core.reports.masking import mask_account_id, mask_nickname
from jingwang.core.reports.model import Example, TargetCounts, TransparencyReport
from jingwang.core.reports.period import Period
from jingwang.core.reports.records import ActionFacts, EventFacts, ReportRecords

# Measures that mean a target was dealt with. Not counted as handling: refused
# registrations and inherited histories (gatekeeping, not sanctions), subject violation
# records (bookkeeping behind bars) and unbans (reversals).
HANDLED_KINDS: Final = frozenset(
    {
        "delete_content",
        "warn",
        "strike",
        "restrict",
        "ban",
        "dissolve_group",
        "bar_subject_registration",
        "bar_subject_verification",
        "require_reverification",
    }
)
# Most severe first: an example names the heaviest measure its target received.
SEVERITY: Final = (
    "ban",
    "dissolve_group",
    "bar_subject_registration",
    "bar_subject_verification",
    "restrict",
    "require_reverification",
    "delete_content",
    "warn",
    "strike",
)
MANUAL_LABEL: Final = "manual"
UNLABELLED: Final = "unlabelled"
UNSPECIFIED_SURFACE: Final = "unspecified"
DEFAULT_MAX_EXAMPLES: Final = 8
_LABEL_RULE_PREFIX: Final = "labels."

# Buckets of TargetCounts, by target kind.
_BUCKETS: Final = {
    "personal": "accounts",
    "official": "official_accounts",
    "group": "groups",
    "subject": "subjects",
}


@dataclass(frozen=True, slots=True)
class Attribution:
    """Which rule an action is counted under, and where the content was."""

    label: str
    subcategory: str | None
    rule: str
    surface: str


@dataclass(frozen=True, slots=True)
class _Target:
    """A handled target: ``kind`` is an account kind, ``group`` or ``subject``."""

    kind: str
    id: str


def _label_rule(rule: str) -> tuple[str, str | None, str] | None:
    """``labels.porn.subcategories.porn_link.strike`` → (porn, porn_link, rule path)."""
    if not rule.startswith(_LABEL_RULE_PREFIX):
        return None
    parts = rule.split(".")
    if len(parts) >= 4 and parts[2] == "subcategories":
        return parts[1], parts[3], ".".join(parts[:4])
    return parts[1], None, ".".join(parts[:2])


def _event_attribution(event: EventFacts | None, rule_ids: list[str]) -> Attribution:
    surface = (event.surface if event else None) or UNSPECIFIED_SURFACE
    for rule_id in rule_ids:
        parsed = _label_rule(rule_id)
        if parsed is None:
            continue
        label, subcategory, path = parsed
        if subcategory is None and event is not None:
            # The rule path names a sub-category only when the policy overrides it; the
            # event's own label still says which one it was.
            named = [x for x in event.labels if x.label == label and x.subcategory]
            subcategory = max(named, key=lambda x: x.score).subcategory if named else None
        return Attribution(label, subcategory, path, surface)
    # No action of the event came from a label rule (only group measures, say): its
    # primary label is what the governing rule was about.
    if event is not None and event.labels:
        primary = max(event.labels, key=lambda x: x.score)
        return Attribution(
            primary.label, primary.subcategory, _LABEL_RULE_PREFIX + primary.label, surface
        )
    return Attribution(UNLABELLED, None, UNLABELLED, surface)


def attribute(
    actions: Iterable[ActionFacts], events: Mapping[str, EventFacts]
) -> dict[int, Attribution]:
    """The attribution of each action, by action id."""
    actions = list(actions)
    rules_by_event: dict[str, list[str]] = defaultdict(list)
    for action in actions:
        if action.event_id is not None:
            rules_by_event[action.event_id].append(action.rule)
    per_event = {
        event_id: _event_attribution(events.get(event_id), rule_ids)
        for event_id, rule_ids in rules_by_event.items()
    }
    manual = Attribution(MANUAL_LABEL, None, MANUAL_LABEL, UNSPECIFIED_SURFACE)
    return {
        action.id: manual if action.event_id is None else per_event[action.event_id]
        for action in actions
    }


def _target_of(action: ActionFacts, records: ReportRecords) -> _Target | None:
    """The target an action concerns; None for a deletion of an unknown event."""
    if action.target_type == "content":
        event = records.events.get(action.target_id)
        if event is None:
            return None
        return _account_target(event.account_id, records)
    if action.target_type == "account":
        return _account_target(action.target_id, records)
    return _Target(action.target_type, action.target_id)


def _account_target(account_id: str, records: ReportRecords) -> _Target:
    # An account the records lack (a group owner never registered here) is personal.
    account = records.accounts.get(account_id)
    return _Target(account.kind if account else "personal", account_id)


def _counts(targets: Iterable[_Target]) -> TargetCounts:
    tally = Counter(_BUCKETS.get(target.kind, "accounts") for target in set(targets))
    return TargetCounts(**tally)


def _ordered(groups: Mapping[str, set[_Target]]) -> dict[str, TargetCounts]:
    counted = {key: _counts(targets) for key, targets in groups.items()}
    return dict(sorted(counted.items(), key=lambda item: (-item[1].total, item[0])))


@dataclass(frozen=True, slots=True)
class _Handled:
    """All in-period handled actions of one target under one attribution."""

    target: _Target
    attribution: Attribution
    kinds: frozenset[str]
    first_action: int


def _handled(records: ReportRecords, period: Period) -> list[_Handled]:
    in_period = [a for a in records.actions if period.contains(a.at)]
    attributions = attribute(in_period, records.events)
    kinds: dict[tuple[_Target, Attribution], set[str]] = defaultdict(set)
    first: dict[tuple[_Target, Attribution], int] = {}
    for action in sorted(in_period, key=lambda a: a.id):
        target = _target_of(action, records)
        if action.kind not in HANDLED_KINDS or target is None:
            continue
        key = (target, attributions[action.id])
        kinds[key].add(action.kind)
        first.setdefault(key, action.id)
    return [
        _Handled(target, attribution, frozenset(kinds[(target, attribution)]), action_id)
        for (target, attribution), action_id in first.items()
    ]


def _examples(
    handled: list[_Handled], records: ReportRecords, label_order: list[str], limit: int
) -> tuple[Example, ...]:
    """Up to ``limit`` examples, taken in turn from each label (rule-based labels by
    number handled, manual measures last), the most severely handled first.

    Subjects are persons or companies and never appear. Two ids that mask alike show
    once: a list of identical rows would tell readers nothing.
    """
    severity = {kind: rank for rank, kind in enumerate(SEVERITY)}
    per_label: dict[str, list[_Handled]] = defaultdict(list)
    for item in handled:
        if item.target.kind != "subject":
            per_label[item.attribution.label].append(item)
    last = (MANUAL_LABEL, UNLABELLED)
    ordered_labels = sorted(label_order, key=lambda label: label in last)
    queues = [
        sorted(
            per_label[label],
            key=lambda h: (min(severity[k] for k in h.kinds), h.first_action),
        )
        for label in ordered_labels
    ]
    chosen: list[Example] = []
    shown: set[str] = set()
    while len(chosen) < limit and any(queues):
        for queue in queues:
            while queue and len(chosen) < limit:
                example = _example(queue.pop(0), records, severity)
                if example.account not in shown:
                    shown.add(example.account)
                    chosen.append(example)
                    break
    return tuple(chosen)


def _example(item: _Handled, records: ReportRecords, severity: Mapping[str, int]) -> Example:
    account = records.accounts.get(item.target.id)
    return Example(
        account=mask_account_id(item.target.id),
        kind=item.target.kind,
        nickname=mask_nickname(account.nickname) if account else None,
        label=item.attribution.label,
        subcategory=item.attribution.subcategory,
        rule=item.attribution.rule,
        measure=min(item.kinds, key=severity.__getitem__),
        surface=item.attribution.surface,
    )


def build_report(
    records: ReportRecords,
    start: date,
    end: date,
    *,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
) -> TransparencyReport:
    """The report for the days ``start`` to ``end``, both included (Beijing time)."""
    period = Period(start, end)
    handled = _handled(records, period)
    by_label: dict[str, set[_Target]] = defaultdict(set)
    by_subcategory: dict[str, dict[str, set[_Target]]] = defaultdict(lambda: defaultdict(set))
    by_surface: dict[str, set[_Target]] = defaultdict(set)
    for item in handled:
        attribution = item.attribution
        by_label[attribution.label].add(item.target)
        by_surface[attribution.surface].add(item.target)
        if attribution.subcategory is not None:
            by_subcategory[attribution.label][attribution.subcategory].add(item.target)
    label_counts = _ordered(by_label)
    in_period = (a for a in records.actions if period.contains(a.at))
    actions = Counter(action.kind for action in in_period)
    return TransparencyReport(
        period=period,
        totals=_counts(item.target for item in handled),
        by_label=label_counts,
        by_subcategory={
            label: _ordered(by_subcategory[label])
            for label in label_counts
            if label in by_subcategory
        },
        by_surface=_ordered(by_surface),
        actions=dict(sorted(actions.items(), key=lambda item: (-item[1], item[0]))),
        complaints=records.complaints,
        appeals=records.appeals,
        examples=_examples(handled, records, list(label_counts), max_examples),
    )
