"""Checks that span several keys of a policy, each naming the key path at fault."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from jingwang.core.labels import SUBCATEGORIES, SURFACES
from jingwang.core.policy.schema import Policy

Problem = tuple[tuple[str | int, ...], str]


def policy_problems(policy: Policy) -> list[Problem]:
    """Every cross-field problem of ``policy``; empty when it is consistent."""
    return [
        *_label_problems(policy),
        *_capability_problems(policy),
        *_escalation_problems(policy),
        *_surface_problems(policy),
        *_group_problems(policy),
    ]


def _label_problems(policy: Policy) -> Iterator[Problem]:
    for label in SUBCATEGORIES:
        if label not in policy.labels:
            yield ("labels",), f"missing rule for contract label {label!r}"
    for label, rule in policy.labels.items():
        if label not in SUBCATEGORIES:
            yield ("labels", label), f"unknown label; known: {', '.join(SUBCATEGORIES)}"
            continue
        for sub in rule.subcategories:
            if sub not in SUBCATEGORIES[label]:
                known = ", ".join(SUBCATEGORIES[label]) or "none"
                yield (
                    ("labels", label, "subcategories", sub),
                    f"unknown subcategory; known: {known}",
                )


def _unknown_capabilities(
    policy: Policy, path: tuple[str | int, ...], names: Iterable[str]
) -> Iterator[Problem]:
    for index, name in enumerate(names):
        if name not in policy.capabilities:
            yield (*path, index), f"{name!r} is not in capabilities"


def _capability_problems(policy: Policy) -> Iterator[Problem]:
    if not policy.capabilities:
        yield ("capabilities",), "declare at least one capability"
    seen: set[str] = set()
    for index, name in enumerate(policy.capabilities):
        if name in seen:
            yield ("capabilities", index), f"{name!r} is declared twice"
        seen.add(name)
    for index, step in enumerate(policy.escalation):
        yield from _unknown_capabilities(policy, ("escalation", index, "restrict"), step.restrict)
    yield from _unknown_capabilities(policy, ("evasion", "restrict"), policy.evasion.restrict)
    yield from _unknown_capabilities(policy, ("groups", "restrict"), policy.groups.restrict)
    yield from _unknown_capabilities(
        policy, ("groups", "owner_restrict"), policy.groups.owner_restrict
    )


def _escalation_problems(policy: Policy) -> Iterator[Problem]:
    if not policy.escalation:
        yield ("escalation",), "needs at least one step, the last one a ban"
        return
    previous = 0
    last = len(policy.escalation) - 1
    for index, step in enumerate(policy.escalation):
        path: tuple[str | int, ...] = ("escalation", index)
        if step.at_weight <= previous:
            yield (*path, "at_weight"), f"must be greater than the previous step's ({previous})"
        previous = step.at_weight
        if step.ban:
            if step.restrict or step.days is not None:
                yield path, "a ban step takes neither restrict nor days"
            if index != last:
                yield path, "a ban step must be the last step"
        elif not step.restrict or step.days is None:
            yield path, "a step either bans or gives both restrict and days"
    if not policy.escalation[last].ban:
        yield ("escalation", last), "the last step must be a ban (ban: true)"


def _surface_problems(policy: Policy) -> Iterator[Problem]:
    for surface in policy.surfaces:
        if surface not in SURFACES:
            yield ("surfaces", surface), f"unknown surface; known: {', '.join(SURFACES)}"


def _group_problems(policy: Policy) -> Iterator[Problem]:
    groups = policy.groups
    if groups.dissolve_at <= groups.restrict_at:
        yield ("groups", "dissolve_at"), f"must be greater than restrict_at ({groups.restrict_at})"
