"""The packaged domain list: host patterns whose mere presence in a link is damning.

Each row of ``resources/domains/domains.tsv`` is ``pattern  match  label  subcategory``:
``domain`` matches the host or any subdomain of it, ``substring`` anywhere in the
host, ``token`` a whole word of the host name (split at dots, dashes and letter/digit
boundaries, so ``91av.top`` has the token ``av`` but ``java.com`` does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Final

MATCH_SCORES: Final[dict[str, float]] = {"domain": 0.75, "substring": 0.65, "token": 0.55}

_TOKEN: Final = re.compile(r"[a-z]+|\d+")


@dataclass(frozen=True, slots=True)
class DomainRule:
    pattern: str
    match: str
    label: str
    subcategory: str | None

    @property
    def score(self) -> float:
        return MATCH_SCORES[self.match]


class DomainList:
    def __init__(self, rules: list[DomainRule]) -> None:
        self._domains = {r.pattern: r for r in rules if r.match == "domain"}
        self._tokens = {r.pattern: r for r in rules if r.match == "token"}
        substrings = {r.pattern: r for r in rules if r.match == "substring"}
        self._substrings = substrings
        alternation = "|".join(sorted(map(re.escape, substrings), key=len, reverse=True))
        self._substring_re = re.compile(alternation) if alternation else None

    def classify(self, host: str) -> list[DomainRule]:
        """The most specific rule the host matches for each (label, subcategory)."""
        labels = host.split(".")
        hits = [
            self._domains[suffix]
            for suffix in (".".join(labels[i:]) for i in range(len(labels) - 1))
            if suffix in self._domains
        ]
        name = ".".join(labels[:-1])
        if self._substring_re is not None:
            found = dict.fromkeys(m.group() for m in self._substring_re.finditer(name))
            hits.extend(self._substrings[s] for s in found)
        tokens = dict.fromkeys(_TOKEN.findall(name))
        hits.extend(self._tokens[t] for t in tokens if t in self._tokens)
        best: dict[tuple[str, str | None], DomainRule] = {}
        for rule in hits:
            best.setdefault((rule.label, rule.subcategory), rule)
        return list(best.values())


def parse_rules(tsv: str) -> list[DomainRule]:
    rules = []
    for line in tsv.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, match, label, subcategory = line.split("\t")
        if match not in MATCH_SCORES:
            raise ValueError(f"unknown match kind {match!r} in domain list")
        rules.append(DomainRule(pattern, match, label, subcategory if subcategory != "-" else None))
    return rules


@cache
def packaged_domains() -> DomainList:
    resource = files("jingwang").joinpath("resources", "domains", "domains.tsv")
    return DomainList(parse_rules(resource.read_text(encoding="utf-8")))
