"""Policy as code: the versioned YAML policy that the enforcement engine applies."""

from jingwang.core.policy.loader import (
    PolicyError,
    PolicyIssue,
    default_policy,
    load_policy,
    parse_policy,
)
from jingwang.core.policy.rules import ResolvedRule, governing_rule, resolve_rule
from jingwang.core.policy.schema import (
    EscalationStep,
    LabelRule,
    Policy,
    StrikeRule,
    SubcategoryRule,
)

__all__ = [
    "EscalationStep",
    "LabelRule",
    "Policy",
    "PolicyError",
    "PolicyIssue",
    "ResolvedRule",
    "StrikeRule",
    "SubcategoryRule",
    "default_policy",
    "governing_rule",
    "load_policy",
    "parse_policy",
    "resolve_rule",
]
