"""The console's two languages: English strings are the keys, Chinese their translation.

A string without a translation shows in English rather than failing; a test checks
that every string the templates use has one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

Lang = Literal["zh", "en"]
DEFAULT_LANG: Final[Lang] = "zh"

# Codes the console puts in ``?notice=`` after a redirect; anything else is ignored, so
# that a link cannot make the console show text of its author's choosing.
NOTICES: Final[dict[str, str]] = {
    "decided": "Decision recorded.",
    "appeal_filed": "Appeal filed; it waits in the appeal queue for another reviewer.",
    "queue_empty": "Nothing you may claim in this queue.",
    "not_claimable": "Someone else holds this case, or you took part in its earlier decisions.",
    "not_claimed": "Claim the case (again) before deciding it.",
    "already_decided": "This case is already decided.",
    "invalid_verdict": "That verdict or action does not fit this case.",
    "invalid_action": "That action does not fit the verdict.",
    "invalid_capability": "Restrict needs a capability.",
    "invalid_target": "That action does not apply to this target.",
    "no_account": "This case leads to no registered account.",
    "not_banned": "The account is not banned.",
    "reason_required": "A decision needs a reason.",
    "no_action_in_second_review": "A second review only agrees or disagrees.",
    "nothing_to_appeal": "The account has no decided violation to appeal.",
    "not_appealable": "That decision cannot be appealed.",
}

ZH: Final[dict[str, str]] = {
    # pages and controls
    "Review console": "审核台",
    "Queues": "队列",
    "Appeals": "申诉",
    "Audit log": "审计日志",
    "Transparency report": "透明度报告",
    "Gang signals": "团伙特征",
    "Search": "搜索",
    "Search cases, accounts": "搜索案件、账号",
    "Sign in": "登录",
    "Sign out": "退出",
    "Sign in with an API key of a reviewer, moderator or admin.": (
        "请使用审核员、版主或管理员的 API 密钥登录。"
    ),
    "API key": "API 密钥",
    "Unknown or revoked key, or a role without console access.": (
        "密钥无效或已吊销，或该角色无权使用审核台。"
    ),
    "All queues": "全部队列",
    "Claim next": "领取下一个",
    "Claim": "领取",
    "Release": "释放",
    "Priority": "优先级",
    "Queue": "队列",
    "Target": "对象",
    "Reporters": "举报人数",
    "Scan": "机审",
    "Due": "时限",
    "Claimed by": "领取人",
    "No open cases.": "没有待处理的案件。",
    "No matching cases.": "没有匹配的案件。",
    "Case": "案件",
    "Cases": "案件",
    "Credibility": "可信度",
    "Outcome": "结果",
    "Appeal": "申诉",
    "Appealed case": "被申诉的案件",
    "Evidence": "证据",
    "Screenshot": "截图",
    "Text in the image (OCR)": "图中文字（OCR）",
    "Link chain": "跳转链",
    "Messages": "消息",
    "Reports": "举报",
    "by": "举报人",
    "reliability": "可靠度",
    "Decisions": "决定",
    "Decision": "处理决定",
    "This case is closed.": "此案件已结案。",
    "Claim the case to decide it.": "请先领取案件再作决定。",
    "Your claim ends": "领取到期",
    "Verdict": "结论",
    "Action": "处置",
    "none": "不处置",
    "Capability (restrict)": "限制的功能（限制时）",
    "Hours (restrict)": "限制时长（小时）",
    "Reason": "理由",
    "Submit decision": "提交决定",
    "Account": "账号",
    "Status": "状态",
    "Strikes": "违规分",
    "Subject": "主体",
    "Registered": "注册时间",
    "Ban reason": "封禁理由",
    "Enforcement history": "处置记录",
    "Recent events": "近期内容",
    "Related accounts": "关联账号",
    "same subject": "同一主体",
    "None": "无",
    "File an appeal": "提交申诉",
    "For an account holder who contacted support.": "代联系客服的账号持有人提交。",
    "Statement": "申诉陈述",
    "File appeal": "提交申诉",
    "Time": "时间",
    "Actor": "操作人",
    "What": "操作",
    "Hash": "哈希",
    "chain intact": "哈希链完整",
    "chain broken": "哈希链已损坏",
    # queues, categories, targets
    "fraud": "诈骗",
    "porn": "色情",
    "gambling": "赌博",
    "illicit_ads": "违禁广告",
    "abuse": "辱骂",
    "spam": "垃圾信息",
    "seo_spam": "SEO 垃圾",
    "rumor": "谣言",
    "clickbait": "标题党",
    "other": "其他",
    "appeal": "申诉",
    "second_review": "复审",
    "escalation": "升级",
    "content": "内容",
    "account": "账号",
    "group": "群组",
    "report": "举报",
    # states and verdicts
    "open": "待处理",
    "resolved": "已结案",
    "active": "正常",
    "banned": "已封禁",
    "restricted": "受限",
    "dissolved": "已解散",
    "pass": "通过",
    "review": "待人审",
    "block": "拦截",
    "not scanned": "未机审",
    "violation": "违规",
    "no_violation": "不违规",
    "upheld": "维持原决定",
    "overturned": "撤销原决定",
    "first": "初审",
    "second": "复审",
    # actions and audit entries
    "warn": "警告",
    "restrict": "限制",
    "ban": "封禁",
    "unban": "解封",
    "require_reverification": "要求重新认证",
    "dissolve": "解散",
    "bar_subject": "禁止主体",
    "strike": "记违规分",
    "review_decision": "审核决定",
    "appeal_decision": "申诉决定",
    "file_appeal": "提交申诉",
    "register_account": "注册账号",
    "create_group": "创建群组",
    # notices
    "Decision recorded.": "已记录处理决定。",
    "Appeal filed; it waits in the appeal queue for another reviewer.": (
        "申诉已提交，将由另一位审核员在申诉队列中处理。"
    ),
    "Nothing you may claim in this queue.": "此队列中没有您可领取的案件。",
    "Someone else holds this case, or you took part in its earlier decisions.": (
        "案件已被他人领取，或您参与过此前的决定。"
    ),
    "Claim the case (again) before deciding it.": "请先（重新）领取案件再作决定。",
    "This case is already decided.": "此案件已有决定。",
    "That verdict or action does not fit this case.": "该结论或处置不适用于此案件。",
    "That action does not fit the verdict.": "该处置与结论不符。",
    "Restrict needs a capability.": "限制需要选择功能。",
    "That action does not apply to this target.": "该处置不适用于此对象。",
    "This case leads to no registered account.": "此案件没有对应的注册账号。",
    "The account is not banned.": "该账号未被封禁。",
    "A decision needs a reason.": "处理决定需要填写理由。",
    "A second review only agrees or disagrees.": "复审只判断同意与否。",
    "The account has no decided violation to appeal.": "该账号没有可申诉的违规决定。",
    "That decision cannot be appealed.": "该决定不可申诉。",
}


def translator(lang: Lang) -> Callable[[str], str]:
    if lang == "en":
        return lambda text: text
    return lambda text: ZH.get(text, text)


def language_of(cookie: str | None, accept_language: str | None) -> Lang:
    """The chosen language, else the browser's first preference, else Chinese."""
    if cookie in ("zh", "en"):
        return "zh" if cookie == "zh" else "en"
    first = (accept_language or "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else DEFAULT_LANG
