"""HTML for the panels beside the chat: the determination card and the quoted sources."""

from __future__ import annotations

from html import escape

from ..answer.compose import edition_line, follow_up_question, verdict
from ..answer.labels import outcome_label, section
from ..answer.reply import SourcePassage
from ..catalogue import word
from ..determination import Citation, Determination
from ..documents import Document, Registry
from ..rules import RuleBook

OUTCOME_COLOURS: dict[str, tuple[str, str]] = {
    "exempt": ("#1b7f3b", "#ffffff"),
    "outside_negative_list": ("#13795b", "#ffffff"),
    "standard_contract_or_certification": ("#b7791f", "#ffffff"),
    "security_assessment": ("#c2410c", "#ffffff"),
    "competent_authority_approval": ("#9b1c1c", "#ffffff"),
    "needs_more_information": ("#2b6cb0", "#ffffff"),
    "informational": ("#4a5568", "#ffffff"),
    "out_of_scope": ("#718096", "#ffffff"),
}
"""Badge colours (background, text): green may go, amber needs paperwork, red needs approval."""

HEADINGS: frozenset[str] = frozenset({"informational", "out_of_scope"})
"""Outcomes the checker does not decide: the card heads them with `card.heading.OUTCOME` instead of a verdict."""


def _title(doc: Document | None, fallback: str, lang: str) -> str:
    """The document's full title in `lang`, or `fallback` for a document the registry lacks."""
    if doc is None:
        return fallback
    return doc.title(lang)


def badge(outcome: str, lang: str, *, small: bool = False) -> str:
    """The outcome as a coloured badge carrying its id in `data-outcome`."""
    background, colour = OUTCOME_COLOURS.get(outcome, ("#4a5568", "#ffffff"))
    size = " small" if small else ""
    return (
        f'<span class="outcome-badge{size}" data-outcome="{escape(outcome)}" '
        f'style="background:{background};color:{colour}">{escape(outcome_label(outcome, lang))}</span>'
    )


def _cites(cites: list[Citation], registry: Registry, lang: str) -> str:
    labels = [registry.label(c.doc, c.article, lang) for c in cites]
    if not labels:
        return ""
    return ' <span class="cite">' + escape("; ".join(labels)) + "</span>"


def _section(title: str, items: list[str], *, ordered: bool = False, open_: bool = False) -> str:
    """A collapsible section headed by its title and how many items it holds (collapsed: the verdict and the
    question above it are the short answer)."""
    if not items:
        return ""
    tag = "ol" if ordered else "ul"
    body = f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"
    state = " open" if open_ else ""
    return f'<details class="det-sec"{state}><summary>{escape(title)} ({len(items)})</summary>{body}</details>'


def determination_card(det: Determination | None, book: RuleBook, lang: str, note: str | None = None) -> str:
    """The determination card: badge, verdict, reasons, next steps, duties beside the route, what would change it,
    assumptions, branches."""
    if det is None:
        return f'<div class="det-card empty"><p>{escape(word("card.empty", lang))}</p></div>'
    parts = [f'<div class="det-card" data-outcome="{escape(det.outcome)}">', '<div class="det-head">']
    parts.append(badge(det.outcome, lang))
    first = verdict(det.outcome, lang)
    if first is not None:
        parts.append(f'<span class="det-edition">{escape(edition_line(det, book, lang))}</span>')
    parts.append("</div>")
    if first is None and det.outcome in HEADINGS:
        first = word(f"card.heading.{det.outcome}", lang)
    if first:
        parts.append(f'<p class="det-verdict">{escape(first)}</p>')
    if note:
        parts.append(f'<p class="det-note">{escape(note)}</p>')
    question = follow_up_question(det, lang)
    if question:
        parts.append(f'<p class="det-question">{escape(question)}</p>')
    branches = [f"{escape(b.label)} → {badge(b.outcome, lang, small=True)}" for b in det.branches]
    parts.append(_section(section("branches", lang), branches))
    reasons = []
    for n, reason in enumerate(det.reasons):
        cites = det.reason_citations[n] if n < len(det.reason_citations) else []
        reasons.append(escape(reason) + _cites(cites, book.registry, lang))
    parts.append(_section(section("why", lang), reasons))
    parts.append(_section(section("todo", lang), [escape(s) for s in det.next_steps], ordered=True))
    regimes = [escape(r.text) + _cites(r.citations, book.registry, lang) for r in det.special_regimes]
    parts.append(_section(section("regimes", lang), regimes))
    changes = [f"{escape(c.text)} {badge(c.outcome, lang, small=True)}" for c in det.would_change]
    parts.append(_section(section("change", lang), changes))
    parts.append(_section(section("assumed", lang), [escape(a) for a in det.assumptions]))
    parts.append(f'<p class="det-disclaimer">{escape(word("card.disclaimer", lang))}</p></div>')
    return "".join(parts)


def sources_panel(sources: list[SourcePassage], registry: Registry, lang: str) -> str:
    """Each source once, numbered as in the answer: document and article, a preview, the whole passage on click."""
    seen: set[tuple[str, str]] = set()
    cards = []
    for source in sources:
        key = (source.doc, source.article)
        if key in seen:
            continue
        seen.add(key)
        doc = registry.get(source.doc)
        label = registry.label(source.doc, source.article, lang)
        title = _title(doc, source.doc, lang)
        text = " ".join(source.text.split())
        official = ""
        if source.official and source.official.strip() != source.text.strip():
            heading = escape(word("card.official", lang))
            official = f'<p class="src-official">{heading}</p><blockquote>{escape(source.official)}</blockquote>'
        cards.append(
            f'<details class="src" data-doc="{escape(source.doc)}" data-article="{escape(source.article)}">'
            f'<summary><span class="src-n">[{len(seen)}]</span> <b class="src-label">{escape(label)}</b> '
            f'<span class="src-title">{escape(title)}</span>'
            f'<span class="src-preview">{escape(text)}</span></summary>'
            f"<blockquote>{escape(text)}</blockquote>{official}</details>"
        )
    if not cards:
        return f'<div class="src-list empty"><p>{escape(word("card.sources_empty", lang))}</p></div>'
    return '<div class="src-list">' + "".join(cards) + "</div>"


CARD_CSS = """
.det-card{padding:14px 16px;border:1px solid var(--border-color-primary);border-radius:10px;
  background:var(--background-fill-primary);font-size:14px;line-height:1.5}
.det-card.empty{color:var(--body-text-color-subdued)}
.det-head{display:flex;flex-wrap:wrap;align-items:center;gap:6px 12px;margin-bottom:6px}
.outcome-badge{display:inline-block;padding:5px 14px;border-radius:999px;font-weight:700;font-size:15px}
.outcome-badge.small{padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
.det-edition{color:var(--body-text-color-subdued);font-size:12.5px}
.det-verdict{font-weight:600;font-size:15px;margin:4px 0 8px}
.det-note{background:#ebf8ff;color:#2a4365;padding:4px 8px;border-radius:6px;font-size:13px}
.det-question{background:#fffbea;color:#744210;padding:6px 10px;border-radius:6px;font-weight:600}
.det-sec{margin-top:6px}
.det-sec summary{cursor:pointer;font-weight:600;font-size:13px;color:var(--body-text-color-subdued)}
.det-card ul,.det-card ol{margin:4px 0 0 20px;padding:0}
.det-card li{margin:2px 0}
.cite{color:#2b6cb0;font-size:12px}
.det-disclaimer{margin:10px 0 0;font-size:12px;color:var(--body-text-color-subdued)}
.src-list{display:flex;flex-direction:column;gap:6px;font-size:13.5px}
.src-list.empty{color:var(--body-text-color-subdued)}
.src{border:1px solid var(--border-color-primary);border-radius:8px;padding:6px 10px}
.src summary{cursor:pointer;list-style:none}
.src summary::-webkit-details-marker{display:none}
.src-n{color:#2b6cb0;font-weight:700}
.src-title{color:var(--body-text-color-subdued);font-size:12px;margin-left:4px}
.src-preview{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;
  color:var(--body-text-color);font-size:13px;margin-top:2px}
.src[open] .src-preview{display:none}
.src blockquote{margin:6px 0 0;padding:4px 10px;border-left:3px solid #cbd5e0;white-space:pre-wrap}
.src-official{margin:8px 0 0;font-size:12px;color:var(--body-text-color-subdued)}
"""
"""Styles of the cards; the app passes them to Gradio."""
