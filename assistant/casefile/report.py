"""A case report for a filing with the free-trade group: Markdown or PDF, from one audit record.

The blocks hold plain text; the Markdown rendering escapes every block (`answer.safe.plain`), because a
question or a comment is the user's text and the report is opened in Markdown viewers and the console.
The PDF sets the text as it is (fpdf2 interprets no markup).
"""

from __future__ import annotations

from typing import Any

from ..answer.labels import fact_label, outcome_label, section, value_label
from ..answer.safe import plain
from ..catalogue import has, word
from ..documents import Registry
from .audit import CaseRecord
from .pdf import Block, render_pdf


def _cite(doc: str, article: str, registry: Registry | None, lang: str) -> str:
    """The citation's label in words (its raw ids when there is no registry)."""
    return registry.label(doc, article, lang) if registry is not None else f"{doc} {article}"


def _cites(sources: list[Any], registry: Registry | None, lang: str) -> str:
    return "; ".join(_cite(s["doc"], s["article"], registry, lang) for s in sources)


def _title(doc: str, registry: Registry | None, lang: str) -> str:
    """The document's full title in `lang`, or its id when the registry lacks it."""
    document = registry.get(doc) if registry is not None else None
    if document is None:
        return doc
    return document.title(lang)


def format_fact(name: str, value: Any, lang: str) -> str:
    """A fact's value in words; lists and conditions are spelled out item by item."""
    if isinstance(value, list):
        return word("sep.list", lang).join(value_label(name, v, lang) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{fact_label(f'{name}.{k}', lang)}: {value_label(name, v, lang)}" for k, v in value.items())
    return value_label(name, value, lang)


def _pairs(data: dict[str, Any] | None, lang: str = "en") -> str:
    unknown = word("report.unknown", lang)
    return ", ".join(f"{k}={unknown if v is None else v}" for k, v in (data or {}).items())


def build_report(record: CaseRecord, registry: Registry | None, lang: str | None = None) -> list[Block]:
    """The report's blocks, in `lang` (the case's language by default)."""
    lang = lang or record.language
    colon = word("sep.colon", lang)
    blocks = [Block("title", word("report.title", lang))]
    meta = [
        f"{word('report.case', lang)}{colon}{record.id}",
        f"{word('report.time', lang)}{colon}{record.created_at:%Y-%m-%d %H:%M:%S}",
        f"{word('report.channel', lang)}{colon}{record.channel}",
    ]
    blocks += [Block("meta", line) for line in meta]
    if record.truncated:
        blocks.append(Block("meta", word("report.truncated", lang)))
    blocks += [Block("heading", word("report.question", lang)), Block("quote", record.question or "-")]
    if record.error:
        blocks.append(Block("text", f"{word('report.error', lang)}{colon}{record.error}"))
    blocks += _facts(record, lang)
    blocks += _determination(record, registry, lang)
    blocks += _trace(record.determination.get("trace", []), registry, lang)
    blocks += _sources(record, registry, lang)
    blocks += [Block("heading", word("report.answer", lang)), Block("quote", record.answer.replace("**", ""))]
    if record.feedback_verdict:
        rated = f"report.rated.{record.feedback_verdict}"
        verdict = word(rated, lang) if has(rated) else record.feedback_verdict
        comment = f": {record.feedback_comment}" if record.feedback_comment else ""
        blocks += [Block("heading", word("report.feedback", lang)), Block("text", verdict + comment)]
    blocks.append(Block("meta", word("report.note", lang)))
    return blocks


def _facts(record: CaseRecord, lang: str) -> list[Block]:
    """The facts as a table of names and values in words."""
    blocks = [Block("heading", word("report.facts", lang))]
    known = {k: v for k, v in record.facts.items() if v not in (None, [], {})}
    if not known:
        return [*blocks, Block("text", word("report.none_known", lang))]
    rows = [[fact_label(k, lang), format_fact(k, v, lang)] for k, v in known.items()]
    return [*blocks, Block("table", header=[word("report.fact", lang), word("report.value", lang)], rows=rows)]


def _determination(record: CaseRecord, registry: Registry | None, lang: str) -> list[Block]:
    """The outcome, the rule packs, and each list of the determination under its heading."""
    det, colon = record.determination, word("sep.colon", lang)
    outcome = str(det.get("outcome", record.outcome))
    blocks = [
        Block("heading", word("report.determination", lang)),
        Block("text", f"{word('report.outcome', lang)}{colon}{outcome_label(outcome, lang)} ({outcome})"),
    ]
    if det.get("rule_packs"):
        blocks.append(Block("text", f"{word('report.packs', lang)}{colon}{', '.join(det['rule_packs'])}"))
    reasons, reason_cites = det.get("reasons", []), det.get("reason_citations", [])
    branches = [
        f"{b.get('label', _pairs(b.get('if')))}{colon}{outcome_label(b['outcome'], lang)}"
        for b in det.get("branches", [])
    ]
    for title, items in (
        (
            word("report.reasons", lang),
            [_with_cites(r, reason_cites, n, registry, lang) for n, r in enumerate(reasons)],
        ),
        (word("report.missing", lang), [fact_label(m, lang) for m in det.get("missing_facts", [])]),
        (section("branches", lang), branches),
        (word("report.next_steps", lang), det.get("next_steps", [])),
        (
            section("regimes", lang),
            [
                r.get("text", "") + _cites(r.get("citations", []), registry, lang)
                for r in det.get("special_regimes", [])
            ],
        ),
        (word("report.assumptions", lang), det.get("assumptions", [])),
        (section("change", lang), [_change(c, lang) for c in det.get("would_change", [])]),
    ):
        if items:
            blocks.append(Block("heading", title))
            blocks += [Block("bullet", str(item)) for item in items]
    return blocks


def _trace(trace: list[dict[str, Any]], registry: Registry | None, lang: str) -> list[Block]:
    """The checker's trace as a table: each rule read, its facts, threshold, sources and result."""
    if not trace:
        return []
    header = ["#", word("report.rule", lang), word("report.facts", lang), word("report.threshold", lang)]
    header += [word("report.source", lang), word("report.result", lang)]
    rows = [
        [
            str(n),
            f"{step.get('rule', '')} [{step.get('pack', '')}]",
            _pairs(step.get("facts"), lang),
            _pairs(step.get("threshold")),
            _cites(step.get("sources", []), registry, lang),
            str(step.get("result", "")),
        ]
        for n, step in enumerate(trace, 1)
    ]
    return [Block("heading", word("report.trace", lang)), Block("table", header=header, rows=rows)]


def _sources(record: CaseRecord, registry: Registry | None, lang: str) -> list[Block]:
    """Each source quoted: its label and title, its text, and the official text when there is one."""
    if not record.sources:
        return []
    colon = word("sep.colon", lang)
    blocks = [Block("heading", word("report.sources", lang))]
    for source in record.sources:
        label = _cite(source["doc"], source["article"], registry, lang)
        blocks.append(Block("bullet", f"{label}{colon}{_title(source['doc'], registry, lang)}"))
        blocks.append(Block("quote", " ".join(str(source.get("text", "")).split())))
        if source.get("official"):
            official = " ".join(str(source["official"]).split())
            blocks.append(Block("quote", f"{word('report.official', lang)}{colon}{official}"))
    return blocks


def _change(change: dict[str, Any], lang: str) -> str:
    text, label = str(change.get("text", "")), outcome_label(str(change.get("outcome", "")), lang)
    return text if label in text else f"{text} ({label})"


def _with_cites(reason: str, cites: list[Any], n: int, registry: Registry | None, lang: str) -> str:
    labels = _cites(cites[n] if n < len(cites) else [], registry, lang)
    return f"{reason} ({labels})" if labels else reason


def _md_cell(text: str) -> str:
    return " ".join(plain(text).split()) or " "


def report_markdown(record: CaseRecord, registry: Registry | None, lang: str | None = None) -> str:
    """The case report as Markdown; every text is escaped, so only our own headings, lists and tables render."""
    lines: list[str] = []
    for block in build_report(record, registry, lang):
        text = plain(block.text)
        if block.kind == "title":
            lines += [f"# {text}", ""]
        elif block.kind == "meta":
            lines += [f"_{text}_  "]
        elif block.kind == "heading":
            lines += ["", f"## {text}", ""]
        elif block.kind == "bullet":
            lines.append(f"- {text}")
        elif block.kind == "quote":
            # Each line a hard break: the escaped text keeps its lines without becoming a list.
            lines += [*(f"> {line}  " if line else ">" for line in text.splitlines()), ""]
        elif block.kind == "table":
            lines.append("| " + " | ".join(_md_cell(h) for h in block.header) + " |")
            lines.append("|" + "---|" * len(block.header))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            lines.append("")
        else:
            lines += [text, ""]
    return "\n".join(lines).rstrip() + "\n"


def report_pdf(record: CaseRecord, registry: Registry | None, lang: str | None = None) -> bytes:
    """The case report as a PDF (Chinese set in Noto Sans CJK).

    Raises:
        ConfigurationError: no Chinese font is installed (Debian: fonts-noto-cjk).
    """

    title = f"{word('report.title', lang or record.language)} {record.id}"
    return render_pdf(build_report(record, registry, lang), title=title)
