"""The app's interface words in English and Chinese, and its example questions."""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    "title": {"en": "Beijing FTZ data-export assistant", "zh": "北京自贸试验区数据出境助手"},
    "subtitle": {
        "en": "Ask whether and how your company may send data abroad. The outcome comes from a rule checker "
        "over the national rules and the Beijing negative list; every source is quoted.",
        "zh": "咨询贵公司能否以及如何向境外提供数据。结论由规则引擎依据国家规定和北京负面清单作出，每条依据均附原文。",
    },
    "language": {"en": "Interface language", "zh": "界面语言"},
    "tab_chat": {"en": "Ask", "zh": "咨询"},
    "tab_console": {"en": "Help desk", "zh": "服务台"},
    "chat": {"en": "Conversation", "zh": "对话"},
    "placeholder": {
        "en": "Describe the transfer: who you are, what data, how many people, where it goes…",
        "zh": "请描述出境情况：企业情况、数据类型、涉及人数、接收方……",
    },
    "chat_empty": {
        "en": "Ask about a transfer of data abroad, in English or Chinese, or pick an example below.",
        "zh": "请用中文或英文描述数据出境情况，或选择下方示例问题。",
    },
    "send": {"en": "Ask", "zh": "提问"},
    "new": {"en": "New conversation", "zh": "新对话"},
    "examples": {"en": "Examples", "zh": "示例问题"},
    "thinking": {"en": "Checking the rules…", "zh": "正在核对规则……"},
    "determination": {"en": "Determination", "zh": "判定"},
    "card_empty": {
        "en": "The outcome, its reasons and what to do appear here once you ask a question, or fill in the "
        "facts below.",
        "zh": "提问或在下方填写事实后，这里会显示结论、理由和下一步。",
    },
    "facts": {"en": "Facts understood", "zh": "已识别的事实"},
    "facts_hint": {
        "en": "Correct any fact that is wrong: the determination is recomputed at once. Unknown stays unknown.",
        "zh": "如有事实识别有误，可直接修改，判定会立即重新计算。未说明的事实保持“未知”。",
    },
    "sources": {"en": "Sources", "zh": "依据"},
    "sources_empty": {"en": "No sources yet.", "zh": "暂无依据。"},
    "unknown": {"en": "unknown", "zh": "未知"},
    "count_hint": {"en": "unknown", "zh": "未知"},
    "none_stated": {"en": "none stated", "zh": "未说明"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "date_hint": {"en": "YYYY-MM-DD; empty means today", "zh": "YYYY-MM-DD；留空表示今天"},
    "recomputed": {"en": "Recomputed from the facts as corrected.", "zh": "已按修改后的事实重新计算。"},
    "facts_invalid": {"en": "That value is not valid", "zh": "该值无效"},
    "feedback": {"en": "Was this answer useful?", "zh": "这个回答有帮助吗？"},
    "useful": {"en": "Useful", "zh": "有用"},
    "wrong": {"en": "Wrong", "zh": "有误"},
    "comment": {"en": "Comment (optional)", "zh": "意见（选填）"},
    "comment_placeholder": {"en": "What was wrong or missing?", "zh": "哪里有误或遗漏？"},
    "feedback_saved": {"en": "Thank you: your feedback is saved with case", "zh": "感谢反馈，已记录到案例"},
    "feedback_none": {"en": "Ask a question first.", "zh": "请先提问。"},
    "audit_failed": {"en": "The audit log could not be written", "zh": "审计日志写入失败"},
    "disclaimer": {
        "en": "Guidance, not legal advice. Your free-trade group's help desk can confirm.",
        "zh": "仅供参考，不构成法律意见；请向所在自贸组团服务窗口确认。",
    },
    # Help-desk console
    "login_title": {"en": "Help-desk console: sign in", "zh": "服务台：登录"},
    "user": {"en": "User", "zh": "用户名"},
    "password": {"en": "Password", "zh": "密码"},
    "login": {"en": "Sign in", "zh": "登录"},
    "logout": {"en": "Sign out", "zh": "退出"},
    "signed_in": {"en": "Signed in as", "zh": "当前用户："},
    "login_failed": {"en": "Wrong user name or password.", "zh": "用户名或密码错误。"},
    "console_disabled": {
        "en": "The console is closed: set ASSISTANT_CONSOLE_USER and a strong ASSISTANT_CONSOLE_PASSWORD "
        "(or ASSISTANT_DEV_MODE=true on your own machine) and restart. The chat works meanwhile.",
        "zh": "服务台未开启：请设置 ASSISTANT_CONSOLE_USER 和足够强的 ASSISTANT_CONSOLE_PASSWORD"
        "（本机开发可设 ASSISTANT_DEV_MODE=true）后重启。咨询功能不受影响。",
    },
    "dev_hint": {
        "en": "Development mode: user {user}, password {password}. Do not use on a shared server.",
        "zh": "开发模式：用户名 {user}，密码 {password}。请勿在共享服务器上使用。",
    },
    "cases": {"en": "Recent cases", "zh": "近期案例"},
    "outcome": {"en": "Outcome", "zh": "结论"},
    "industry": {"en": "Field (industry)", "zh": "领域（行业）"},
    "since": {"en": "From (YYYY-MM-DD)", "zh": "起始日期（YYYY-MM-DD）"},
    "until": {"en": "To (YYYY-MM-DD)", "zh": "截止日期（YYYY-MM-DD）"},
    "all": {"en": "all", "zh": "全部"},
    "refresh": {"en": "Apply filters", "zh": "筛选"},
    "case_id": {"en": "Case id (click a row)", "zh": "案例编号（点击表格行）"},
    "open": {"en": "Open case", "zh": "打开案例"},
    "case_view": {"en": "Case", "zh": "案例详情"},
    "case_empty": {"en": "Click a case in the table to open it.", "zh": "点击表格中的案例以查看详情。"},
    "case_missing": {"en": "No case with this id.", "zh": "没有该编号的案例。"},
    "export_md": {"en": "Download report (Markdown)", "zh": "下载报告（Markdown）"},
    "export_pdf": {"en": "Download report (PDF)", "zh": "下载报告（PDF）"},
    "rules": {"en": "Rule packs", "zh": "规则包"},
    "editions": {"en": "Loaded editions", "zh": "已加载的版本"},
    "items": {"en": "Negative list items", "zh": "负面清单条目"},
    "search": {
        "en": "Search the list (field, scenario, category, status, source…)",
        "zh": "搜索清单（领域、场景、类别、状态、依据……）",
    },
    "bad_date": {"en": "Dates must be YYYY-MM-DD", "zh": "日期格式应为 YYYY-MM-DD"},
    "no_cases": {"en": "No cases match.", "zh": "没有符合条件的案例。"},
}

FORM_LABELS: dict[str, dict[str, str]] = {
    "zone": {"en": "Registered in", "zh": "注册地"},
    "industry": {"en": "Industry", "zh": "行业"},
    "scenario": {"en": "Business scenario", "zh": "业务场景"},
    "sensitive_info_count": {
        "en": "People: sensitive personal information, this year",
        "zh": "今年敏感个人信息出境人数",
    },
    "personal_info_count": {"en": "People: other personal information, this year", "zh": "今年其他个人信息出境人数"},
    "data_kinds": {"en": "Kinds of data", "zh": "数据类型"},
    "ciio": {"en": "Critical information infrastructure operator", "zh": "关键信息基础设施运营者"},
    "important_data": {"en": "Important data (notified or published)", "zh": "重要数据（已被告知或公开发布）"},
    "exemption_basis": {"en": "Exemption (Provisions arts 3-5)", "zh": "豁免情形（《规定》第三至五条）"},
    "transfer_date": {"en": "Date of the transfer", "zh": "出境日期"},
}
"""Short labels for the facts panel (the full ones in `labels.FACT_LABELS` are for sentences)."""

EXAMPLES: tuple[str, ...] = (
    "We are a pharmaceutical company registered in the Beijing FTZ. Can we send clinical-trial data for "
    "40,000 patients to our headquarters abroad?",
    "我们是注册在北京自贸试验区的汽车企业，想把车辆OTA升级数据传给德国总部，需要做什么？",
    "我们是上海的零售企业，要把3万名会员的联系方式和消费记录传给境外母公司，需要申报安全评估吗？",
    "How long is a security assessment valid?",
)
"""Example questions shown under the chat, in both languages whatever the interface language."""


def ui(key: str, lang: str) -> str:
    """An interface word in `lang` (zh or en)."""
    return UI[key]["zh" if lang == "zh" else "en"]
