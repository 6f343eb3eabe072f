"""The help-desk console: who may sign in, the cases table and the rule-pack browser."""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from ..answer.labels import outcome_label, value_label
from ..casefile.audit import CaseRecord
from ..casefile.report import cite_label
from ..rules import RuleBook
from ..settings import Settings

DEV_USER = "dev"
DEV_PASSWORD = "dev"
"""Accepted only with dev_mode on, when no credentials are set."""
WEAK_PASSWORDS = frozenset({"admin", "password", "changeme", "secret", "123456", "12345678", "dev", "test", "guest"})
"""Well-known default passwords: outside dev_mode they keep the console closed."""
MIN_PASSWORD = 8


@dataclass(frozen=True)
class ConsoleAccess:
    """Whether the console is open, and for which credentials."""

    enabled: bool
    user: str
    password: str
    dev_mode: bool
    reason: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> ConsoleAccess:
        """Open with the configured credentials; default or empty ones only in dev_mode (dev / dev if unset)."""
        user = settings.console_user.strip()
        password = settings.console_password.get_secret_value()
        if settings.dev_mode:
            if not user or not password:
                user, password = DEV_USER, DEV_PASSWORD
            return cls(True, user, password, True)
        problem = weak_credentials(user, password)
        if problem:
            return cls(False, "", "", False, problem)
        return cls(True, user, password, False)

    def check(self, user: str, password: str) -> bool:
        """Whether these credentials open the console (constant-time comparison)."""
        if not self.enabled:
            return False
        same_user = hmac.compare_digest(user.strip().encode(), self.user.encode())
        same_password = hmac.compare_digest(password.encode(), self.password.encode())
        return same_user and same_password


def weak_credentials(user: str, password: str) -> str:
    """Why these credentials may not open the console outside dev_mode, or '' when they may."""
    if not user or not password:
        return "console_user and console_password are not both set"
    if password.lower() in WEAK_PASSWORDS or password.lower() == user.lower():
        return "console_password is a well-known default"
    if len(password) < MIN_PASSWORD:
        return f"console_password is shorter than {MIN_PASSWORD} characters"
    return ""


CASE_COLUMNS = {
    "en": ["Time (UTC)", "Case", "Outcome", "Field", "Lang", "Channel", "Feedback", "Question"],
    "zh": ["时间（UTC）", "案例", "结论", "领域", "语言", "渠道", "反馈", "问题"],
}


def case_rows(records: list[CaseRecord], lang: str) -> list[list[str]]:
    """One table row per case, latest first."""
    rows = []
    for r in records:
        question = " ".join(r.question.split())
        feedback = r.feedback_verdict or ""
        if r.feedback_comment:
            feedback += f": {r.feedback_comment[:40]}"
        rows.append(
            [
                f"{r.created_at:%Y-%m-%d %H:%M}",
                r.id,
                outcome_label(r.outcome, lang),
                value_label("industry", r.industry, lang) if r.industry else "",
                r.language,
                r.channel,
                feedback,
                question if len(question) <= 90 else question[:89] + "…",
            ]
        )
    return rows


def parse_day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD filter date, or None when empty.

    Raises:
        ValueError: the text is not a date.
    """
    text = (text or "").strip()
    return dt.date.fromisoformat(text) if text else None


RULE_COLUMNS = {
    "en": ["Edition", "Field", "Scenario", "Item", "Category", "Route", "Threshold", "Status", "Source"],
    "zh": ["版本", "领域", "场景", "条目", "类别", "路径", "阈值", "状态", "依据"],
}
UNKNOWN_MARK = {"en": "⚠ unknown", "zh": "⚠ 未知"}
STATUSES = {
    "confirmed": {"en": "confirmed", "zh": "已确认"},
    "uncertain": {"en": "uncertain", "zh": "待确认"},
}
COUNTED = {
    "individuals": {"en": "people", "zh": "人"},
    "sensitive_info_count": {"en": "people, sensitive personal information", "zh": "人，敏感个人信息"},
    "personal_info_count": {"en": "people, personal information", "zh": "人，个人信息"},
}
CATEGORIES = {
    "important_data": {"en": "important data", "zh": "重要数据"},
    "personal_information": {"en": "personal information", "zh": "个人信息"},
    "sensitive_personal_information": {"en": "sensitive personal information", "zh": "敏感个人信息"},
}


def rule_rows(book: RuleBook, lang: str, query: str = "") -> list[list[str]]:
    """The negative-list items of every loaded edition, unknown ones marked; filtered by `query`."""
    rows: list[list[str]] = []
    for pack in sorted(book.packs.values(), key=lambda p: p.effective_from):
        if pack.kind != "list":
            continue
        items = book.items(pack)
        for item in items:
            threshold = ""
            if item.threshold is not None:
                sign = "≥" if item.threshold.at_least is not None else ">"
                bound = item.threshold.at_least if item.threshold.at_least is not None else item.threshold.more_than
                threshold = f"{sign} {bound:,} ({_counted(item.threshold.fact, lang)})"
            status = UNKNOWN_MARK[lang] if "unknown" in (item.status, item.effect) else _status(item.status, lang)
            rows.append(
                [
                    pack.edition,
                    value_label("industry", item.field, lang) if item.field else ("全部" if lang == "zh" else "all"),
                    value_label("scenario", item.scenario, lang) if item.scenario else "",
                    item.title.get(lang),
                    CATEGORIES.get(item.category, {}).get(lang, item.category),
                    UNKNOWN_MARK[lang] if item.route == "unknown" else outcome_label(item.route, lang),
                    threshold,
                    status,
                    "; ".join(cite_label(s.doc, s.article, book.registry, lang) for s in item.sources),
                ]
            )
        with_items = {i.field for i in items}
        for sector in book.fields(pack):
            if sector.id not in with_items:
                none_loaded = "（未加载条目）" if lang == "zh" else " (no items loaded)"
                source = "; ".join(cite_label(s.doc, s.article, book.registry, lang) for s in sector.sources)
                row = [pack.edition, sector.title.get(lang), "", "", "", "", "", UNKNOWN_MARK[lang] + none_loaded]
                rows.append([*row, source])
    needle = query.strip().lower()
    return [row for row in rows if not needle or needle in " ".join(row).lower()]


def _status(status: str, lang: str) -> str:
    return STATUSES.get(status, {}).get(lang, status)


def _counted(fact: str, lang: str) -> str:
    """What a threshold counts, in words."""
    return COUNTED.get(fact, {}).get(lang) or fact


def edition_table(book: RuleBook, lang: str) -> str:
    """Each loaded edition with its dates and known/unknown item counts, as a Markdown table."""
    zh = lang == "zh"
    head = (
        "| 规则包 | 版本 | 施行期间 | 领域 | 已知条目 | 未知条目 |"
        if zh
        else ("| Pack | Edition | In force | Fields | Known items | Unknown items |")
    )
    lines = [head, "|---|---|---|---|---|---|"]
    for pack in sorted(book.packs.values(), key=lambda p: (p.kind != "national", p.effective_from)):
        until = pack.effective_to.isoformat() if pack.effective_to else ("至今" if zh else "now")
        period = f"{pack.effective_from.isoformat()} – {until}"
        if pack.kind == "national":
            rules = f"{len(pack.rules)} 条规则" if zh else f"{len(pack.rules)} rules"
            lines.append(f"| {pack.pack} | {pack.title.get(lang)} | {period} | — | {rules} | — |")
            continue
        items = book.items(pack)
        unknown = sum(1 for i in items if "unknown" in (i.status, i.effect))
        fields = len(book.fields(pack))
        lines.append(
            f"| {pack.pack} | {pack.title.get(lang)} | {period} | {fields} | {len(items) - unknown} | {unknown} |"
        )
    return "\n".join(lines)
