"""Case priority and SLA due times from severity, reach and reporters' credibility."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final

# How harmful each category is when confirmed; fraud costs victims money directly.
CATEGORY_WEIGHT: Final[Mapping[str, float]] = {
    "fraud": 1.0,
    "porn": 0.9,
    "gambling": 0.8,
    "illicit_ads": 0.8,
    "abuse": 0.7,
    "rumor": 0.6,
    "spam": 0.4,
    "seo_spam": 0.3,
    "clickbait": 0.2,
}
UNKNOWN_CATEGORY_WEIGHT: Final = 0.5
# A reason the pipeline did not confirm counts for half: it is only the reporter's word.
UNCONFIRMED_FACTOR: Final = 0.5

# How many people the target can reach: a group reaches its members, an account its
# contacts, a message its chat (more when it was posted in a group).
TARGET_REACH: Final[Mapping[str, float]] = {"group": 1.0, "account": 0.6, "content": 0.4}
GROUP_CONTENT_REACH: Final = 0.8
REACH_PER_MESSAGE: Final = 0.05

SEVERITY_SHARE: Final = 0.5
REACH_SHARE: Final = 0.2
CREDIBILITY_SHARE: Final = 0.3

APPEAL_PRIORITY: Final = 60
ESCALATION_PRIORITY: Final = 80
SLA_BANDS: Final = ((70, timedelta(hours=1)), (40, timedelta(hours=4)), (0, timedelta(hours=24)))
APPEAL_SLA: Final = timedelta(hours=48)
SECOND_REVIEW_SLA: Final = timedelta(hours=24)


def severity(reason: str, verification: Mapping[str, Any]) -> float:
    """The scan's strongest label, weighted by its category; the reported reason at half
    weight when the scan found nothing stronger."""
    scanned = [
        float(label["score"]) * CATEGORY_WEIGHT.get(label["label"], UNKNOWN_CATEGORY_WEIGHT)
        for label in verification.get("labels", ())
    ]
    claimed = CATEGORY_WEIGHT.get(reason, UNKNOWN_CATEGORY_WEIGHT) * UNCONFIRMED_FACTOR
    return min(1.0, max([claimed, *scanned]))


def reach(target_type: str, in_group: bool, message_count: int) -> float:
    base = GROUP_CONTENT_REACH if target_type == "content" and in_group else None
    start = base if base is not None else TARGET_REACH.get(target_type, 0.5)
    return min(1.0, start + REACH_PER_MESSAGE * message_count)


def priority(severity_: float, reach_: float, credibility_: float) -> int:
    """0-100; higher is more urgent."""
    score = SEVERITY_SHARE * severity_ + REACH_SHARE * reach_ + CREDIBILITY_SHARE * credibility_
    return round(100 * score)


def due_at(created: datetime, priority_: int) -> datetime:
    sla = next(window for floor, window in SLA_BANDS if priority_ >= floor)
    return created + sla
