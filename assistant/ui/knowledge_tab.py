"""The console's Knowledge tab: drafts and published versions, preview, approve, publish, roll back, the answer-card
editor and the proposed cards. Callbacks are toolkit-neutral like `ConsoleTab`'s (the session cookie's value
first, checked on every call); `layout` lays the components out with the toolkit the app passes in.

Everything shown that came from outside (draft names, notes, card texts, recorded questions, validator messages
quoting a draft) is escaped with `answer.safe.plain` in Markdown; tables show text as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import yaml

from ..accounts import Account, Accounts, Permission, allowed
from ..answer.labels import outcome_label, value_label
from ..answer.safe import plain
from ..catalogue import has, word
from ..errors import AssistantError, KnowledgeError
from ..knowledge.preview import Preview, cards_in_force, preview, warm_golden
from ..knowledge.proposals import proposals
from ..knowledge.publish import publish_draft
from ..knowledge.store import Draft, KnowledgeStore, Version
from ..outcomes import OUTCOMES
from .updates import SKIP, Event, Layout, Refused, label, table, value

if TYPE_CHECKING:
    from ..pipeline import Assistant
    from ..retrieval.cards import Card
    from ..settings import Settings

DRAFT_COLUMNS: tuple[str, ...] = ("id", "status", "kind", "name", "author", "approved_by", "updated", "note")
"""The drafts table's columns (headed by `knowledge.draft_col.NAME`)."""
VERSION_COLUMNS: tuple[str, ...] = (
    "id", "kind", "name", "effective", "published_by", "approved_by", "published_at", "state", "note",
)  # fmt: skip
"""The versions table's columns (headed by `knowledge.version_col.NAME`)."""
PROPOSAL_COLUMNS: tuple[str, ...] = ("count", "suggested_id", "lang", "questions")
"""The proposed cards table's columns (headed by `knowledge.proposal_col.NAME`)."""
CARD_FIELDS: tuple[str, ...] = (
    "kn_card_id", "kn_card_topic", "kn_q_en", "kn_q_zh", "kn_a_en", "kn_a_zh", "kn_citations", "kn_card_from",
    "kn_card_to",
)  # fmt: skip
"""The card editor's fields, in the order the card callbacks take and return them."""
TABLES: tuple[str, ...] = ("kn_drafts", "kn_versions", "kn_message")
"""What the draft and version actions return, in order."""
MAX_FIELD_CHARS = 4000
"""A card editor field longer than this is refused (a card is a short answer)."""


def _columns(prefix: str, names: tuple[str, ...], lang: str) -> list[str]:
    return [word(f"knowledge.{prefix}.{name}", lang) for name in names]


def _cut(text: str, size: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[: size - 1] + "…"


def draft_rows(drafts: list[Draft], lang: str) -> list[list[str]]:
    """One row per draft, newest first."""
    return [
        [
            str(d.id),
            word(f"knowledge.status.{d.status}", lang),
            word(f"knowledge.kind.{d.kind}", lang) + (f" ({word('knowledge.retire_mark', lang)})" if d.retire else ""),
            d.name,
            d.author,
            d.approved_by or "",
            f"{d.updated_at:%Y-%m-%d %H:%M}",
            _cut(d.note),
        ]
        for d in drafts
    ]


def version_rows(versions: list[Version], in_force: set[int], lang: str) -> list[list[str]]:
    """One row per published version, newest first, with its state (in force, earlier, rolled back)."""
    rows = []
    for v in versions:
        state = "rolled_back" if v.rolled_back_at else "in_force" if v.id in in_force else "earlier"
        if v.retire and state == "in_force":
            state = "retired"
        rows.append(
            [
                str(v.id),
                word(f"knowledge.kind.{v.kind}", lang),
                v.name,
                v.effective_from.isoformat() if v.effective_from else "",
                v.published_by,
                v.approved_by or "",
                f"{v.published_at:%Y-%m-%d %H:%M}",
                word(f"knowledge.state.{state}", lang) + (f" ({v.rolled_back_by})" if v.rolled_back_by else ""),
                _cut(v.note),
            ]
        )
    return rows


def _outcome(value: str, lang: str) -> str:
    return outcome_label(value, lang) if value in OUTCOMES else value


def preview_markdown(result: Preview, lang: str) -> str:
    """The preview as Markdown: validation, the changes, and the answers that would change (all text escaped)."""
    kind = word(f"knowledge.kind.{result.kind}", lang)
    lines = [f"#### {word('knowledge.preview_of', lang, draft=result.draft_id, kind=kind, name=plain(result.name))}"]
    if result.replaces:
        sectors = ", ".join(value_label("industry", s, lang) for s in result.replaced_sectors)
        lines.append(f"⚠ {word('knowledge.replaces', lang, count=result.replaces, sectors=plain(sectors))}\n")
    if result.ok:
        lines.append(f"✓ {word('knowledge.valid', lang)}")
    else:
        lines.append(f"⚠ {word('knowledge.invalid', lang, count=len(result.problems))}")
        lines += [f"- {plain(p)}" for p in result.problems[:50]]
    lines.append(f"\n**{word('knowledge.changes', lang, count=len(result.changes))}**\n")
    for change in result.changes[:200]:
        what = word(f"knowledge.change.{change.what}", lang)
        detail = f": {plain(change.detail)}" if change.detail else ""
        lines.append(f"- {what} · {plain(change.section)} · {plain(change.ident)}{detail}")
    if result.checked:
        golden, recorded = result.checked.get("golden", 0), result.checked.get("recorded", 0)
        summary = word("knowledge.effects", lang, count=len(result.effects), golden=golden, recorded=recorded)
        lines.append(f"\n**{summary}**\n")
    if result.effects:
        head = [word(f"knowledge.effect_col.{c}", lang) for c in ("source", "case", "old", "new", "why", "question")]
        lines += ["| " + " | ".join(head) + " |", "|---|---|---|---|---|---|"]
        for e in result.effects[:300]:
            cells = [
                word(f"knowledge.source.{e.source}", lang),
                plain(e.case),
                _outcome(e.old, lang),
                _outcome(e.new, lang),
                plain(_cut(e.why, 240)),
                plain(_cut(e.question, 160)),
            ]
            lines.append("| " + " | ".join(c.replace("\n", " ") for c in cells) + " |")
    lines += [f"\n_{plain(note)}_" for note in result.notes]
    return "\n".join(lines)


def refusal(exc: AssistantError, lang: str) -> str:
    """Why a knowledge action was refused, in words."""
    if isinstance(exc, KnowledgeError) and has(f"knowledge.error.{exc.code}"):
        params = {k: str(v) for k, v in exc.params.items() if k != "problems"}
        text = word(f"knowledge.error.{exc.code}", lang, **params)
        problems = exc.params.get("problems")
        if isinstance(problems, list) and problems:
            text += "\n" + "\n".join(f"- {plain(str(p))}" for p in problems[:20])
        return f"⚠ {text}"
    return f"⚠ {plain(str(exc))}"


def _int(text: str | None) -> int | None:
    try:
        return int(str(text or "").strip())
    except ValueError:
        return None


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def card_yaml(fields: dict[str, str], kept: Card | None) -> str:
    """A card's YAML from the editor's fields; the detail lines and corrections of the card in force are kept.

    Raises:
        KnowledgeError: `bad_card` when a field is too long or a date is not YYYY-MM-DD.
    """
    if any(len(v or "") > MAX_FIELD_CHARS for v in fields.values()):
        raise KnowledgeError("bad_card", "a card field is too long", limit=MAX_FIELD_CHARS)
    raw: dict[str, Any] = {
        "id": (fields["kn_card_id"] or "").strip(),
        "topic": (fields["kn_card_topic"] or "").strip(),
        "questions": {"en": _lines(fields["kn_q_en"]), "zh": _lines(fields["kn_q_zh"])},
        "answer": {"en": " ".join((fields["kn_a_en"] or "").split()), "zh": (fields["kn_a_zh"] or "").strip()},
        "citations": _lines(fields["kn_citations"]),
    }
    for key, name in (("kn_card_from", "effective_from"), ("kn_card_to", "effective_to")):
        text = (fields[key] or "").strip()
        if text:
            try:
                raw[name] = dt.date.fromisoformat(text).isoformat()
            except ValueError:
                raise KnowledgeError("bad_date", f"{text!r} is not a date", text=text) from None
    if kept is not None:
        extra = kept.model_dump(mode="json", include={"detail", "corrects"}, exclude_none=True)
        raw |= {k: v for k, v in extra.items() if v}
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=1000)


class KnowledgeTab:
    """The Knowledge tab's callbacks over the store, for the accounts that sign in."""

    def __init__(self, accounts: Accounts, store: KnowledgeStore, settings: Settings, assistant: Assistant) -> None:
        """Act on `store` for the accounts of `accounts`; `assistant` lends its live cards and embedder."""
        self.accounts = accounts
        self.store = store
        self.settings = settings
        self.assistant = assistant

    def events(self) -> list[Event]:
        """The tab's events (each callback takes the session cookie's value first)."""
        draft = ("kn_draft_id", "lang")
        return [
            Event("kn_refresh", "click", self.refresh, ("lang",), TABLES),
            Event("kn_drafts", "select", self.pick_draft, (), ("kn_draft_id",)),
            Event("kn_versions", "select", self.pick_version, (), ("kn_version_id",)),
            Event("kn_preview", "click", self.preview, draft, ("kn_report", "kn_message")),
            Event("kn_approve", "click", self.approve, draft, TABLES),
            Event("kn_publish", "click", self.publish, draft, TABLES),
            Event("kn_withdraw", "click", self.withdraw, draft, TABLES),
            Event("kn_rollback", "click", self.rollback, ("kn_version_id", "kn_rollback_note", "lang"), TABLES),
            Event("kn_card_load", "click", self.load_card, ("kn_card_id", "lang"), (*CARD_FIELDS, "kn_card_message")),
            Event("kn_card_save", "click", self.save_card, (*CARD_FIELDS, "kn_card_note", "lang"),
                  ("kn_card_message", "kn_drafts")),
            Event("kn_card_retire", "click", self.retire_card, ("kn_card_id", "kn_card_note", "lang"),
                  ("kn_card_message", "kn_drafts")),
            Event("kn_propose", "click", self.propose, ("lang",), ("kn_proposals", "kn_card_message")),
            Event("kn_proposals", "select", self.pick_proposal, (), (*CARD_FIELDS, "kn_card_message")),
        ]  # fmt: skip

    def signed_in(self, token: str | None, lang: str, need: Permission = "cases") -> Account:
        """The signed-in account when its role may do `need`.

        Raises:
            Refused: no live session, or the role may not do this.
        """
        account = self.accounts.session(token)
        if account is None:
            raise Refused(word("console.session_ended", lang))
        if not allowed(account.role, need):
            raise Refused(word("console.forbidden", lang))
        return account

    # -- drafts and versions -----------------------------------------------------------------------------

    def _tables(self, lang: str) -> tuple[dict[str, Any], dict[str, Any]]:
        in_force = self.store.in_force_ids()
        drafts = table(draft_rows(self.store.drafts(), lang), _columns("draft_col", DRAFT_COLUMNS, lang))
        versions = version_rows(self.store.versions(), in_force, lang)
        return drafts, table(versions, _columns("version_col", VERSION_COLUMNS, lang))

    def refresh(self, token: str | None, lang: str) -> tuple[Any, ...]:
        """The drafts and versions tables (`TABLES`); the golden cases start loading for the first preview."""
        self.signed_in(token, lang)
        warm_golden(self.settings)
        return (*self._tables(lang), "")

    def pick_draft(self, token: str | None, row: list[Any] | None) -> str:
        """The draft id of a clicked row ('' without a live session)."""
        row = (row or []) if self.accounts.session(token) else []
        return str(row[0]) if row else ""

    def pick_version(self, token: str | None, row: list[Any] | None) -> str:
        """The version id of a clicked row ('' without a live session)."""
        return self.pick_draft(token, row)

    def preview(self, token: str | None, draft_id: str, lang: str) -> tuple[str, str]:
        """The preview of the draft: validation, diff and the answers that would change (the report, a message)."""
        self.signed_in(token, lang)
        number = _int(draft_id)
        if number is None:
            return SKIP, f"⚠ {word('knowledge.pick_draft', lang)}"  # type: ignore[return-value]
        try:
            result = preview(self.store.draft(number), self.store, self.settings, embedder=self._embedder())
        except AssistantError as exc:
            return "", refusal(exc, lang)
        return preview_markdown(result, lang), ""

    def _embedder(self) -> Any:
        return self.assistant.retriever.embedder  # the model alone: a preview needs no Chroma

    def _act(self, token: str | None, lang: str, need: Permission, act: Callable[[Account], str]) -> tuple[Any, ...]:
        account = self.signed_in(token, lang, need)
        try:
            message = f"✓ {act(account)}"
        except AssistantError as exc:
            message = refusal(exc, lang)
        return (*self._tables(lang), message)

    def approve(self, token: str | None, draft_id: str, lang: str) -> tuple[Any, ...]:
        """Approve the draft as the signed-in approver (not its author)."""

        def act(account: Account) -> str:
            draft = self.store.approve(self._draft_id(draft_id), account.name)
            return word("knowledge.approved", lang, draft=draft.id, name=account.name)

        return self._act(token, lang, "publish", act)

    def publish(self, token: str | None, draft_id: str, lang: str) -> tuple[Any, ...]:
        """Validate and publish the draft (approved by another account unless four eyes are off)."""

        def act(account: Account) -> str:
            version = publish_draft(self.store, self.settings, self._draft_id(draft_id), account.name)
            self._texts_changed(version)
            return word("knowledge.published", lang, version=version.id, name=plain(version.name))

        return self._act(token, lang, "cases", act)

    def withdraw(self, token: str | None, draft_id: str, lang: str) -> tuple[Any, ...]:
        """Set the draft aside."""

        def act(account: Account) -> str:
            draft = self.store.withdraw(self._draft_id(draft_id), account.name)
            return word("knowledge.withdrawn", lang, draft=draft.id)

        return self._act(token, lang, "cases", act)

    def rollback(self, token: str | None, version_id: str, note: str, lang: str) -> tuple[Any, ...]:
        """Take the version out of force (approver role)."""

        def act(account: Account) -> str:
            number = _int(version_id)
            if number is None:
                raise KnowledgeError("missing_version", "no version picked", version=version_id or "")
            version = self.store.rollback(number, account.name, note or "")
            self._texts_changed(version)
            return word("knowledge.rolled_back", lang, version=version.id, name=plain(version.name))

        return self._act(token, lang, "publish", act)

    def _texts_changed(self, version: Version) -> None:
        """A published or rolled-back official text changes the corpus: refresh the search index in the
        background (BM25 and citations see it at once when the refresh has run)."""
        retriever = getattr(self.assistant, "retriever", None)
        if version.kind == "text" and retriever is not None:
            retriever.start_refresh()

    @staticmethod
    def _draft_id(text: str) -> int:
        number = _int(text)
        if number is None:
            raise KnowledgeError("missing", "no draft picked", draft=text or "")
        return number

    # -- cards -------------------------------------------------------------------------------------------

    def load_card(self, token: str | None, card_id: str, lang: str) -> tuple[Any, ...]:
        """The card in force with this id, in the editor's fields (`CARD_FIELDS`), and a message."""
        self.signed_in(token, lang)
        wanted = (card_id or "").strip()
        card = next((c for c in cards_in_force(self.store, self.settings) if c.id == wanted), None)
        if card is None:
            return (*(SKIP for _ in CARD_FIELDS), f"⚠ {word('knowledge.no_card', lang, card=plain(wanted))}")
        return (
            card.id,
            card.topic,
            "\n".join(card.questions.en),
            "\n".join(card.questions.zh),
            card.answer.en,
            card.answer.zh,
            "\n".join(card.citations),
            card.effective_from.isoformat() if card.effective_from else "",
            card.effective_to.isoformat() if card.effective_to else "",
            word("knowledge.card_loaded", lang, card=plain(card.id)),
        )

    def save_card(self, token: str | None, *args: str) -> tuple[Any, ...]:
        """Save the editor's card as a draft (checked in the preview); the message and the drafts table."""
        *values, note, lang = args
        account = self.signed_in(token, lang)
        fields = dict(zip(CARD_FIELDS, values, strict=True))
        try:
            name = (fields["kn_card_id"] or "").strip()
            kept = next((c for c in cards_in_force(self.store, self.settings) if c.id == name), None)
            body = card_yaml(fields, kept)
            draft_id = self.store.save_draft("card", name, body, account.name, note or "")
        except AssistantError as exc:
            return refusal(exc, lang), SKIP
        return f"✓ {word('knowledge.card_saved', lang, draft=draft_id)}", self._tables(lang)[0]

    def retire_card(self, token: str | None, card_id: str, note: str, lang: str) -> tuple[Any, ...]:
        """Save a draft that retires the card (published like any draft)."""
        account = self.signed_in(token, lang)
        try:
            name = (card_id or "").strip()
            draft_id = self.store.save_draft("card", name, "", account.name, note or "", retire=True)
        except AssistantError as exc:
            return refusal(exc, lang), SKIP
        return f"✓ {word('knowledge.card_retire_saved', lang, draft=draft_id)}", self._tables(lang)[0]

    def propose(self, token: str | None, lang: str) -> tuple[Any, str]:
        """The most frequent recorded rule questions no card answers, grouped (the proposals table, a message)."""
        self.signed_in(token, lang)
        found = proposals(self.store.engine, self.assistant.cards.index(), self._embedder(), dt.date.today())
        rows = [[str(p.count), p.suggested_id, p.lang, "\n".join(p.questions)] for p in found]
        message = "" if rows else word("knowledge.no_proposals", lang)
        return table(rows, _columns("proposal_col", PROPOSAL_COLUMNS, lang)), message

    def pick_proposal(self, token: str | None, row: list[Any] | None) -> tuple[Any, ...]:
        """A clicked proposal in the card editor: its suggested id and question forms, to complete and save."""
        if self.accounts.session(token) is None or not row or len(row) < 4:
            return tuple(SKIP for _ in (*CARD_FIELDS, "msg"))
        questions = str(row[3])
        zh = str(row[2]) == "zh"
        return (
            str(row[1]), "", "" if zh else questions, questions if zh else "", "", "", "", "", "",
            "",
        )  # fmt: skip


def layout(page: Layout, gr: Any) -> None:
    """The Knowledge tab's components (inside the console's tabs), made with the toolkit module `gr`."""
    page.add(None, gr.Markdown, value("knowledge.intro", "_{}_"), elem_classes="muted")
    page.add("kn_refresh", gr.Button, value("knowledge.refresh"), size="sm", scale=0, elem_id="kn-refresh")
    page.add("kn_message", gr.Markdown, elem_id="kn-message")
    page.add(None, gr.Markdown, value("knowledge.drafts", "#### {}"))
    page.add(
        "kn_drafts", gr.Dataframe, value=table([], _columns("draft_col", DRAFT_COLUMNS, page.start)),
        interactive=False, wrap=True,
        max_height=300, elem_id="kn-drafts",
    )  # fmt: skip
    with gr.Row(equal_height=True):
        page.add("kn_draft_id", gr.Textbox, label("knowledge.draft_id"), max_lines=1, elem_id="kn-draft-id")
        for name in ("preview", "approve", "publish", "withdraw"):
            variant = "primary" if name == "publish" else "secondary"
            page.add(
                f"kn_{name}", gr.Button, value(f"knowledge.{name}"), variant=variant, scale=0, min_width=120,
                elem_id=f"kn-{name}",
            )  # fmt: skip
    page.add("kn_report", gr.Markdown, value="", elem_id="kn-report", max_height=600, container=True,
             sanitize_html=True, latex_delimiters=[])  # fmt: skip
    page.add(None, gr.Markdown, value("knowledge.versions", "#### {}"))
    page.add(
        "kn_versions", gr.Dataframe, value=table([], _columns("version_col", VERSION_COLUMNS, page.start)),
        interactive=False, wrap=True,
        max_height=300, elem_id="kn-versions",
    )  # fmt: skip
    with gr.Row(equal_height=True):
        page.add("kn_version_id", gr.Textbox, label("knowledge.version_id"), max_lines=1, elem_id="kn-version-id")
        page.add("kn_rollback_note", gr.Textbox, label("knowledge.note"), max_lines=1, elem_id="kn-rollback-note")
        page.add(
            "kn_rollback",
            gr.Button,
            value("knowledge.rollback"),
            variant="stop",
            scale=0,
            min_width=160,
            elem_id="kn-rollback",
        )
    page.add(None, gr.Markdown, value("knowledge.card_editor", "#### {}"))
    with gr.Row(equal_height=True):
        page.add("kn_card_id", gr.Textbox, label("knowledge.card_id"), max_lines=1, elem_id="kn-card-id")
        page.add("kn_card_topic", gr.Textbox, label("knowledge.card_topic"), max_lines=1, elem_id="kn-card-topic")
        page.add(
            "kn_card_load", gr.Button, value("knowledge.card_load"), scale=0, min_width=120, elem_id="kn-card-load"
        )
    with gr.Row():
        page.add("kn_q_en", gr.Textbox, label("knowledge.questions_en"), lines=4, elem_id="kn-q-en")
        page.add("kn_q_zh", gr.Textbox, label("knowledge.questions_zh"), lines=4, elem_id="kn-q-zh")
    with gr.Row():
        page.add("kn_a_en", gr.Textbox, label("knowledge.answer_en"), lines=3, elem_id="kn-a-en")
        page.add("kn_a_zh", gr.Textbox, label("knowledge.answer_zh"), lines=3, elem_id="kn-a-zh")
    with gr.Row():
        page.add("kn_citations", gr.Textbox, label("knowledge.citations"), lines=2, elem_id="kn-citations")
        page.add("kn_card_from", gr.Textbox, label("knowledge.effective_from"), max_lines=1, elem_id="kn-card-from")
        page.add("kn_card_to", gr.Textbox, label("knowledge.effective_to"), max_lines=1, elem_id="kn-card-to")
    with gr.Row(equal_height=True):
        page.add("kn_card_note", gr.Textbox, label("knowledge.note"), max_lines=1, elem_id="kn-card-note")
        page.add(
            "kn_card_save",
            gr.Button,
            value("knowledge.card_save"),
            variant="primary",
            scale=0,
            min_width=160,
            elem_id="kn-card-save",
        )
        page.add(
            "kn_card_retire",
            gr.Button,
            value("knowledge.card_retire"),
            scale=0,
            min_width=160,
            elem_id="kn-card-retire",
        )
    page.add("kn_card_message", gr.Markdown, elem_id="kn-card-message")
    page.add(None, gr.Markdown, value("knowledge.proposals", "#### {}"))
    page.add("kn_propose", gr.Button, value("knowledge.propose"), size="sm", scale=0, elem_id="kn-propose")
    page.add(
        "kn_proposals", gr.Dataframe, value=table([], _columns("proposal_col", PROPOSAL_COLUMNS, page.start)),
        interactive=False, wrap=True,
        max_height=300, elem_id="kn-proposals",
    )  # fmt: skip
