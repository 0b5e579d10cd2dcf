"""The contract's label table: every label and its known sub-categories."""

from typing import Final

SUBCATEGORIES: Final[dict[str, tuple[str, ...]]] = {
    "porn": ("prostitution", "porn_link", "porn_resource", "vulgar"),
    "illicit_ads": (
        "health_product",
        "aphrodisiac",
        "knockout_drug",
        "rx_drug",
        "medical_device",
        "tobacco",
        "ecig",
        "sex_product",
        "account_trading",
        "fake_certificate",
    ),
    "gambling": (),
    "fraud": ("part_time_job", "order_brushing", "loan", "impersonation", "investment"),
    "abuse": (),
    "spam": (),
    "seo_spam": (),
    "rumor": (),
    "clickbait": (),
}

LABELS: Final[tuple[str, ...]] = tuple(SUBCATEGORIES)

SURFACES: Final[tuple[str, ...]] = (
    "chat",
    "group",
    "moments",
    "article",
    "comment",
    "nickname",
    "group_name",
    "channels",
    "live",
)


def is_known(label: str, subcategory: str | None = None) -> bool:
    """Whether ``label`` (and ``subcategory``, when given) belong to the contract's table."""
    if label not in SUBCATEGORIES:
        return False
    return subcategory is None or subcategory in SUBCATEGORIES[label]
