"""The console's Import tab: upload an item table, map its columns, see the rows that cannot be read, save a pack
draft; upload an official text as a text draft; export cases, feedback and packs.

Callbacks are toolkit-neutral like the Knowledge tab's (the session cookie's value first, checked on every call);
`layout` lays the components out with the toolkit the app passes in. Drafts saved here are previewed, approved
and published in the Knowledge tab; nothing here publishes. Text that came from an upload (headers, cells) is
shown in tables (text, never Markdown) or escaped with `answer.safe.plain`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..accounts import Account, Accounts, Permission, allowed
from ..answer.labels import value_label
from ..answer.safe import plain
from ..catalogue import word
from ..errors import AssistantError, KnowledgeError, UploadError
from ..knowledge.desk import ImportDesk
from ..knowledge.exports import Format, export_cases, export_pack_xlsx, export_pack_yaml
from ..knowledge.itemdraft import PackMeta
from ..knowledge.mapping import FIELDS, Mapping, header_row, missing
from ..knowledge.texts import TextMeta
from .updates import SKIP, Event, Layout, Refused, label, update, value

if TYPE_CHECKING:
    from ..knowledge.store import KnowledgeStore
    from ..settings import Settings

MAP_FIELDS: tuple[str, ...] = tuple(f"im_map_{f}" for f in FIELDS)
"""The column pickers, one per item field, in `FIELDS` order."""
NEW_LIST: tuple[str, ...] = (
    "im_new", "im_edition", "im_title_en", "im_title_zh", "im_list_doc", "im_from", "im_to", "im_other_zone",
    "im_beijing_use",
)  # fmt: skip
"""The fields of a new list (used when `im_new` is ticked), in the order `import_table` takes them."""
TEXT_FIELDS: tuple[str, ...] = (
    "im_text_file", "im_doc", "im_text_lang", "im_text_title_zh", "im_text_title_en", "im_issuer", "im_published",
    "im_effective", "im_url",
)  # fmt: skip
"""The text upload's fields, in the order `import_text` takes them."""
ERROR_COLUMNS: tuple[str, ...] = ("row", "reason")
"""The row problems table's columns (headed by `imports.col.NAME`)."""
NO_PROBLEMS = ""
"""The row problems box when there are none (it shows nothing)."""


def problem_list(rows: list[tuple[int, str]], lang: str) -> str:
    """Every row that cannot be read, with why, as one Markdown table: the whole list is in the page (the box
    scrolls), so none is left out of sight and it can be searched or copied whole. Reasons are escaped."""
    if not rows:
        return NO_PROBLEMS
    head = "| " + " | ".join(word(f"imports.col.{name}", lang) for name in ERROR_COLUMNS) + " |\n|---|---|"
    return "\n".join([head, *(f"| {number} | {plain(' '.join(reason.split()))} |" for number, reason in rows)])


def refusal(exc: AssistantError, lang: str) -> str:
    """Why an upload or a save was refused, in words."""
    if isinstance(exc, UploadError):
        params = {k: str(v) for k, v in exc.params.items()}
        return f"⚠ {word(f'imports.error.{exc.code}', lang, **params)}"
    if isinstance(exc, KnowledgeError):
        return f"⚠ {word(f'knowledge.error.{exc.code}', lang, **{k: str(v) for k, v in exc.params.items()})}"
    return f"⚠ {plain(str(exc))}"


def replaces(replaced: dict[str, int], pack: str, lang: str) -> str:
    """The warning that a saved draft, once published, replaces items of the pack in force (per sector)."""
    sectors = ", ".join(f"{value_label('industry', s, lang)} ({n})" for s, n in replaced.items())
    return word("imports.replaces", lang, count=sum(replaced.values()), name=plain(pack), sectors=plain(sectors))


def _day(text: str, optional: bool = False) -> dt.date | None:
    text = (text or "").strip()
    if not text and optional:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UploadError("bad_date", f"{text!r} is not a date", text=text[:40]) from None


class ImportTab:
    """The Import tab's callbacks over an import desk, for the accounts that sign in."""

    def __init__(self, accounts: Accounts, store: KnowledgeStore | None, settings: Settings) -> None:
        """Save drafts in `store` for the accounts of `accounts`."""
        self.accounts = accounts
        self.desk = ImportDesk(settings, store)
        self.store = store
        self._downloads: Path | None = None

    def events(self) -> list[Event]:
        """The tab's events (each callback takes the session cookie's value first)."""
        read_out = ("im_headers", *MAP_FIELDS, "im_errors", "im_message")
        save_in = ("im_table_file", "im_pack", *NEW_LIST, *MAP_FIELDS, "im_note", "lang")
        return [
            Event("im_read", "click", self.read_table, ("im_table_file", "im_pack", "im_new", "lang"), read_out),
            Event("im_save", "click", self.import_table, save_in, ("im_errors", "im_message")),
            Event("im_text_save", "click", self.import_text, (*TEXT_FIELDS, "im_note", "lang"), ("im_text_message",)),
            Event("im_export_cases", "click", self.export_cases,
                  ("im_since", "im_until", "im_feedback_only", "im_format", "lang"),
                  ("im_cases_file", "im_ex_message")),
            Event("im_export_pack", "click", self.export_pack, ("im_ex_pack", "im_pack_format", "lang"),
                  ("im_pack_file", "im_ex_message")),
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

    # -- item tables -------------------------------------------------------------------------------------

    def read_table(self, token: str | None, path: str | None, pack: str, new: bool, lang: str) -> tuple[Any, ...]:
        """Read the uploaded table: its headers, each field's column (saved for this pack, else guessed), and a
        message. Nothing is saved."""
        self.signed_in(token, lang)
        keep = tuple(SKIP for _ in MAP_FIELDS)
        try:
            name, data = self.desk.upload(path)
            grid = self.desk.read(name, data)
        except AssistantError as exc:
            return (SKIP, *keep, NO_PROBLEMS, refusal(exc, lang))
        mapping, headers = self.desk.mapping(grid, (pack or "").strip())
        pickers = tuple(
            update(choices=["", *dict.fromkeys(h for h in headers if h)], value=mapping.get(f, "")) for f in FIELDS
        )
        head = header_row(grid).number
        rows = sum(1 for r in grid.rows if r.number > head)
        lacking = missing(mapping, headers)
        note = word("imports.read", lang, rows=rows, file=plain(name))
        if lacking:
            fields = ", ".join(word(f"imports.field.{f}", lang) for f in lacking)
            note += " " + word("imports.choose", lang, fields=fields)
        return (", ".join(h for h in headers if h), *pickers, NO_PROBLEMS, note)  # a text box: as is

    def import_table(self, token: str | None, path: str | None, pack: str, *rest: Any) -> tuple[Any, str]:
        """Check the table with the chosen columns; save a pack draft when every row is read (row problems, message).

        `rest`: the new-list fields (`NEW_LIST`), the column pickers (`MAP_FIELDS`), the note and the language.
        """
        lang = str(rest[-1])
        account = self.signed_in(token, lang)
        new_fields, picks, note = rest[: len(NEW_LIST)], rest[len(NEW_LIST) : -2], str(rest[-2] or "")
        mapping: Mapping = {f: str(h) for f, h in zip(FIELDS, picks, strict=True) if h}
        try:
            name, data = self.desk.upload(path)
            grid = self.desk.read(name, data)
            meta = self._meta((pack or "").strip(), *new_fields[1:]) if new_fields[0] else None
            base = None if meta else (pack or "").strip() or "beijing-2025"
            headers = self.desk.mapping(grid, "")[1]
            lacking = missing(mapping, headers)
            if lacking:
                fields = ", ".join(word(f"imports.field.{f}", lang) for f in lacking)
                return NO_PROBLEMS, f"⚠ {word('imports.choose', lang, fields=fields)}"
            result = self.desk.import_table(grid, mapping, account.name, base=base, meta=meta, data=data, note=note)
        except AssistantError as exc:
            return NO_PROBLEMS, refusal(exc, lang)
        draft = result.draft
        rows = sorted((p.row, p.text(lang)) for p in (*draft.problems, *draft.skipped))
        if draft.ok and result.draft_id is not None:
            target = meta.pack if meta else base or ""
            message = "✓ " + word("imports.saved", lang, draft=result.draft_id, items=draft.items, name=plain(target))
            if draft.replaced:
                message += "\n\n⚠ " + replaces(draft.replaced, target, lang)
        elif draft.problems:
            message = "⚠ " + word("imports.rows_unread", lang, count=draft.unread_rows)
        else:
            problems = "\n".join(f"- {plain(p)}" for p in draft.pack_problems[:30])
            message = "⚠ " + word("imports.pack_invalid", lang, count=len(draft.pack_problems)) + "\n\n" + problems
        return problem_list(rows, lang), message

    def _meta(self, pack: str, edition: str, title_en: str, title_zh: str, list_doc: str, start: str, end: str,
              other_zone: str, beijing_use: bool) -> PackMeta:  # fmt: skip
        """A new list's description from the form (its id is the pack box's value)."""
        values = [pack, edition, title_en, title_zh, list_doc, start]
        if not all((v or "").strip() for v in values):
            raise UploadError("bad_meta", "a new list needs its edition, titles, list document and start date")
        other = (other_zone or "").strip() or None
        effective_from = _day(start)
        assert effective_from is not None
        return PackMeta(
            pack=pack,
            edition=edition.strip(), title_en=title_en.strip(), title_zh=title_zh.strip(), list_doc=list_doc.strip(),
            effective_from=effective_from, effective_to=_day(end, optional=True),
            zones=("other_ftz",) if other else ("beijing_ftz", "beijing"), other_zone=other,
            beijing_use=bool(other and beijing_use),
        )  # fmt: skip

    # -- official texts ----------------------------------------------------------------------------------

    def import_text(self, token: str | None, path: str | None, doc: str, text_lang: str, title_zh: str,
                    title_en: str, issuer: str, published: str, effective: str, url: str, note: str,
                    lang: str) -> str:  # fmt: skip
        """Read the uploaded text into articles and save it as a text draft; a message."""
        account = self.signed_in(token, lang)
        try:
            name, data = self.desk.upload(path)
            if not all((v or "").strip() for v in (title_zh, title_en, issuer)):
                raise UploadError("bad_meta", "a text needs its titles and issuer")
            meta = TextMeta(
                doc=(doc or "").strip(), lang="en" if text_lang == "en" else "zh", title_zh=title_zh, title_en=title_en,
                issuer=issuer, published=_day(published) or dt.date.min, effective=_day(effective) or dt.date.min,
                url=(url or "").strip() or None,
            )  # fmt: skip
            made, draft_id = self.desk.import_text(meta, name, data, account.name, note or "")
        except AssistantError as exc:
            return refusal(exc, lang)
        return "✓ " + word("imports.text_saved", lang, draft=draft_id, name=plain(made.name), count=len(made.articles))

    # -- exports -----------------------------------------------------------------------------------------

    def _file(self, name: str, data: bytes) -> str:
        if self._downloads is None:
            self._downloads = Path(tempfile.mkdtemp(prefix="assistant-exports-"))
        path = self._downloads / name
        path.write_bytes(data)
        return str(path)

    def export_cases(
        self, token: str | None, since: str, until: str, feedback_only: bool, fmt: str, lang: str
    ) -> tuple[Any, str]:
        """The cases (or the feedback) of the period as a download."""
        self.signed_in(token, lang)
        try:
            start, end = _day(since, optional=True), _day(until, optional=True)
            if self.store is None:
                raise UploadError("no_store", "no database")
            kind: Format = "csv" if fmt == "csv" else "xlsx"
            data = export_cases(self.store.engine, kind, feedback_only=bool(feedback_only), since=start, until=end)
        except AssistantError as exc:
            return update(visible=False), refusal(exc, lang)
        stem = "feedback" if feedback_only else "cases"
        period = f"{start or 'start'}_{end or dt.date.today()}"
        return update(value=self._file(f"{stem}_{period}.{kind}", data), visible=True), ""

    def export_pack(self, token: str | None, name: str, fmt: str, lang: str) -> tuple[Any, str]:
        """A pack in force as YAML or as an .xlsx item table, as a download."""
        self.signed_in(token, lang)
        book, _ = self.desk.packs_in_force()
        pack = book.packs.get((name or "").strip())
        if pack is None:
            return update(visible=False), refusal(UploadError("no_pack", "no such pack"), lang)
        if fmt == "xlsx":
            path = self._file(f"{pack.pack}.xlsx", export_pack_xlsx(pack))
        else:
            path = self._file(f"{pack.pack}.yaml", export_pack_yaml(pack).encode("utf-8"))
        return update(value=path, visible=True), ""


def layout(page: Layout, gr: Any) -> None:
    """The Import tab's components (inside the console's tabs), made with the toolkit module `gr`."""
    page.add(None, gr.Markdown, value("imports.intro", "_{}_"), elem_classes="muted")
    page.add(None, gr.Markdown, value("imports.table_title", "#### {}"))
    with gr.Row(equal_height=True):
        page.add("im_table_file", gr.File, label("imports.table_file"), file_types=[".xlsx", ".csv", ".docx"],
                 type="filepath", elem_id="im-table-file")  # fmt: skip
        with gr.Column():
            page.add("im_pack", gr.Textbox, label("imports.pack"), value="beijing-2025", max_lines=1, elem_id="im-pack")
            page.add("im_read", gr.Button, value("imports.read_button"), elem_id="im-read")
    with page.add(None, gr.Accordion, label("imports.new_list"), open=False, elem_id="im-new-list"):
        page.add("im_new", gr.Checkbox, label("imports.new"), value=False, elem_id="im-new")
        with gr.Row():
            for name, key in (("im_edition", "edition"), ("im_title_en", "title_en"), ("im_title_zh", "title_zh"),
                              ("im_list_doc", "list_doc")):  # fmt: skip
                page.add(name, gr.Textbox, label(f"imports.{key}"), max_lines=1)
        with gr.Row():
            for name, key in (("im_from", "from"), ("im_to", "to"), ("im_other_zone", "other_zone")):
                page.add(name, gr.Textbox, label(f"imports.{key}"), max_lines=1)
            page.add("im_beijing_use", gr.Checkbox, label("imports.beijing_use"), value=False)
    page.add("im_headers", gr.Textbox, label("imports.headers"), interactive=False, elem_id="im-headers")
    with gr.Row():
        for field in FIELDS[:6]:
            page.add(f"im_map_{field}", gr.Dropdown, label(f"imports.field.{field}"), choices=[""], value="",
                     allow_custom_value=False, elem_id=f"im-map-{field}")  # fmt: skip
    with gr.Row():
        for field in FIELDS[6:]:
            page.add(f"im_map_{field}", gr.Dropdown, label(f"imports.field.{field}"), choices=[""], value="",
                     allow_custom_value=False, elem_id=f"im-map-{field}")  # fmt: skip
    with gr.Row(equal_height=True):
        page.add("im_note", gr.Textbox, label("knowledge.note"), max_lines=1, elem_id="im-note")
        page.add("im_save", gr.Button, value("imports.save"), variant="primary", elem_id="im-save")
    page.add("im_message", gr.Markdown, elem_id="im-message")
    page.add("im_errors", gr.Markdown, value=NO_PROBLEMS, max_height=360, elem_id="im-errors")
    page.add(None, gr.Markdown, value("imports.text_title", "#### {}"))
    with gr.Row(equal_height=True):
        page.add("im_text_file", gr.File, label("imports.text_file"), file_types=[".docx", ".pdf", ".txt"],
                 type="filepath", elem_id="im-text-file")  # fmt: skip
        with gr.Column():
            page.add("im_doc", gr.Textbox, label("imports.doc"), max_lines=1, elem_id="im-doc")
            page.add("im_text_lang", gr.Radio, label("imports.text_lang"), choices=["zh", "en"], value="zh")
    with gr.Row():
        for name, key in (("im_text_title_zh", "title_zh"), ("im_text_title_en", "title_en"),
                          ("im_issuer", "issuer")):  # fmt: skip
            page.add(name, gr.Textbox, label(f"imports.{key}"), max_lines=1, elem_id=name.replace("_", "-"))
    with gr.Row(equal_height=True):
        for name, key in (("im_published", "published"), ("im_effective", "effective"), ("im_url", "url")):
            page.add(name, gr.Textbox, label(f"imports.{key}"), max_lines=1, elem_id=name.replace("_", "-"))
        page.add("im_text_save", gr.Button, value("imports.text_save"), variant="primary", elem_id="im-text-save")
    page.add("im_text_message", gr.Markdown, elem_id="im-text-message")
    page.add(None, gr.Markdown, value("imports.export_title", "#### {}"))
    with gr.Row(equal_height=True):
        page.add("im_since", gr.Textbox, label("console.since"), max_lines=1, elem_id="im-since")
        page.add("im_until", gr.Textbox, label("console.until"), max_lines=1, elem_id="im-until")
        page.add("im_feedback_only", gr.Checkbox, label("imports.feedback_only"), value=False)
        page.add("im_format", gr.Radio, label("imports.format"), choices=["xlsx", "csv"], value="xlsx")
        page.add("im_export_cases", gr.Button, value("imports.export_cases"), elem_id="im-export-cases")
        page.add("im_cases_file", gr.DownloadButton, label("imports.download"), visible=False, elem_id="im-cases-file")
    with gr.Row(equal_height=True):
        page.add("im_ex_pack", gr.Textbox, label("imports.pack"), value="beijing-2025", max_lines=1)
        page.add("im_pack_format", gr.Radio, label("imports.format"), choices=["yaml", "xlsx"], value="yaml")
        page.add("im_export_pack", gr.Button, value("imports.export_pack"), elem_id="im-export-pack")
        page.add("im_pack_file", gr.DownloadButton, label("imports.download"), visible=False, elem_id="im-pack-file")
    page.add("im_ex_message", gr.Markdown, elem_id="im-ex-message")
