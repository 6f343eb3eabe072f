"""The page's texts that are not catalogue words: title, header, language switch, example questions, styles.

The interface words are in the catalogue (`ui.*`, `chat.*`, `form.*`, `card.*`, `console.*`).
"""

from __future__ import annotations

from ..catalogue import Lang, lang_of, word
from ..retrieval.index import IndexStatus

START_LANG: Lang = "en"
"""The language the page is built in; on load it switches to the browser's language."""
LANGUAGE_CHOICES: list[tuple[str, str]] = [("中文", "zh"), ("English", "en")]
"""The language switch: each language named in itself."""

PAGE_CSS = """
.app-header h1{margin:0 0 2px;font-size:24px}
.app-header p{margin:0;color:var(--body-text-color-subdued)}
.example-btn{white-space:normal!important;text-align:left!important;font-size:13px!important;line-height:1.35!important}
.panel-title h3{margin:4px 0 2px}
.muted{color:var(--body-text-color-subdued)}
.feedback-row{align-items:center}
.example-btn{justify-content:flex-start!important}
#console-login{max-width:640px}
#cases .cell-wrap,#rules .cell-wrap{font-family:var(--font)}
#im-errors th:first-child,#im-errors td:first-child{white-space:nowrap}
"""
"""Styles of the page around the cards (`cards.CARD_CSS`); the app passes them to Gradio."""

EXAMPLES: tuple[str, ...] = (
    "Our drug maker sits in the Daxing part of the Beijing FTZ and runs a trial with 40,000 patients this "
    "year. May their trial records go to headquarters in Basel?",
    "我们是注册在北京自贸试验区的汽车企业，想把车辆OTA升级数据传给德国总部，需要做什么？",
    "我们是上海的零售企业，要把3万名会员的联系方式和消费记录传给境外母公司，需要申报安全评估吗？",
    "How long is a security assessment valid?",
)
"""Example questions shown under the chat, in both languages whatever the interface language."""


def page_title() -> str:
    """The browser tab's title, in both languages."""
    return f"{word('ui.title', 'zh')} · {word('ui.title', 'en')}"


def header(lang: str) -> str:
    """The page header (Markdown): the title and what the assistant does."""
    return f"# {word('ui.title', lang)}\n{word('ui.subtitle', lang)}"


def index_note(status: IndexStatus, lang: str) -> str:
    """The note above the chat while the search index builds ("search index building (n%)") or after its
    build failed; empty once it is ready (answers are served all along)."""
    if status.state in ("waiting", "building"):
        return word("ui.index_building", lang, percent=status.percent)
    return word("ui.index_failed", lang) if status.state == "failed" else ""


def browser_language(accept_language: str | None) -> Lang:
    """The interface language for a browser's Accept-Language header: Chinese when it prefers Chinese."""
    return lang_of((accept_language or "").strip().lower()[:2])
