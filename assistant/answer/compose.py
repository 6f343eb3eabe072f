"""Template answers: verdict first, then why, what to do, assumptions, sources and the contact line.

Everything stated comes from the determination and the resolved passages; nothing here decides.
"""

from __future__ import annotations

from ..determination import Citation, Determination
from ..documents import Registry
from ..rules import RuleBook
from .labels import fact_label, outcome_label, section
from .reply import SourcePassage

VERDICTS: dict[str, dict[str, str]] = {
    "exempt": {
        "en": "Yes: no security assessment, standard contract or certification is needed.",
        "zh": "可以：无需申报安全评估、订立标准合同或通过认证。",
    },
    "outside_negative_list": {
        "en": "Yes: no national procedure is needed, once you have filed use of the Beijing list.",
        "zh": "可以：办理北京负面清单使用备案后，无需履行国家层面的出境程序。",
    },
    "standard_contract_or_certification": {
        "en": "Yes, with a standard contract or certification: sign the CAC standard contract and file it "
        "(or obtain certification) first.",
        "zh": "可以，但须先订立个人信息出境标准合同并备案，或通过个人信息保护认证。",
    },
    "security_assessment": {
        "en": "Not yet: this transfer needs a CAC security assessment first.",
        "zh": "暂不可以：须先通过国家网信部门的数据出境安全评估。",
    },
    "competent_authority_approval": {
        "en": "No: not without the approval of the competent Chinese authority.",
        "zh": "不可以：未经中国主管机关批准，不得提供。",
    },
    "needs_more_information": {
        "en": "It depends on a fact I do not have yet.",
        "zh": "结论取决于一项尚未说明的事实。",
    },
}

QUESTIONS: dict[str, dict[str, str]] = {
    "zone": {
        "en": "Where is your company registered: in the Beijing FTZ, elsewhere in Beijing, in another free "
        "trade zone, or elsewhere in China?",
        "zh": "贵公司在哪里注册：北京自贸试验区、北京市其他区域、其他自贸试验区，还是中国其他地区？",
    },
    "industry": {
        "en": "Which industry are you in (pharmaceutical, automotive, civil aviation, retail, AI training, "
        "medical devices, autonomous driving, trade and logistics, banking, or other)?",
        "zh": "贵公司属于哪个行业（医药、汽车、民航、零售、人工智能训练、医疗器械、自动驾驶、商贸物流、银行或其他）？",
    },
    "scenario": {
        "en": "What is the business scenario: drug clinical trials, pharmacovigilance, drug R&D, diagnosis and "
        "treatment, after-sales service, or something else?",
        "zh": "属于哪个业务场景：药物临床试验、药物警戒、药物研发、诊疗服务、售后服务，还是其他？",
    },
    "sensitive_info_count": {
        "en": "How many people's sensitive personal information (health, bank accounts, location, biometrics, "
        "ID numbers, children's data) will have gone abroad this year, this transfer included?",
        "zh": "今年（含本次）累计有多少人的敏感个人信息（健康、金融账户、行踪、生物识别、身份证件、儿童信息等）出境？",
    },
    "personal_info_count": {
        "en": "How many people's personal information will have gone abroad this year, this transfer included?",
        "zh": "今年（含本次）累计有多少人的个人信息出境？",
    },
    "conditions.miit_filed_tamper_protected": {
        "en": "Has the OTA upgrade been filed with MIIT and secured so the package cannot be tampered with?",
        "zh": "该OTA升级是否已向工业和信息化部备案，并采取了防止升级包被篡改的技术措施？",
    },
}

HEADINGS = {
    "en": {
        "outcome": "Outcome",
        "note": "Guidance, not legal advice: your free-trade group's help desk (Chaoyang, Haidian, Changping, "
        "Tongzhou, Shunyi, Daxing or Yizhuang) can confirm.",
        "national": "national rules (2024 Provisions)",
        "since": "in force since",
    },
    "zh": {
        "outcome": "结论",
        "note": "仅供参考，不构成法律意见：请向所在自贸组团（朝阳、海淀、昌平、通州、顺义、大兴、亦庄）服务窗口确认。",
        "national": "国家规定（2024年《规定》）",
        "since": "自",
    },
}


def follow_up_question(det: Determination, lang: str) -> str | None:
    """The one short question for the deciding fact, or None when nothing is missing."""
    if det.outcome != "needs_more_information" or not det.missing_facts:
        return None
    name = det.missing_facts[0]
    default = f"{fact_label(name, lang)}?"
    return QUESTIONS.get(name, {}).get(lang, default)


def edition_line(det: Determination, book: RuleBook, lang: str) -> str:
    """Which rule packs govern, and since when."""
    h = HEADINGS[lang]
    parts = [h["national"]]
    for name in [det.applied_list] if det.applied_list else []:
        pack = book.packs.get(name)
        if pack is None:
            continue
        since = pack.effective_from.isoformat()
        parts.append(
            f"{pack.title.zh}，{h['since']}{since}起施行" if lang == "zh" else f"{pack.title.en}, {h['since']} {since}"
        )
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def compose(
    det: Determination,
    sources: list[SourcePassage],
    book: RuleBook,
    lang: str,
) -> str:
    """The answer text for a transfer question, in `lang`."""
    h = HEADINGS[lang]
    numbers = _numbering(det, sources)
    lines = [f"**{VERDICTS[det.outcome][lang]}**"]
    colon = "：" if lang == "zh" else ": "
    lines.append(f"{h['outcome']}{colon}{outcome_label(det.outcome, lang)} ({edition_line(det, book, lang)})")
    if det.reasons:
        lines += ["", section("why", lang)]
        for n, reason in enumerate(det.reasons):
            cites = det.reason_citations[n] if n < len(det.reason_citations) else []
            lines.append(f"- {reason}{_marks(cites, numbers)}")
    if det.branches:
        lines += ["", section("branches", lang)]
        lines += [f"- {b.label}: {outcome_label(b.outcome, lang)}" for b in det.branches]
        question = follow_up_question(det, lang)
        if question:
            lines += ["", f"**{question}**"]
    if det.next_steps:
        lines += ["", section("todo", lang)]
        lines += [f"{n}. {step}" for n, step in enumerate(det.next_steps, 1)]
    if det.assumptions:
        lines += ["", f"{section('assumed', lang)}{colon.strip()}"]
        lines += [f"- {a}" for a in det.assumptions]
    if det.would_change:
        lines += ["", f"{section('change', lang)}{colon.strip()}"]
        lines += [f"- {c.text}" for c in det.would_change]
    lines += _source_lines(sources, numbers, book.registry, lang)
    lines += ["", h["note"]]
    return "\n".join(lines)


def compose_informational(sources: list[SourcePassage], registry: Registry, lang: str) -> str:
    """A cited answer to a question about the rules, from the retrieved passages."""
    if not sources:
        return (
            "我没有找到相关条文。请换一种说法，或向所在自贸组团咨询。"
            if lang == "zh"
            else "I found no passage that answers this. Please rephrase, or ask your free-trade group's help desk."
        )
    intro = "相关规定如下：" if lang == "zh" else "Here is what the rules say:"
    numbers = {(s.doc, s.article): n for n, s in enumerate(_unique(sources), 1)}
    lines = [intro, ""]
    for s in _unique(sources):
        doc = registry.get(s.doc)
        label = doc.label(s.article, lang) if doc else f"{s.doc} {s.article}"
        old = ""
        if s.superseded_by:
            old = f"（已被取代：{s.superseded_by}）" if lang == "zh" else f" (superseded: {s.superseded_by})"
        lines.append(f"- {label}{old}: {_excerpt(s.text, 320)} [{numbers[(s.doc, s.article)]}]")
    lines += _source_lines(sources, numbers, registry, lang, quote=False)
    lines += ["", HEADINGS[lang]["note"]]
    return "\n".join(lines)


def out_of_scope_text(lang: str) -> str:
    """What the assistant says to a question that is not about sending data abroad."""
    if lang == "zh":
        return (
            "我只回答数据出境相关的问题，例如：“我们是北京自贸区的药企，能否把4万名患者的临床试验数据传给境外总部？”"
            "或“安全评估结果有效期多久？”"
        )
    return (
        'I answer questions about sending data out of China, for example: "We are a pharma company in the Beijing '
        'FTZ: can we send clinical-trial data of 40,000 patients to our headquarters abroad?" or "How long is a '
        'security assessment valid?"'
    )


def _numbering(det: Determination, sources: list[SourcePassage]) -> dict[tuple[str, str], int]:
    cited = {(c.doc, c.article) for c in det.citations}
    keys = [(s.doc, s.article) for s in _unique(sources) if (s.doc, s.article) in cited]
    return {key: n for n, key in enumerate(keys, 1)}


def _marks(cites: list[Citation], numbers: dict[tuple[str, str], int]) -> str:
    found = sorted({numbers[(c.doc, c.article)] for c in cites if (c.doc, c.article) in numbers})
    return " " + "".join(f"[{n}]" for n in found) if found else ""


def _unique(sources: list[SourcePassage]) -> list[SourcePassage]:
    seen: set[tuple[str, str]] = set()
    out = []
    for s in sources:
        if (s.doc, s.article) not in seen:
            seen.add((s.doc, s.article))
            out.append(s)
    return out


def _source_lines(
    sources: list[SourcePassage],
    numbers: dict[tuple[str, str], int],
    registry: Registry,
    lang: str,
    *,
    quote: bool = True,
) -> list[str]:
    shown = [s for s in _unique(sources) if (s.doc, s.article) in numbers]
    if not shown:
        return []
    lines = ["", f"{section('sources', lang)}{'：' if lang == 'zh' else ':'}"]
    for s in sorted(shown, key=lambda s: numbers[(s.doc, s.article)]):
        doc = registry.get(s.doc)
        label = doc.label(s.article, lang) if doc else f"{s.doc} {s.article}"
        text = f" “{_excerpt(s.text, 80 if lang == 'zh' else 160)}”" if quote else ""
        lines.append(f"[{numbers[(s.doc, s.article)]}] {label}{text}")
    return lines


def _excerpt(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
