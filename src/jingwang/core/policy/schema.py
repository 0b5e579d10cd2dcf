"""The policy file's shape: pydantic models that refuse unknown keys.

Cross-field checks (known labels, declared capabilities, increasing thresholds) live in
``checks.py`` so that every problem is reported with the path of the key at fault.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jingwang.core.types import Verdict

ContentAction = Literal["delete", "warn"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StrikeRule(_Section):
    """A strike added to the account's record; it stops counting after ``expiry_days``."""

    weight: int = Field(gt=0)
    expiry_days: int = Field(gt=0)


class SubcategoryRule(_Section):
    """Overrides of the label's rule for one sub-category; unset keys inherit."""

    action: ContentAction | None = None
    strike: StrikeRule | None = None
    ban_at_once: bool | None = None


class LabelRule(_Section):
    """What one violation of a label costs: ``delete`` removes the content and warns,
    ``warn`` leaves it and warns. ``ban_at_once`` bans even a first offender."""

    action: ContentAction
    strike: StrikeRule
    ban_at_once: bool = False
    subcategories: dict[str, SubcategoryRule] = Field(default_factory=dict)


class EscalationStep(_Section):
    """Reached when an account's active strike weight climbs to ``at_weight``."""

    at_weight: int = Field(gt=0)
    restrict: tuple[str, ...] = ()
    days: int | None = Field(default=None, gt=0)
    ban: bool = False


class SurfaceRule(_Section):
    """Per-surface overrides; ``note`` explains the choice to reviewers."""

    action: ContentAction | None = None
    note: str | None = None


class EvasionRule(_Section):
    """Capabilities lost when content was caught through an evasion path, even at once."""

    restrict: tuple[str, ...] = ()
    days: int = Field(default=7, gt=0)


class ForwardingRule(_Section):
    """Whether forwarding violating content is a violation of the forwarder too."""

    penalise_forwarder: bool = True
    strike_weight: int | None = Field(default=None, gt=0)


class GroupRule(_Section):
    """Groups collect a violation record per violating message posted in them."""

    window_days: int = Field(default=30, gt=0)
    restrict_at: int = Field(default=3, gt=0)
    restrict: tuple[str, ...] = ("send_messages",)
    restrict_days: int = Field(default=7, gt=0)
    dissolve_at: int = Field(default=5, gt=0)
    owner_strike_weight: int = Field(default=1, ge=0)
    owner_restrict: tuple[str, ...] = ()
    owner_restrict_days: int = Field(default=30, gt=0)


class SubjectRule(_Section):
    """Measures against the person or company behind accounts."""

    bar_at_violating_accounts: int = Field(default=3, gt=0)
    inherit_history: bool = True
    # How long a person's ban of an account stays on its subject's record.
    manual_ban_expiry_days: int = Field(default=365, gt=0)


class GangRule(_Section):
    """Spreading a serious ban through the offender's gang (docs/gangs.md): the labels
    whose ban propagates, the weakest link that carries it, and whether the subjects
    behind the banned accounts are barred."""

    propagate_on: tuple[str, ...] = ("porn", "fraud")
    min_link_strength: float = Field(default=0.5, gt=0.0, le=1.0)
    bar_subject: bool = True


class Policy(_Section):
    """A whole enforcement policy; ``version`` is stamped on every action it produces."""

    version: str = Field(min_length=1)
    act_on: tuple[Verdict, ...] = ("block",)
    capabilities: tuple[str, ...]
    labels: dict[str, LabelRule]
    escalation: tuple[EscalationStep, ...]
    surfaces: dict[str, SurfaceRule] = Field(default_factory=dict)
    evasion: EvasionRule = EvasionRule()
    forwarding: ForwardingRule = ForwardingRule()
    groups: GroupRule = GroupRule()
    subjects: SubjectRule = SubjectRule()
    gangs: GangRule = GangRule()
