"""Reading a policy from YAML with errors that name the file, line and key path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from jingwang.core.policy.checks import policy_problems
from jingwang.core.policy.schema import Policy

Location = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class PolicyIssue:
    """One problem: ``path`` is the dotted key path, ``line`` is 1-based when known."""

    path: str
    message: str
    line: int | None = None

    def render(self, source: str) -> str:
        where = source if self.line is None else f"{source}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PolicyError(ValueError):
    """A policy that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, source: str, issues: Sequence[PolicyIssue]) -> None:
        self.source = source
        self.issues = tuple(issues)
        super().__init__("\n".join(issue.render(source) for issue in self.issues))


def load_policy(source: Path | str) -> Policy:
    """A policy from a file (``Path``) or from YAML text (``str``)."""
    if isinstance(source, Path):
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PolicyError(str(source), [PolicyIssue("", f"cannot read: {exc}")]) from None
        return parse_policy(text, str(source))
    return parse_policy(source)


def default_policy() -> Policy:
    """The packaged default policy."""
    resource = files("jingwang").joinpath("resources", "policy", "default.yaml")
    return parse_policy(resource.read_text(encoding="utf-8"), "default.yaml")


def parse_policy(text: str, source: str = "<policy>") -> Policy:
    """Parse and validate YAML text; ``source`` names it in error messages."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError(source, [PolicyIssue("", f"invalid YAML: {problem}", line)]) from None
    if not isinstance(data, dict):
        raise PolicyError(source, [PolicyIssue("", "a policy must be a YAML mapping")])
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        issues = [_issue(root, tuple(error["loc"]), _message(error)) for error in exc.errors()]
        raise PolicyError(source, issues) from None
    problems = policy_problems(policy)
    if problems:
        raise PolicyError(source, [_issue(root, path, message) for path, message in problems])
    return policy


def _issue(root: yaml.Node | None, loc: Location, message: str) -> PolicyIssue:
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    return PolicyIssue(path.lstrip("."), message, _line_of(root, loc))


def _message(error: ErrorDetails) -> str:
    """Pydantic's message, rephrased for the common cases a policy author hits."""
    context: dict[str, Any] = dict(error.get("ctx") or {})
    kind = error["type"]
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "greater_than":
        return f"must be > {context['gt']}"
    if kind == "greater_than_equal":
        return f"must be >= {context['ge']}"
    if kind == "literal_error":
        return f"must be one of {context['expected']}"
    return str(error["msg"])


def _line_of(root: yaml.Node | None, loc: Location) -> int | None:
    """The line of the deepest node of ``loc`` that exists in the document; none when
    even the first key is absent (a default value is at fault, not any line)."""
    node = root
    line = None
    for part in loc:
        child = _child(node, part)
        if child is None:
            break
        node = child
        line = child.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                # A key whose value is missing or a scalar is best shown on the key's line.
                return value if isinstance(value, yaml.CollectionNode) else key
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        child: yaml.Node = node.value[part]
        return child
    return None
