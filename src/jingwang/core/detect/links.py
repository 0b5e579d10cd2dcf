"""Links in a text or attached to an item, and what their host alone says.

Every link is a ``url`` signal (detail ``link:<canonical url>``); cloud-drive shares,
short links and throw-away TLDs get their own signals because the decision layer
weighs them differently (a porn word next to a cloud-drive share is a porn-resource
sale). Hosts on the packaged domain list are violations by themselves. Nothing is
fetched here: following redirects is the resolver's job.
"""

from __future__ import annotations

import re
from typing import Final

from jingwang.core.detect.base import NormalizedItem, TextView
from jingwang.core.detect.extract.domains import DomainList, DomainRule, packaged_domains
from jingwang.core.detect.extract.fold import text_passes
from jingwang.core.detect.extract.handles import HandleCollector
from jingwang.core.detect.extract.urls import URL_FOLD, find_links, host_of, tld_of
from jingwang.core.types import Evidence, Finding

CLOUD_DRIVES: Final = frozenset(
    {
        "pan.baidu.com",
        "yun.baidu.com",
        "aliyundrive.com",
        "alipan.com",
        "pan.quark.cn",
        "115.com",
        "115cdn.com",
        "anxia.com",
        "ilanzou.com",
        "123pan.com",
        "123pan.cn",
        "cloud.189.cn",
        "caiyun.139.com",
        "yun.139.com",
        "pan.xunlei.com",
        "weiyun.com",
        "ctfile.com",
        "mega.nz",
        "drive.google.com",
        "1drv.ms",
        "onedrive.live.com",
        "dropbox.com",
        "jianguoyun.com",
    }
)
# 蓝奏云 rotates its host name (lanzoux, lanzoui, lanzouw …) to stay reachable.
_LANZOU: Final = re.compile(r"(?:^|\.)lanzou[a-z]?\.com$")
SHORT_LINKS: Final = frozenset(
    {
        "t.cn",
        "dwz.cn",
        "url.cn",
        "w.url.cn",
        "suo.im",
        "bit.ly",
        "tinyurl.com",
        "is.gd",
        "v.gd",
        "goo.gl",
        "ow.ly",
        "t.co",
        "s.id",
        "reurl.cc",
        "cutt.ly",
        "rb.gy",
        "rebrand.ly",
        "buff.ly",
        "j.mp",
        "u.nu",
        "x.co",
        "mrw.so",
        "0rz.tw",
        "ppt.cc",
        "lihi.cc",
        "dwz.mk",
        "sourl.cn",
    }
)
SUSPICIOUS_TLDS: Final = frozenset(
    {
        "top",
        "vip",
        "xyz",
        "cc",
        "club",
        "icu",
        "bet",
        "win",
        "fun",
        "site",
        "online",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "pw",
        "buzz",
        "casino",
        "porn",
        "xxx",
        "sex",
        "adult",
        "cam",
        "loan",
        "bid",
    }
)
# Drives named in words ("资源在夸克网盘") are offered as often as linked.
_DRIVE_NAMES: Final[dict[str, str]] = {
    "百度网盘": "pan.baidu.com",
    "百度云盘": "pan.baidu.com",
    "百度云": "pan.baidu.com",
    "度盘": "pan.baidu.com",
    "夸克网盘": "pan.quark.cn",
    "夸克云盘": "pan.quark.cn",
    "阿里云盘": "alipan.com",
    "阿里网盘": "alipan.com",
    "蓝奏云": "lanzou.com",
    "115网盘": "115.com",
    "迅雷云盘": "pan.xunlei.com",
    "天翼云盘": "cloud.189.cn",
    "和彩云": "caiyun.139.com",
    "城通网盘": "ctfile.com",
    "123云盘": "123pan.com",
}
_DRIVE_NAME: Final = re.compile("|".join(sorted(_DRIVE_NAMES, key=len, reverse=True)))
_DRIVE_NAME_HINT: Final = re.compile("[盘云]")

_SIGNAL_SCORES: Final[dict[str, float]] = {
    "link": 0.5,
    "cloud_drive": 0.7,
    "short_link": 0.5,
    "suspicious_tld": 0.3,
}


def cloud_drive(host: str) -> bool:
    labels = host.split(".")
    return _LANZOU.search(host) is not None or any(
        ".".join(labels[i:]) in CLOUD_DRIVES for i in range(len(labels) - 1)
    )


class _Sightings:
    """Signals keyed by their detail, violations by (rule, host), evidence merged."""

    def __init__(self, domains: DomainList) -> None:
        self.domains = domains
        self.signals = HandleCollector()
        self.violations = HandleCollector()
        self.rules: dict[str, DomainRule] = {}
        self._rules_by_host: dict[str, list[DomainRule]] = {}

    def _rules(self, bare_host: str) -> list[DomainRule]:
        if bare_host not in self._rules_by_host:
            self._rules_by_host[bare_host] = self.domains.classify(bare_host)
        return self._rules_by_host[bare_host]

    def notable(self, host: str) -> bool:
        bare_host = host.removeprefix("www.")
        return cloud_drive(bare_host) or bare_host in SHORT_LINKS or bool(self._rules(bare_host))

    def link(self, url: str, host: str, evidence: Evidence, evasive: bool) -> None:
        bare_host = host.removeprefix("www.")
        self.signals.add_evidence(f"link:{url}", evidence, evasive)
        if cloud_drive(bare_host):
            self.signals.add_evidence(f"cloud_drive:{bare_host}", evidence, evasive)
        if bare_host in SHORT_LINKS:
            self.signals.add_evidence(f"short_link:{bare_host}", evidence, evasive)
        if tld_of(bare_host) in SUSPICIOUS_TLDS:
            self.signals.add_evidence("suspicious_tld", evidence, evasive)
        for rule in self._rules(bare_host):
            key = f"{rule.pattern}|{bare_host}"
            self.rules[key] = rule
            self.violations.add_evidence(key, evidence, evasive)


class LinkDetector:
    """URL signals for every link, violations for hosts on the domain list."""

    name = "links"
    labels: tuple[str, ...] = ("url", "porn", "gambling")

    def __init__(self, domains: DomainList | None = None) -> None:
        self._domains = domains if domains is not None else packaged_domains()

    @staticmethod
    def _scan_chains(item: NormalizedItem, seen: _Sightings) -> set[str]:
        """Check every hop of each resolved redirect chain; return the first hops' hosts.

        Evidence of a hop indexes the hop URL itself under the landing page's source
        (``url:<final URL>``), as the contract asks. A host reached only through a
        redirect counts as evasion: the link was dressed up to hide where it goes.
        """
        first_hosts: set[str] = set()
        for view in item.views:
            for position, hop in enumerate(view.chain):
                hop_host = host_of(hop)
                if hop_host:
                    evidence = Evidence(0, len(hop), hop, view.source)
                    seen.link(hop, hop_host, evidence, position > 0)
                    if position == 0:
                        first_hosts.add(hop_host)
        return first_hosts

    def detect(self, item: NormalizedItem) -> list[Finding]:
        seen = _Sightings(self._domains)
        for view in item.views:
            self._scan_view(view, seen)
        resolved_hosts = self._scan_chains(item, seen)
        for url in item.item.urls:
            url_host = host_of(url)
            if url_host and url_host not in resolved_hosts:
                seen.link(url, url_host, Evidence(0, len(url), url, f"url:{url}"), False)
        findings = [
            Finding(
                detector=self.name,
                label="url",
                score=_SIGNAL_SCORES[signal.key.partition(":")[0]],
                evidence=signal.evidence,
                kind="signal",
                evasion=signal.evasive,
                detail=signal.key,
            )
            for signal in seen.signals.handles()
        ]
        for violation in seen.violations.handles():
            rule = seen.rules[violation.key]
            findings.append(
                Finding(
                    detector=self.name,
                    label=rule.label,
                    score=rule.score,
                    evidence=violation.evidence,
                    subcategory=rule.subcategory,
                    evasion=violation.evasive,
                    detail=f"domain:{violation.key.partition('|')[2]}:{rule.pattern}",
                )
            )
        return findings

    @staticmethod
    def _scan_view(view: TextView, seen: _Sightings) -> None:
        notable_spans: list[tuple[int, int]] = []
        for text_pass in text_passes(view, URL_FOLD):
            normalized = text_pass.via_normalizer
            for link in find_links(text_pass.text, text_pass.unfolded, normalized):
                notable = seen.notable(link.host)
                # The normaliser deletes '-' and '_' from hosts and paths, so its output
                # is trusted only for a host worth naming that the plain pass missed (a
                # look-alike letter inside it), never for one it already named.
                if normalized and (not notable or f"link:{link.url}" in seen.signals):
                    continue
                start, end = text_pass.to_original(link.start, link.end)
                if normalized and any(s < end and start < e for s, e in notable_spans):
                    continue
                if notable:
                    notable_spans.append((start, end))
                evidence = Evidence(start, end, view.original[start:end], view.source)
                seen.link(link.url, link.host, evidence, link.obfuscated or normalized)
        if _DRIVE_NAME_HINT.search(view.original):
            for match in _DRIVE_NAME.finditer(view.original):
                evidence = Evidence(match.start(), match.end(), match.group(), view.source)
                drive = _DRIVE_NAMES[match.group()]
                seen.signals.add_evidence(f"cloud_drive:{drive}", evidence, False)
