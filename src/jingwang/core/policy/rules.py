"""Resolving which rule of a policy governs one decision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jingwang.core.policy.schema import ContentAction, Policy
from jingwang.core.types import LabelResult


@dataclass(frozen=True, slots=True)
class ResolvedRule:
    """A label rule with its sub-category and surface overrides folded in.

    ``rule_id`` is the policy key path that decided the outcome, for explanations.
    """

    label: str
    subcategory: str | None
    action: ContentAction
    strike_weight: int
    expiry_days: int
    ban_at_once: bool
    rule_id: str

    def severity(self) -> tuple[bool, int, bool]:
        return (self.ban_at_once, self.strike_weight, self.action == "delete")


def resolve_rule(policy: Policy, label: LabelResult, surface: str | None) -> ResolvedRule:
    """The rule for one label of a decision on ``surface``."""
    rule = policy.labels[label.label]
    override = rule.subcategories.get(label.subcategory) if label.subcategory else None
    rule_id = f"labels.{label.label}"
    action, strike, ban_at_once = rule.action, rule.strike, rule.ban_at_once
    if override is not None:
        rule_id = f"labels.{label.label}.subcategories.{label.subcategory}"
        action = override.action or action
        strike = override.strike or strike
        ban_at_once = ban_at_once if override.ban_at_once is None else override.ban_at_once
    surface_rule = policy.surfaces.get(surface) if surface else None
    if surface_rule is not None and surface_rule.action is not None:
        action = surface_rule.action
    return ResolvedRule(
        label=label.label,
        subcategory=label.subcategory,
        action=action,
        strike_weight=strike.weight,
        expiry_days=strike.expiry_days,
        ban_at_once=ban_at_once,
        rule_id=rule_id,
    )


def governing_rule(
    policy: Policy, labels: Iterable[LabelResult], surface: str | None
) -> ResolvedRule | None:
    """The most severe rule among the decision's labels (ban at once, then weight).

    Labels the policy does not know are ignored rather than guessed at.
    """
    rules = [
        resolve_rule(policy, label, surface) for label in labels if label.label in policy.labels
    ]
    return max(rules, key=ResolvedRule.severity, default=None)
