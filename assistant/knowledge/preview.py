"""What a draft would change, before anyone approves it: validation, the diff, and the effect on answers.

- Validation: a pack with every shipped and published pack by the rule-pack loader and validator (`rules/loader.py`,
  `rules/validate.py`: overlapping editions included); a card by the card schema (`retrieval/cards.py`) with each
  citation resolved against the corpus; a text as the JSON of its articles.
- The diff: against what is in force (the published version, else the shipped file): items, rules, fields,
  exclusions (packs), question forms, answer, citations (cards), articles (texts) added, changed, removed.
- The effect on answers (packs): every golden case (evals/questions.yaml, its facts as the assistant understands
  the question and its history) and every case recorded in the last 90 days (its stored facts) is checked under the
  rule book in force and under the rule book with the draft; those whose outcome would change are listed with
  the old and new outcome and why (the checker's steps that differ). Cards: the golden and recorded questions
  about the rules whose matching card would change. Texts change citations, not outcomes.

The golden cases' facts depend only on the code, so they are read once per process (the first preview of a
pack takes tens of seconds; later ones are quick).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..errors import AssistantError, CitationError, CorpusError, FactsError, RulePackError
from ..evalcases import load_cases
from ..facts import Facts
from ..rules import RuleBook, check, load_rulebook
from .live import pack_label
from .store import Draft, KnowledgeStore

if TYPE_CHECKING:
    from ..determination import Determination
    from ..retrieval.cards import Card
    from ..retrieval.embeddings import Embedder
    from ..settings import Settings

RECORDED_DAYS = 90
"""How far back recorded cases are re-decided."""
MAX_RECORDED = 5000
"""At most this many recorded cases (the newest) are re-decided."""
MAX_SHOWN_CHARS = 300
"""A question is shown cut to this length."""


@dataclass(frozen=True)
class Change:
    """One difference between the draft and what is in force: `what` is added, changed or removed."""

    what: str
    section: str
    ident: str
    detail: str = ""


@dataclass(frozen=True)
class Effect:
    """A case whose answer the draft would change: old and new outcome (or card) and why."""

    source: str
    case: str
    question: str
    old: str
    new: str
    why: str


@dataclass(frozen=True)
class Preview:
    """The preview of one draft."""

    draft_id: int
    kind: str
    name: str
    problems: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    replaces: int = 0
    """How many items of the pack in force an imported table replaces (stated by the import, 0 otherwise)."""
    replaced_sectors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the draft validates (it may be published once approved)."""
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """The preview as plain data (the CLI's --json)."""
        return {
            "draft": self.draft_id,
            "kind": self.kind,
            "name": self.name,
            "ok": self.ok,
            "problems": self.problems,
            "changes": [vars(c) for c in self.changes],
            "effects": [vars(e) for e in self.effects],
            "checked": self.checked,
            "notes": self.notes,
            "replaces": self.replaces,
            "replaced_sectors": self.replaced_sectors,
        }


@dataclass(frozen=True)
class GoldenCase:
    """A golden case as the preview re-decides it: its facts (None when not a transfer) and its date."""

    id: str
    question: str
    today: dt.date
    facts: Facts | None
    informational: bool


def preview(
    draft: Draft,
    store: KnowledgeStore,
    settings: Settings,
    *,
    golden: Sequence[GoldenCase] | None = None,
    recorded: bool = True,
    today: dt.date | None = None,
    embedder: Embedder | None = None,
) -> Preview:
    """Validate a draft, diff it against what is in force and list the answers it would change.

    Args:
        draft: the draft to preview.
        store: where what is in force is published (and where recorded cases are, the same database).
        settings: the folders of the shipped packs, cards and golden cases.
        golden: the golden cases to re-decide (default: evals/questions.yaml, understood once per process).
        recorded: whether to re-decide the cases recorded in the last 90 days.
        today: the date recorded cases are re-decided on (default: today).
        embedder: the embedder cards are matched with (default: the settings' one).
    """
    if draft.kind == "pack":
        return _pack(draft, store, settings, golden, recorded, today or dt.date.today())
    if draft.kind == "card":
        return _card(draft, store, settings, golden, recorded, embedder)
    return _text(draft, store, settings)


# -- packs -------------------------------------------------------------------------------------------------------


def _pack(
    draft: Draft,
    store: KnowledgeStore,
    settings: Settings,
    golden: Sequence[GoldenCase] | None,
    recorded: bool,
    today: dt.date,
) -> Preview:
    rules_dir, documents = settings.rules_path(), settings.corpus_dir / "documents.yaml"
    in_force = {v.name: v for v in store.published("pack")}
    current_texts = {pack_label(v): v.body for v in in_force.values()}
    base = _new_preview(draft)
    try:
        current = load_rulebook(rules_dir, documents, published=current_texts)
    except AssistantError as exc:
        return _with(base, problems=[f"the packs in force do not load: {exc}"])
    shipped = _shipped_packs(rules_dir)
    problems: list[str] = []
    if draft.retire:
        if draft.name in shipped:
            problems.append(f"'{draft.name}' is a shipped pack: publish a corrected version instead of retiring it")
        elif draft.name not in in_force:
            problems.append(f"no published pack '{draft.name}' to retire")
        body_texts = {k: v for k, v in current_texts.items() if k != _label_of(in_force, draft.name)}
    else:
        pack_id = _pack_id(draft.body)
        if pack_id is None:
            problems.append("the draft is not a rule pack (a YAML mapping with a 'pack' id)")
        elif pack_id != draft.name:
            problems.append(f"the draft's pack id '{pack_id}' is not its name '{draft.name}'")
        body_texts = {k: v for k, v in current_texts.items() if k != _label_of(in_force, draft.name)}
        body_texts[f"draft {draft.id} ({draft.name})"] = draft.body
    if problems:
        return _with(base, problems=problems)
    try:
        proposed = load_rulebook(rules_dir, documents, published=body_texts)
    except RulePackError as exc:
        return _with(base, problems=exc.problems)
    except AssistantError as exc:
        return _with(base, problems=[str(exc)])
    changes = _pack_changes(current, proposed, draft.name)
    effects, checked = _pack_effects(current, proposed, store, golden, settings, recorded, today)
    notes = [] if draft.name in current.packs else [f"'{draft.name}' is a new pack (a new edition or sector)"]
    return _with(base, changes=changes, effects=effects, checked=checked, notes=notes)


def _label_of(in_force: dict[str, Any], name: str) -> str | None:
    version = in_force.get(name)
    return pack_label(version) if version is not None else None


def _pack_id(body: str) -> str | None:
    try:
        raw = yaml.safe_load(body)
    except yaml.YAMLError:
        return None
    value = raw.get("pack") if isinstance(raw, dict) else None
    return value if isinstance(value, str) else None


def _shipped_packs(rules_dir: Path) -> set[str]:
    names: set[str] = set()
    for path in rules_dir.glob("*.yaml"):
        try:
            pack_id = _pack_id(path.read_text(encoding="utf-8"))
        except OSError:
            continue
        if pack_id:
            names.add(pack_id)
    return names


def _pack_changes(current: RuleBook, proposed: RuleBook, name: str) -> list[Change]:
    old, new = current.packs.get(name), proposed.packs.get(name)
    old_raw = old.model_dump(mode="json", exclude_none=True) if old is not None else {}
    new_raw = new.model_dump(mode="json", exclude_none=True) if new is not None else {}
    changes: list[Change] = []
    for section in ("items", "rules", "fields", "exclusions"):
        changes += _diff_by_id(section, old_raw.get(section) or [], new_raw.get(section) or [])
    for key in sorted(set(old_raw) | set(new_raw)):
        if key in ("items", "rules", "fields", "exclusions"):
            continue
        if old_raw.get(key) != new_raw.get(key):
            what = "added" if key not in old_raw else "removed" if key not in new_raw else "changed"
            changes.append(Change(what, "pack", key, _short(old_raw.get(key), new_raw.get(key))))
    return changes


def _diff_by_id(section: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    before = {str(x.get("id")): x for x in old}
    after = {str(x.get("id")): x for x in new}
    changes = [Change("added", section, i) for i in after if i not in before]
    changes += [Change("removed", section, i) for i in before if i not in after]
    for ident in (i for i in after if i in before and after[i] != before[i]):
        keys = sorted(k for k in set(before[ident]) | set(after[ident]) if before[ident].get(k) != after[ident].get(k))
        detail = "; ".join(f"{k}: {_short(before[ident].get(k), after[ident].get(k))}" for k in keys)
        changes.append(Change("changed", section, ident, detail))
    return changes


def _short(old: object, new: object) -> str:
    def shown(value: object) -> str:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True) if value is not None else "-"
        return text if len(text) <= 160 else text[:157] + "..."

    return f"{shown(old)} -> {shown(new)}"


def _pack_effects(
    current: RuleBook,
    proposed: RuleBook,
    store: KnowledgeStore,
    golden: Sequence[GoldenCase] | None,
    settings: Settings,
    recorded: bool,
    today: dt.date,
) -> tuple[list[Effect], dict[str, int]]:
    cases = list(golden) if golden is not None else golden_cases(settings)
    effects: list[Effect] = []
    for case in cases:
        if case.facts is not None:
            effect = _redecide("golden", case.id, case.question, case.facts, case.today, current, proposed)
            if effect is not None:
                effects.append(effect)
    checked = {"golden": sum(1 for c in cases if c.facts is not None)}
    if recorded:
        rows = recorded_cases(store, today)
        for case_id, question, facts in rows:
            effect = _redecide("recorded", case_id, question, facts, today, current, proposed)
            if effect is not None:
                effects.append(effect)
        checked["recorded"] = len(rows)
    return effects, checked


def _redecide(
    source: str, case: str, question: str, facts: Facts, day: dt.date, current: RuleBook, proposed: RuleBook
) -> Effect | None:
    try:
        old = check(facts, current, today=day)
    except FactsError:
        return None
    try:
        new = check(facts, proposed, today=day)
    except FactsError as exc:
        return Effect(source, case, _cut(question), old.outcome, "error", str(exc))
    if old.outcome == new.outcome:
        return None
    return Effect(source, case, _cut(question), old.outcome, new.outcome, _why(old, new))


def _why(old: Determination, new: Determination) -> str:
    """The checker's steps that differ: what the new rule book read differently."""
    before = {(t.rule, t.pack, t.result) for t in old.trace if t.rule != "outcome"}
    after = {(t.rule, t.pack, t.result) for t in new.trace if t.rule != "outcome"}
    now = [f"{rule} ({pack}): {result}" for rule, pack, result in sorted(after - before)]
    gone = [f"no longer {rule} ({pack}): {result}" for rule, pack, result in sorted(before - after)]
    text = "; ".join(now + gone) or "the deciding reason changed"
    return text if len(text) <= 600 else text[:597] + "..."


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 1] + "…"


def recorded_cases(store: KnowledgeStore, today: dt.date) -> list[tuple[str, str, Facts]]:
    """The cases recorded in the last `RECORDED_DAYS` days with valid facts: (id, question as stored, facts)."""
    from ..casefile.audit import CaseRow

    since = dt.datetime.combine(today - dt.timedelta(days=RECORDED_DAYS), dt.time(), tzinfo=dt.UTC)
    query = (
        select(CaseRow.id, CaseRow.question, CaseRow.facts_json)
        .where(CaseRow.created_at >= since, CaseRow.error.is_(None))
        .order_by(CaseRow.created_at.desc())
        .limit(MAX_RECORDED)
    )
    found: list[tuple[str, str, Facts]] = []
    try:
        with Session(store.engine) as session:
            rows = list(session.execute(query))
    except SQLAlchemyError:
        return []
    for case_id, question, facts_json in rows:
        try:
            raw = json.loads(facts_json or "{}")
            if not isinstance(raw, dict) or not raw:
                continue
            found.append((case_id, question, Facts.model_validate(raw)))
        except (ValueError, ValidationError):
            continue
    return found


_GOLDEN: dict[tuple[str, float], list[GoldenCase]] = {}
_GOLDEN_LOCK = threading.Lock()


def golden_cases(settings: Settings) -> list[GoldenCase]:
    """The golden cases of evals/questions.yaml with the facts the assistant reads from them (once per process);
    empty when the file is not there (an installed package without its evals)."""
    path = settings.corpus_dir.parent / "evals" / "questions.yaml"
    try:
        key = (str(path.resolve()), path.stat().st_mtime)
    except OSError:
        return []
    with _GOLDEN_LOCK:
        if key not in _GOLDEN:
            _GOLDEN[key] = _understand_golden(path)
        return list(_GOLDEN[key])


_WARMING: set[str] = set()


def warm_golden(settings: Settings) -> None:
    """Read the golden cases in a background thread (once per process), so the first preview is quick: the
    console calls it when an officer opens the drafts."""
    key = str(settings.corpus_dir.resolve())
    with _GOLDEN_LOCK:
        if key in _WARMING:
            return
        _WARMING.add(key)
    threading.Thread(target=golden_cases, args=(settings,), name="golden-cases", daemon=True).start()


def _understand_golden(path: Path) -> list[GoldenCase]:
    from ..understanding import extract_facts
    from ..understanding.focus import focus

    day, cases = load_cases(path)
    found: list[GoldenCase] = []
    for case in cases:
        previous: Facts | None = None
        for turn in case.history:
            previous = extract_facts(focus(turn), previous).facts
        understood = extract_facts(focus(case.question), previous)
        transfer = understood.intent == "transfer" or previous is not None
        found.append(
            GoldenCase(
                id=case.id,
                question=case.question,
                today=case.today or day,
                facts=understood.facts if transfer else None,
                informational=understood.intent == "informational",
            )
        )
    return found


# -- cards -------------------------------------------------------------------------------------------------------


def card_resolver(settings: Settings) -> Callable[[str, str], object]:
    """Resolves (document, article) against the corpus's passages (no index, no embedding)."""
    from ..retrieval.corpus import load_passages

    known = {(p.doc, p.article) for p in load_passages(settings)}

    def resolve(doc: str, article: str) -> object:
        if (doc, article) not in known:
            raise CitationError(f"no passage for document {doc!r}, article {article!r}")
        return True

    return resolve


def cards_in_force(store: KnowledgeStore, settings: Settings) -> list[Card]:
    """The cards answering now: shipped ones, replaced or retired by published ones (invalid published skipped)."""
    from ..retrieval.cards import load_cards, parse_card

    published: list[Card] = []
    for version in store.published("card"):
        try:
            published.append(parse_card(version.body, pack_label(version)))
        except CorpusError:
            continue
    hidden = {c.id for c in published} | set(store.retired("card"))
    return [c for c in load_cards(settings.corpus_dir / "cards") if c.id not in hidden] + published


def _card(
    draft: Draft,
    store: KnowledgeStore,
    settings: Settings,
    golden: Sequence[GoldenCase] | None,
    recorded: bool,
    embedder: Embedder | None,
) -> Preview:
    from ..retrieval.cards import parse_card

    base = _new_preview(draft)
    current = cards_in_force(store, settings)
    old = next((c for c in current if c.id == draft.name), None)
    if draft.retire:
        if old is None:
            return _with(base, problems=[f"no card '{draft.name}' in force to retire"])
        proposed = [c for c in current if c.id != draft.name]
        changes = [Change("removed", "cards", draft.name)]
    else:
        try:
            card = parse_card(draft.body, f"draft {draft.id}", card_resolver(settings))
        except CorpusError as exc:
            return _with(base, problems=[str(exc)])
        if card.id != draft.name:
            return _with(base, problems=[f"the card's id '{card.id}' is not the draft's name '{draft.name}'"])
        proposed = [c for c in current if c.id != card.id] + [card]
        changes = _card_changes(old, card)
    questions = [
        (c.id, c.question) for c in (golden if golden is not None else golden_cases(settings)) if c.informational
    ]
    checked = {"golden": len(questions)}
    if recorded:
        rows = _recorded_questions(store, dt.date.today())
        questions += rows
        checked["recorded"] = len(rows)
    effects = _card_effects(current, proposed, questions, embedder or _embedder(settings), settings)
    return _with(base, changes=changes, effects=effects, checked=checked)


def _embedder(settings: Settings) -> Embedder:
    from ..retrieval import make_embedder

    return make_embedder(settings)


def _card_changes(old: Card | None, new: Card) -> list[Change]:
    if old is None:
        return [Change("added", "cards", new.id)]
    before, after = old.model_dump(mode="json"), new.model_dump(mode="json")
    changes: list[Change] = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            changes.append(Change("changed", "cards", f"{new.id}.{key}", _short(before.get(key), after.get(key))))
    return changes


def _recorded_questions(store: KnowledgeStore, today: dt.date) -> list[tuple[str, str]]:
    from ..casefile.audit import CaseRow

    since = dt.datetime.combine(today - dt.timedelta(days=RECORDED_DAYS), dt.time(), tzinfo=dt.UTC)
    query = (
        select(CaseRow.id, CaseRow.question)
        .where(CaseRow.created_at >= since, CaseRow.outcome == "informational")
        .order_by(CaseRow.created_at.desc())
        .limit(MAX_RECORDED)
    )
    try:
        with Session(store.engine) as session:
            return [(str(i), str(q)) for i, q in session.execute(query)]
    except SQLAlchemyError:
        return []


class _Remembering:
    """An embedder that remembers every query vector of one preview (each question is matched twice)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._seen: dict[str, list[float]] = {}

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        if text not in self._seen:
            self._seen[text] = self.inner.embed_query(text)
        return self._seen[text]


def _card_effects(
    current: Iterable[Card],
    proposed: Iterable[Card],
    questions: Sequence[tuple[str, str]],
    embedder: Embedder,
    settings: Settings,
) -> list[Effect]:
    from ..retrieval.cards import CardIndex

    if not questions:
        return []
    remembering: Any = _Remembering(embedder)
    cache = settings.data_dir / "cards"
    before = CardIndex(list(current), remembering, cache)
    after = CardIndex(list(proposed), remembering, cache)
    effects: list[Effect] = []
    for case, question in questions:
        old, new = before.match(question), after.match(question)
        old_id, new_id = (old.card.id if old else "-"), (new.card.id if new else "-")
        if old_id != new_id:
            why = f"score {new.score:.2f}" if new else "no card reaches the threshold now"
            source = "recorded" if len(case) == 32 else "golden"
            effects.append(Effect(source, case, _cut(question), old_id, new_id, why))
    return effects


# -- texts -------------------------------------------------------------------------------------------------------


def _text(draft: Draft, store: KnowledgeStore, settings: Settings) -> Preview:
    from ..documents import load_registry
    from .texts import passages_from_body

    base = _new_preview(draft)
    new, problems = _articles(draft.body) if not draft.retire else ({}, [])
    if not problems and not draft.retire:
        documents = load_registry(settings.corpus_dir / "documents.yaml").documents
        if not passages_from_body(draft.body, documents):
            problems.append("the text lacks its document id, titles, issuer or dates (doc, title_zh, title_en, ...)")
    if problems:
        return _with(base, problems=problems)
    in_force = store.in_force("text", draft.name)
    old = _articles(in_force.body)[0] if in_force is not None else {}
    changes = [Change("added", "articles", a) for a in new if a not in old]
    changes += [Change("removed", "articles", a) for a in old if a not in new]
    changes += [Change("changed", "articles", a) for a in new if a in old and new[a] != old[a]]
    return _with(base, changes=changes, notes=["an official text changes what is cited and quoted, not outcomes"])


def _articles(body: str) -> tuple[dict[str, str], list[str]]:
    """A text draft's articles (id -> text) and the problems that stop it loading."""
    try:
        raw = json.loads(body)
    except ValueError as exc:
        return {}, [f"the text is not valid JSON: {exc}"]
    if not isinstance(raw, dict) or not isinstance(raw.get("articles"), list):
        return {}, ["the text is a JSON object with a list of 'articles'"]
    articles: dict[str, str] = {}
    problems: list[str] = []
    for n, article in enumerate(raw["articles"], 1):
        if not isinstance(article, dict):
            problems.append(f"article #{n}: not an object")
            continue
        ident = str(article.get("article") or article.get("id") or "")
        text = article.get("text")
        if not ident or not isinstance(text, str) or not text.strip():
            problems.append(f"article #{n}: needs an article number and its text")
        elif ident in articles:
            problems.append(f"article {ident}: listed twice")
        else:
            articles[ident] = text
    if not articles and not problems:
        problems.append("the text has no articles")
    return articles, problems


# -- helpers -----------------------------------------------------------------------------------------------------


def _new_preview(draft: Draft) -> Preview:
    replaces = draft.provenance.get("replaces", "")
    sectors = [s.strip() for s in draft.provenance.get("replaced_sectors", "").split(",") if s.strip()]
    return Preview(
        draft_id=draft.id,
        kind=draft.kind,
        name=draft.name,
        replaces=int(replaces) if replaces.isdigit() else 0,
        replaced_sectors=sectors,
    )


def _with(base: Preview, **changes: Any) -> Preview:
    return Preview(**{**vars(base), **changes})
