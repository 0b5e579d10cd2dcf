"""Loading policies: the default one is complete, broken ones fail with precise errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from jingwang.core.labels import SUBCATEGORIES
from jingwang.core.policy import PolicyError, default_policy, load_policy, parse_policy

DEFAULT = Path(__file__).resolve().parents[2] / "src/jingwang/resources/policy/default.yaml"


def default_data() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    return data


def errors_of(text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        parse_policy(text, "p.yaml")
    return str(caught.value).splitlines()


def test_the_default_policy_covers_every_contract_label_and_subcategory() -> None:
    policy = default_policy()
    assert policy.version
    assert set(policy.labels) == set(SUBCATEGORIES)
    assert set(policy.labels["fraud"].subcategories) == set(SUBCATEGORIES["fraud"])
    assert set(policy.labels["illicit_ads"].subcategories) == set(SUBCATEGORIES["illicit_ads"])
    assert {
        "post_moments",
        "create_group",
        "add_friends",
        "publish_articles",
        "payments",
        "send_messages",
    } <= set(policy.capabilities)


def test_load_policy_reads_a_path_and_text_alike() -> None:
    assert load_policy(DEFAULT) == load_policy(DEFAULT.read_text(encoding="utf-8"))


def test_a_bad_value_names_the_file_line_and_key_path() -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    broken = text.replace(
        "  porn:\n    action: delete\n    strike: {weight: 5,",
        "  porn:\n    action: delete\n    strike: {weight: 0,",
    )
    line = broken.splitlines().index("    strike: {weight: 0, expiry_days: 365}") + 1
    assert errors_of(broken) == [f"p.yaml:{line}: labels.porn.strike.weight: must be > 0"]


def test_every_error_is_reported_at_once() -> None:
    text = (
        "version: x\ncapabilities: [post_moments]\nlabels: {}\n"
        "escalation:\n  - at_weight: 3\n    ban: true\n    colour: red\nact_on: [maybe]\n"
    )
    assert errors_of(text) == [
        "p.yaml:8: act_on[0]: must be one of 'pass', 'review' or 'block'",
        "p.yaml:7: escalation[0].colour: unknown key",
    ]


def test_missing_and_unknown_labels_are_errors() -> None:
    data = default_data()
    labels = data["labels"]
    assert isinstance(labels, dict)
    labels.pop("gambling")
    labels["weather"] = labels["spam"]
    labels["fraud"]["subcategories"]["lottery"] = {}
    errors = errors_of(yaml.safe_dump(data, allow_unicode=True))
    assert any("labels: missing rule for contract label 'gambling'" in e for e in errors)
    assert any("labels.weather: unknown label" in e for e in errors)
    assert any("labels.fraud.subcategories.lottery: unknown subcategory" in e for e in errors)


def test_restricted_capabilities_must_be_declared() -> None:
    data = default_data()
    data["evasion"] = {"restrict": ["post_moments", "teleport"], "days": 3}
    errors = errors_of(yaml.safe_dump(data, allow_unicode=True))
    assert len(errors) == 1
    assert errors[0].endswith("evasion.restrict[1]: 'teleport' is not in capabilities")


@pytest.mark.parametrize(
    ("escalation", "message"),
    [
        (
            [{"at_weight": 3, "ban": True}, {"at_weight": 2, "ban": True}],
            "escalation[0]: a ban step must be the last step",
        ),
        (
            [{"at_weight": 5, "restrict": ["payments"], "days": 3}, {"at_weight": 5, "ban": True}],
            "escalation[1].at_weight: must be greater than the previous step's (5)",
        ),
        (
            [{"at_weight": 5, "restrict": ["payments"], "days": 3}],
            "escalation[0]: the last step must be a ban (ban: true)",
        ),
        (
            [{"at_weight": 2, "restrict": ["payments"]}, {"at_weight": 5, "ban": True}],
            "escalation[0]: a step either bans or gives both restrict and days",
        ),
    ],
)
def test_the_ladder_must_climb_to_a_ban(escalation: list[object], message: str) -> None:
    data = default_data()
    data["escalation"] = escalation
    assert any(e.endswith(message) for e in errors_of(yaml.safe_dump(data)))


def test_groups_dissolve_only_after_restriction() -> None:
    data = default_data()
    data["groups"] = {"restrict_at": 4, "dissolve_at": 4}
    assert errors_of(yaml.safe_dump(data))[0].endswith(
        "groups.dissolve_at: must be greater than restrict_at (4)"
    )


def test_unknown_surfaces_are_errors() -> None:
    data = default_data()
    data["surfaces"] = {"blog": {"action": "delete"}}
    assert errors_of(yaml.safe_dump(data))[0].endswith(
        "surfaces.blog: unknown surface; known: "
        "chat, group, moments, article, comment, "
        "nickname, group_name, channels, live"
    )


def test_invalid_yaml_reports_its_line() -> None:
    assert errors_of("version: 1\nlabels: [unclosed\n")[0].startswith("p.yaml:3: invalid YAML")


def test_a_policy_must_be_a_mapping() -> None:
    assert errors_of("- just a list\n") == ["p.yaml: a policy must be a YAML mapping"]


def test_an_unreadable_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "absent.yaml")
