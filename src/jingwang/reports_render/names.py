"""Reader-facing names of labels, sub-categories, surfaces and measures, in Chinese and
English. An id without a name here is shown as it is rather than dropped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

Language = Literal["zh", "en"]
Names = Mapping[str, tuple[str, str]]

LABELS: Final[Names] = {
    "porn": ("色情低俗", "pornography and vulgar content"),
    "illicit_ads": ("违禁品营销", "marketing of prohibited goods"),
    "gambling": ("赌博推广", "gambling promotion"),
    "fraud": ("诈骗", "fraud"),
    "abuse": ("辱骂骚扰", "abuse and harassment"),
    "spam": ("垃圾营销", "spam"),
    "seo_spam": ("搜索关键词堆砌", "search-engine keyword stuffing"),
    "rumor": ("谣言", "rumours"),
    "clickbait": ("标题党", "clickbait"),
    "manual": ("人工审核处置", "measures after human review"),
    "unlabelled": ("未分类", "unclassified"),
}

SUBCATEGORIES: Final[Names] = {
    "prostitution": ("招嫖卖淫", "prostitution"),
    "porn_link": ("色情链接", "porn links"),
    "porn_resource": ("售卖色情资源", "selling porn resources"),
    "vulgar": ("低俗内容", "vulgar content"),
    "health_product": ("违规保健品", "illegal health products"),
    "aphrodisiac": ("催情药", "aphrodisiacs"),
    "knockout_drug": ("迷药", "knockout drugs"),
    "rx_drug": ("处方药", "prescription drugs"),
    "medical_device": ("医疗器械", "medical devices"),
    "tobacco": ("烟草", "tobacco"),
    "ecig": ("电子烟", "e-cigarettes"),
    "sex_product": ("低俗性用品营销", "vulgar sex-product marketing"),
    "account_trading": ("帐号买卖", "account trading"),
    "fake_certificate": ("假证件", "fake certificates"),
    "part_time_job": ("虚假兼职", "fake part-time jobs"),
    "order_brushing": ("刷单", "order brushing"),
    "loan": ("贷款诈骗", "loan scams"),
    "impersonation": ("冒充客服", "impersonation"),
    "investment": ("投资理财诈骗", "investment scams"),
}

SURFACES: Final[Names] = {
    "chat": ("私聊", "private chat"),
    "group": ("群聊", "group chat"),
    "moments": ("朋友圈", "moments"),
    "article": ("公众号文章", "articles"),
    "comment": ("评论", "comments"),
    "nickname": ("昵称", "nicknames"),
    "group_name": ("群名称", "group names"),
    "channels": ("视频号", "channels"),
    "live": ("直播", "live streams"),
    "unspecified": ("未指明", "unspecified"),
}

ACTIONS: Final[Names] = {
    "delete_content": ("删除违规内容", "content deleted"),
    "warn": ("警告", "warning"),
    "strike": ("记违规", "strike recorded"),
    "restrict": ("限制功能", "capabilities restricted"),
    "ban": ("封禁帐号", "account banned"),
    "dissolve_group": ("解散群聊", "group dissolved"),
    "record_subject_violation": ("记录主体违规", "subject violation recorded"),
    "bar_subject_registration": ("禁止主体注册新帐号", "subject barred from registering"),
    "bar_subject_verification": ("禁止主体认证", "subject barred from verification"),
    "refuse_registration": ("拒绝注册", "registration refused"),
    "inherit_history": ("新帐号继承主体记录", "new account inherited its subject's record"),
    "unban": ("解除封禁", "ban lifted"),
    "require_reverification": ("要求重新实名认证", "re-verification required"),
}

TARGET_KINDS: Final[Names] = {
    "personal": ("个人帐号", "personal account"),
    "official": ("公众号", "official account"),
    "group": ("群聊", "group"),
}

APPEAL_OUTCOMES: Final[Names] = {
    "upheld": ("维持原处置", "upheld"),
    "overturned": ("撤销处置", "overturned"),
    "pending": ("处理中", "pending"),
}


def name(table: Names, key: str | None, language: Language) -> str:
    if key is None:
        return ""
    zh, en = table.get(key, (key, key))
    return zh if language == "zh" else en


def rule_name(label: str, subcategory: str | None, language: Language) -> str:
    """``色情低俗 / 色情链接``: the label, and the sub-category when there is one."""
    parts = [name(LABELS, label, language)]
    if subcategory:
        parts.append(name(SUBCATEGORIES, subcategory, language))
    return " / ".join(parts)
