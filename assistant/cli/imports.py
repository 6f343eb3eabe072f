"""`assistant knowledge import-table | import-text | export-cases | export-pack`: the help desk's imports and
exports for scripts (the console's Import section does the same).

Imports save drafts only (never publish). A table with unreadable rows prints each row's number and reason and
exits 1 without a draft.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ..settings import Settings

IMPORT_ACTIONS: tuple[str, ...] = ("import-table", "import-text", "export-cases", "export-pack")
"""The `knowledge` actions this module runs."""


def add_parsers(knowledge: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the import and export actions on the `knowledge` command's subparsers."""
    table = knowledge.add_parser("import-table", help="an item table (.xlsx, .csv, .docx) -> a pack draft")
    table.add_argument("file", type=Path)
    table.add_argument("--as", dest="actor", required=True, help="the account saving the draft")
    which = table.add_mutually_exclusive_group(required=True)
    which.add_argument("--pack", help="a new version of this loaded list pack (e.g. beijing-2025)")
    which.add_argument("--new", metavar="PACK", help="a new list pack of this id (give --edition, --title-*, ...)")
    table.add_argument("--edition", default="")
    table.add_argument("--title-en", default="")
    table.add_argument("--title-zh", default="")
    table.add_argument("--list-doc", default="", help="the list's document id (its items are its articles)")
    table.add_argument("--from", dest="effective_from", type=dt.date.fromisoformat, default=None)
    table.add_argument("--to", dest="effective_to", type=dt.date.fromisoformat, default=None)
    table.add_argument("--other-zone", default=None, help="another province's list: its zone id (e.g. tianjin_ftz)")
    table.add_argument("--beijing-use", action="store_true", help="another province's list Beijing may use")
    table.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER", help="choose a column")
    table.add_argument("--check", action="store_true", help="read and validate only; save no draft")
    table.add_argument("--note", default="")
    text = knowledge.add_parser("import-text", help="an official text (.docx, .pdf, .txt) -> a text draft")
    text.add_argument("file", type=Path)
    text.add_argument("--as", dest="actor", required=True)
    text.add_argument("--doc", required=True, help="document id (lower case, digits, dashes)")
    text.add_argument("--lang", choices=["zh", "en"], default="zh")
    text.add_argument("--title-zh", required=True)
    text.add_argument("--title-en", required=True)
    text.add_argument("--issuer", required=True)
    text.add_argument("--published", type=dt.date.fromisoformat, required=True)
    text.add_argument("--effective", type=dt.date.fromisoformat, required=True)
    text.add_argument("--url", default=None)
    text.add_argument("--note", default="")
    cases = knowledge.add_parser("export-cases", help="cases (or --feedback-only) of a period as .xlsx or .csv")
    cases.add_argument("--since", type=dt.date.fromisoformat, default=None)
    cases.add_argument("--until", type=dt.date.fromisoformat, default=None)
    cases.add_argument("--outcome", default=None)
    cases.add_argument("--industry", default=None)
    cases.add_argument("--channel", default=None)
    cases.add_argument("--feedback", choices=["useful", "wrong", "any"], default=None)
    cases.add_argument("--feedback-only", action="store_true")
    cases.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    cases.add_argument("-o", "--output", type=Path, required=True)
    pack = knowledge.add_parser("export-pack", help="a pack in force as YAML or as an .xlsx item table")
    pack.add_argument("name")
    pack.add_argument("--format", choices=["yaml", "xlsx"], default="yaml")
    pack.add_argument("-o", "--output", type=Path, required=True)


def import_command(args: argparse.Namespace, settings: Settings, out: TextIO | None = None) -> int:
    """Run one import or export action (refusals raise `UserError`s, printed by the CLI with exit 1)."""
    out = out or sys.stdout
    from ..knowledge import KnowledgeStore
    from ..knowledge.desk import ImportDesk

    store = KnowledgeStore.from_settings(settings)
    try:
        desk = ImportDesk(settings, store)
        action = args.knowledge_command
        if action == "import-table":
            return _import_table(args, desk, out)
        if action == "import-text":
            return _import_text(args, desk, out)
        if action == "export-cases":
            return _export_cases(args, store, out)
        return _export_pack(args, desk, out)
    finally:
        store.close()


def _import_table(args: argparse.Namespace, desk: Any, out: TextIO) -> int:
    from ..errors import UploadError
    from ..knowledge.itemdraft import PackMeta
    from ..knowledge.mapping import FIELDS, missing

    _, data = desk.upload(args.file)
    grid = desk.read(args.file.name, data)
    mapping, headers = desk.mapping(grid, args.pack or args.new)
    for choice in args.map:
        field, _, header = choice.partition("=")
        if field not in FIELDS or header not in headers:
            raise UploadError("bad_mapping", f"--map {choice!r}: fields are {', '.join(FIELDS)}; headers: {headers}")
        mapping[field] = header
    print("columns: " + "; ".join(f"{f} = {h}" for f, h in mapping.items()), file=out)
    lacking = missing(mapping, headers)
    if lacking:
        print(f"no column for: {', '.join(lacking)} (choose one with --map FIELD=HEADER)", file=out)
        return 1
    meta = None
    if args.new:
        if not (args.edition and args.title_en and args.title_zh and args.list_doc and args.effective_from):
            raise UploadError("bad_meta", "--new needs --edition, --title-en, --title-zh, --list-doc and --from")
        other = args.other_zone
        meta = PackMeta(
            pack=args.new, edition=args.edition, title_en=args.title_en, title_zh=args.title_zh,
            list_doc=args.list_doc, effective_from=args.effective_from, effective_to=args.effective_to,
            zones=("other_ftz",) if other else ("beijing_ftz", "beijing"), other_zone=other,
            beijing_use=bool(other and args.beijing_use),
        )  # fmt: skip
    result = desk.import_table(
        grid, mapping, args.actor, base=args.pack, meta=meta, data=data, note=args.note, save=not args.check
    )
    draft = result.draft
    for problem in draft.problems:
        print(f"row {problem.row}: {problem.text('en')}", file=out)
    for skipped in draft.skipped:
        print(f"row {skipped.row}: {skipped.text('en')}", file=out)
    for problem in draft.pack_problems:
        print(f"pack: {problem}", file=out)
    if not draft.ok:
        print(f"no draft: {draft.unread_rows} row(s) unread, {len(draft.pack_problems)} pack problem(s)", file=out)
        return 1
    if result.draft_id is None:
        print(f"valid: {draft.items} items (not saved: --check)", file=out)
    else:
        print(f"draft {result.draft_id}: pack {draft.pack.pack}, {draft.items} items", file=out)
    if draft.replaced:
        each = ", ".join(f"{n} of {sector}" for sector, n in draft.replaced.items())
        print(f"replaces {sum(draft.replaced.values())} items of {args.pack} ({each}): check the preview", file=out)
    return 0


def _import_text(args: argparse.Namespace, desk: Any, out: TextIO) -> int:
    from ..knowledge.texts import TextMeta

    meta = TextMeta(
        doc=args.doc, lang=args.lang, title_zh=args.title_zh, title_en=args.title_en, issuer=args.issuer,
        published=args.published, effective=args.effective, url=args.url,
    )  # fmt: skip
    name, data = desk.upload(args.file)
    made, draft_id = desk.import_text(meta, name, data, args.actor, args.note)
    print(f"draft {draft_id}: text {made.name}, articles {', '.join(made.articles)}", file=out)
    return 0


def _export_cases(args: argparse.Namespace, store: Any, out: TextIO) -> int:
    from ..knowledge.exports import export_cases

    data = export_cases(
        store.engine, args.format, feedback_only=args.feedback_only, since=args.since, until=args.until,
        outcome=args.outcome, industry=args.industry, channel=args.channel, feedback=args.feedback,
    )  # fmt: skip
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data)} bytes)", file=out)
    return 0


def _export_pack(args: argparse.Namespace, desk: Any, out: TextIO) -> int:
    from ..errors import UploadError
    from ..knowledge.exports import export_pack_xlsx, export_pack_yaml

    book, _ = desk.packs_in_force()
    pack = book.packs.get(args.name)
    if pack is None:
        raise UploadError("no_pack", f"no pack {args.name!r} in force; packs: {', '.join(sorted(book.packs))}")
    if args.format == "yaml":
        args.output.write_text(export_pack_yaml(pack), encoding="utf-8")
    else:
        args.output.write_bytes(export_pack_xlsx(pack))
    print(f"wrote {args.output}", file=out)
    return 0
