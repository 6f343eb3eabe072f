"""`assistant knowledge ...`: the help desk's drafts, previews, approvals, publishing and rollbacks, for scripts.

The command runs where the audit database is reachable and acts as the account named by `--as` (like the
console, the store checks that account's role and that an approver is not the author).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .imports import IMPORT_ACTIONS, import_command
from .imports import add_parsers as add_import_parsers

if TYPE_CHECKING:
    from ..knowledge.preview import Preview
    from ..knowledge.store import Draft, Version
    from ..settings import Settings

KIND_NAMES = ("pack", "text", "card")
"""The kinds (`assistant.knowledge.KINDS`), repeated here so building the parser imports nothing heavy."""
MAX_FILE_BYTES = 5_000_000


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Register `knowledge` and its actions on the CLI's subparsers."""
    p_knowledge = sub.add_parser("knowledge", help="help-desk knowledge: drafts, preview, approve, publish, rollback")
    knowledge = p_knowledge.add_subparsers(dest="knowledge_command", required=True)
    drafts = knowledge.add_parser("drafts", help="list drafts, newest first")
    drafts.add_argument("--status", choices=["draft", "approved", "published", "withdrawn"], default=None)
    drafts.add_argument("--kind", choices=KIND_NAMES, default=None)
    save = knowledge.add_parser("save", help="save a file (pack YAML, text JSON, card YAML) as a new draft")
    save.add_argument("kind", choices=KIND_NAMES)
    save.add_argument("name", help="the pack id, document id or card id")
    save.add_argument("file", type=Path)
    save.add_argument("--as", dest="actor", required=True, help="the account saving it")
    save.add_argument("--note", default="")
    retire = knowledge.add_parser("retire", help="a draft that retires a published pack or text, or a card")
    retire.add_argument("kind", choices=KIND_NAMES)
    retire.add_argument("name")
    retire.add_argument("--as", dest="actor", required=True)
    retire.add_argument("--note", default="")
    prev = knowledge.add_parser("preview", help="validate a draft, diff it and list the answers it would change")
    prev.add_argument("draft", type=int)
    prev.add_argument("--json", action="store_true")
    prev.add_argument("--no-recorded", action="store_true", help="skip the cases recorded in the last 90 days")
    prev.add_argument("--no-golden", action="store_true", help="skip the golden cases (validation and diff only)")
    approve = knowledge.add_parser("approve", help="approve a draft (approver role, not its author)")
    approve.add_argument("draft", type=int)
    approve.add_argument("--as", dest="actor", required=True)
    publish = knowledge.add_parser("publish", help="publish an approved draft as a new version")
    publish.add_argument("draft", type=int)
    publish.add_argument("--as", dest="actor", required=True)
    publish.add_argument("--effective", type=dt.date.fromisoformat, default=None, help="effective date (YYYY-MM-DD)")
    rollback = knowledge.add_parser("rollback", help="take a published version out of force")
    rollback.add_argument("version", type=int)
    rollback.add_argument("--as", dest="actor", required=True)
    rollback.add_argument("--note", default="")
    versions = knowledge.add_parser("versions", help="the versions in force (--all: every version)")
    versions.add_argument("--kind", choices=KIND_NAMES, default=None)
    versions.add_argument("--all", action="store_true")
    add_import_parsers(knowledge)
    return p_knowledge


def knowledge_command(args: argparse.Namespace, settings: Settings, out: TextIO | None = None) -> int:
    """Run one `assistant knowledge` action; refusals raise `KnowledgeError` (printed by the CLI, exit 1)."""
    out = out or sys.stdout
    from ..errors import KnowledgeError
    from ..knowledge import KnowledgeStore
    from ..knowledge.preview import GoldenCase, preview
    from ..knowledge.publish import publish_draft

    if args.knowledge_command in IMPORT_ACTIONS:
        return import_command(args, settings)
    store = KnowledgeStore.from_settings(settings)
    try:
        action = args.knowledge_command
        if action == "drafts":
            for draft in store.drafts(args.status, args.kind):
                print(_draft_line(draft), file=out)
        elif action == "save":
            body = _read(args.file)
            provenance = {"file": args.file.name, "saved_by": args.actor}
            draft_id = store.save_draft(args.kind, args.name, body, args.actor, args.note, provenance)
            print(f"draft {draft_id}", file=out)
        elif action == "retire":
            draft_id = store.save_draft(args.kind, args.name, "", args.actor, args.note, retire=True)
            print(f"draft {draft_id} (retires {args.kind} {args.name})", file=out)
        elif action == "preview":
            golden: list[GoldenCase] | None = [] if args.no_golden else None
            result = preview(store.draft(args.draft), store, settings, golden=golden, recorded=not args.no_recorded)
            if args.json:
                print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), file=out)
            else:
                _print_preview(result, out)
            return 0 if result.ok else 1
        elif action == "approve":
            draft = store.approve(args.draft, args.actor)
            print(f"draft {draft.id} approved by {draft.approved_by}", file=out)
        elif action == "publish":
            version = publish_draft(store, settings, args.draft, args.actor, args.effective)
            print(f"published version {version.id}: {version.kind} {version.name}", file=out)
        elif action == "rollback":
            version = store.rollback(args.version, args.actor, args.note)
            print(f"rolled back version {version.id}: {version.kind} {version.name}", file=out)
        elif action == "versions":
            kinds = [args.kind] if args.kind else list(KIND_NAMES)
            shown = (
                store.versions(args.kind) if args.all else [v for kind in kinds for v in store.published(kind)]  # type: ignore[arg-type]
            )
            for version in shown:
                print(_version_line(version), file=out)
        else:  # pragma: no cover - argparse refuses other actions
            raise KnowledgeError("bad_action", f"unknown action {action!r}")
        return 0
    finally:
        store.close()


def _read(path: Path) -> str:
    from ..errors import KnowledgeError

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError("unreadable", f"cannot read {path}: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise KnowledgeError("too_big", f"{path} is larger than {MAX_FILE_BYTES} bytes", limit=MAX_FILE_BYTES)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise KnowledgeError("not_text", f"{path} is not UTF-8 text") from None


def _draft_line(draft: Draft) -> str:
    approved = f" approved by {draft.approved_by}" if draft.approved_by else ""
    retire = " (retire)" if draft.retire else ""
    return (
        f"{draft.id}\t{draft.status}\t{draft.kind}\t{draft.name}{retire}\tby {draft.author}{approved}\t"
        f"{draft.updated_at:%Y-%m-%d %H:%M}\t{draft.note}"
    )


def _version_line(version: Version) -> str:
    state = f"rolled back by {version.rolled_back_by}" if version.rolled_back_at else "in history"
    effective = version.effective_from.isoformat() if version.effective_from else "-"
    retire = " (retire)" if version.retire else ""
    return (
        f"{version.id}\t{version.kind}\t{version.name}{retire}\teffective {effective}\tpublished by "
        f"{version.published_by}, approved by {version.approved_by or '-'}\t{version.published_at:%Y-%m-%d %H:%M}\t"
        f"{state}\t{version.note}"
    )


def _print_preview(result: Preview, out: TextIO) -> None:
    print(f"draft {result.draft_id}: {result.kind} {result.name}: {'valid' if result.ok else 'INVALID'}", file=out)
    for problem in result.problems:
        print(f"  problem: {problem}", file=out)
    for change in result.changes:
        print(
            f"  {change.what} {change.section} {change.ident}" + (f": {change.detail}" if change.detail else ""),
            file=out,
        )
    checked = ", ".join(f"{n} {source}" for source, n in result.checked.items())
    if checked:
        print(f"  re-decided: {checked}; {len(result.effects)} would change", file=out)
    for effect in result.effects:
        print(f"  {effect.source} {effect.case}: {effect.old} -> {effect.new} ({effect.why})", file=out)
        print(f"    {effect.question}", file=out)
    for note in result.notes:
        print(f"  note: {note}", file=out)
