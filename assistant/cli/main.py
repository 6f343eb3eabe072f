"""The `assistant` command: a thin face over the package (contract: Commands)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from ..answer.labels import fact_label, outcome_label
from ..answer.render import render_determination
from ..catalogue import word
from ..errors import AssistantError, FactsError, RulePackError
from ..facts import Facts, parse_facts
from ..rules import RuleBook, check, default_rulebook, load_rulebook
from ..settings import Settings
from .knowledge import add_parser as add_knowledge_parser
from .users import add_parser as add_users_parser
from .users import users_command

EXIT_INVALID_INPUT = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings()
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    try:
        return handler(args, settings)
    except RulePackError as exc:
        print("invalid rule pack(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Beijing FTZ data-export assistant")
    sub = parser.add_subparsers(dest="command", required=True)

    p_check = sub.add_parser("check", help="decide a transfer from Facts JSON on stdin")
    p_check.add_argument("--json", action="store_true", help="print the Determination as JSON (default)")
    p_check.add_argument("--text", action="store_true", help="print the Determination as indented text")
    p_check.add_argument("--lang", choices=["en", "zh"], default="en")
    p_check.add_argument("--today", type=dt.date.fromisoformat, default=None, help="date used when none is given")
    p_check.set_defaults(handler=_cmd_check)

    p_rules = sub.add_parser("rules", help="show the loaded rule packs, or validate one")
    rules_sub = p_rules.add_subparsers(dest="rules_command")
    p_validate = rules_sub.add_parser("validate", help="validate a rule pack file or folder")
    p_validate.add_argument("path", type=Path)
    p_rules.set_defaults(handler=_cmd_rules)

    p_ask = sub.add_parser("ask", help="answer a question (or --jsonl: one question per line on stdin)")
    p_ask.add_argument("question", nargs="?", default=None)
    p_ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    p_ask.add_argument("--jsonl", action="store_true", help="read questions from stdin, print one Answer per line")
    p_ask.set_defaults(handler=_cmd_ask)

    p_evals = sub.add_parser("evals", help="run the question evaluation; --check fails below its thresholds")
    p_evals.add_argument("--cases", type=Path, default=None, help="one eval file instead of --set")
    p_evals.add_argument(
        "--set",
        dest="suite",
        choices=["questions", "realistic", "all"],
        default="all",
        help="evals/questions.yaml, evals/realistic/*.yaml or both (default all)",
    )
    p_evals.add_argument("--split", choices=["dev", "heldout", "all"], default="all", help="default all")
    p_evals.add_argument(
        "--check",
        nargs="?",
        const="targets",
        choices=("targets", "floors"),
        help="exit 1 when the held-out split misses the targets (default) or falls below the regression floors",
    )
    p_evals.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p_evals.add_argument("--show-failures", action="store_true", help="list each failing case and why")
    p_evals.set_defaults(handler=_cmd_evals)

    p_index = sub.add_parser("index", help="build or refresh the search index")
    p_index.add_argument(
        "--save-vectors", action="store_true", help="also write corpus/vectors/ (passages, exemplars, cards)"
    )
    p_index.set_defaults(handler=_cmd_index)

    p_chat = sub.add_parser("chat", help="an interactive conversation in the terminal")
    p_chat.add_argument("--guided", action="store_true", help="answer the checker's questions one by one instead")
    p_chat.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the guided session")
    p_chat.set_defaults(handler=_cmd_chat)

    p_serve = sub.add_parser("serve", help="serve the app at / and the HTTP API (uvicorn)")
    p_serve.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    p_serve.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p_serve.set_defaults(handler=_cmd_serve)

    p_keys = sub.add_parser("keys", help="API keys of the HTTP API")
    keys_sub = p_keys.add_subparsers(dest="keys_command", required=True)
    p_keys_new = keys_sub.add_parser("new", help="issue a key: print it once, with the settings entry of its hash")
    p_keys_new.add_argument("key_id", metavar="ID", help="who the key is for, e.g. help-desk or dify")
    p_keys.set_defaults(handler=_cmd_keys)

    p_db = sub.add_parser("db", help="the database schema (migrations)")
    db_sub = p_db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="upgrade the database to every head revision (once, under a lock)")
    db_sub.add_parser("current", help="print the revisions the database is at, and the package's heads")
    p_db.set_defaults(handler=_cmd_db)

    p_audit = sub.add_parser("audit", help="the audit database: backups")
    audit_sub = p_audit.add_subparsers(dest="audit_command", required=True)
    p_backup = audit_sub.add_parser("backup", help="a consistent copy of the audit database, while the server runs")
    p_backup.add_argument("file", type=Path, help="the new file (SQLite: a database; PostgreSQL: a pg_dump archive)")
    p_audit.set_defaults(handler=_cmd_audit)

    p_doctor = sub.add_parser("doctor", help="check packs, index, database, model, Redis; say what to fix")
    p_doctor.add_argument("--json", action="store_true", help="print the checks as JSON")
    p_doctor.set_defaults(handler=_cmd_doctor)

    add_users_parser(sub).set_defaults(handler=_cmd_users)
    add_knowledge_parser(sub).set_defaults(handler=_cmd_knowledge)
    return parser


def _rulebook(settings: Settings) -> RuleBook:
    return default_rulebook(settings.rules_path(), settings.corpus_dir / "documents.yaml")


def _cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    raw = sys.stdin.buffer.read()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        print(f"invalid facts: not UTF-8 JSON ({exc})", file=sys.stderr)
        return EXIT_INVALID_INPUT
    try:
        facts = parse_facts(data)
        book = _rulebook(settings)
        det = render_determination(check(facts, book, today=args.today or dt.date.today()), book, args.lang)
    except FactsError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_INVALID_INPUT
    print(det.render_text() if args.text else det.to_json())
    return 0


def _cmd_rules(args: argparse.Namespace, settings: Settings) -> int:
    documents = settings.corpus_dir / "documents.yaml"
    if args.rules_command == "validate":
        path: Path = args.path
        if path.is_dir():
            book = load_rulebook(path, documents)
        elif path.is_file():
            book = load_rulebook(settings.rules_path(), documents, replace=path)
        else:
            print(f"{path}: no such file or folder", file=sys.stderr)
            return EXIT_INVALID_INPUT
        print(f"ok: {len(book.packs)} pack(s) valid")
        return 0
    print(describe_rulebook(_rulebook(settings)))
    return 0


def describe_rulebook(book: RuleBook) -> str:
    """Each loaded edition with its dates and how many of its items are known or unknown."""
    lines = []
    for pack in sorted(book.packs.values(), key=lambda p: (p.kind != "national", p.effective_from)):
        until = pack.effective_to.isoformat() if pack.effective_to else "now"
        lines.append(f"{pack.pack}  ({pack.title.en})  in force {pack.effective_from.isoformat()} to {until}")
        if pack.kind == "national":
            lines.append(f"  {len(pack.rules)} rules")
            continue
        items = book.items(pack)
        unknown = sum(1 for i in items if i.status == "unknown")
        counts = f"{len(items)} items: {len(items) - unknown} known, {unknown} unknown"
        if pack.scope is None:
            lines.append(f"  governs {', '.join(pack.industries)} data processors, every zone; {counts}")
        else:
            zones = ", ".join(pack.scope.zones)
            lines.append(f"  covers zones {zones}; {len(book.fields(pack))} sectors; {counts}")
    return "\n".join(lines)


def _cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from ..answer.reply import Answer
    from ..pipeline import Assistant

    assistant = Assistant(settings)
    if args.jsonl:
        for raw in sys.stdin.buffer:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            try:
                answer: Answer = assistant.ask(line)
            except AssistantError as exc:
                answer = assistant.refusal(line, str(exc))
            print(answer.to_json(), flush=True)
        return 0
    if args.question is None:
        print("usage: assistant ask QUESTION [--json] | assistant ask --jsonl < questions.txt", file=sys.stderr)
        return EXIT_INVALID_INPUT
    answer = assistant.ask(args.question)
    print(answer.to_json() if args.json else answer.answer)
    return 0


def _cmd_evals(args: argparse.Namespace, settings: Settings) -> int:
    from ..evalcases import SUITES, load_cases, load_suites, suite_of
    from ..pipeline import Assistant
    from .evals import FLOORS, THRESHOLDS, describe_failure, failures, render, run_cases, summarise

    if args.cases is not None:
        cases = [c for c in load_cases(args.cases, suite_of(args.cases))[1] if args.split in ("all", c.split)]
    else:
        suites = SUITES if args.suite == "all" else (args.suite,)
        cases = load_suites(settings.corpus_dir.parent / "evals", suites, args.split)
    if args.check and not any(c.split == "heldout" for c in cases):
        print("--check judges the held-out split: run it with --split heldout or all", file=sys.stderr)
        return EXIT_INVALID_INPUT
    results = run_cases(Assistant(settings), cases)
    table = summarise(results)
    print(json.dumps(table, ensure_ascii=False, indent=2) if args.json else render(table))
    if args.show_failures:
        for r in results:
            if not r.passed:
                print(describe_failure(r))
    for line in failures(table):
        print(f"below target: {line}", file=sys.stderr)
    missed = failures(table, FLOORS if args.check == "floors" else THRESHOLDS)
    if args.check == "floors":
        for line in missed:
            print(f"below floor: {line}", file=sys.stderr)
    return 1 if missed and args.check else 0


def _cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from .index import index_command

    return index_command(settings, save_vectors=args.save_vectors)


def _cmd_keys(args: argparse.Namespace, settings: Settings) -> int:
    """Issue an API key: the key is printed once; only its hash goes into the settings."""
    from ..api.keys import new_key

    issued = new_key(args.key_id)
    print(f"API key for {issued.key_id} (shown only now; give it to the client, keep no copy):")
    print(f"  {issued.key}")
    print("Add this entry to ASSISTANT_API_KEYS (a JSON list), e.g.:")
    print(f"  ASSISTANT_API_KEYS='{json.dumps([*settings.api_keys, issued.entry])}'")
    return 0


def _cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    """Upgrade the schema of the configured database, or show its revisions (the same step runs at start)."""
    from .db import db_command

    return db_command(args.db_command, settings.audit_database_url(), sys.stdout)


def _cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    """Back up the audit database (SQLite's online backup, or pg_dump for PostgreSQL)."""
    from .audit import backup_command

    return backup_command(settings.audit_database_url(), args.file, sys.stdout)


def _cmd_doctor(args: argparse.Namespace, settings: Settings) -> int:
    """Check what a deployment needs (exit 1 when a check fails)."""
    from .doctor import doctor_command

    return doctor_command(settings, args.json, sys.stdout)


def _cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    """Manage help-desk accounts (`assistant users add|list|disable|enable|role|password|signout`)."""
    return users_command(args)


def _cmd_knowledge(args: argparse.Namespace, settings: Settings) -> int:
    """The help desk's knowledge: drafts, save, retire, preview, approve, publish, rollback, versions."""
    from .knowledge import knowledge_command

    return knowledge_command(args, settings)


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from ..serve import serve

    return serve(args.host, args.port, settings)


def _cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    if args.guided:
        return guided_session(_rulebook(settings), sys.stdin, sys.stdout, lang=args.lang, today=dt.date.today())
    from ..pipeline import Assistant

    return conversation(Assistant(settings), sys.stdin, sys.stdout)


def conversation(assistant: Any, stdin: TextIO, stdout: TextIO) -> int:
    """Ask, answer, ask again: facts carry over between turns; `new` starts over, `q` quits."""
    print("Ask about sending data abroad (Chinese or English). 'new' starts over, 'q' quits.", file=stdout)
    history: list[str] = []
    while True:
        print("\n> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in ("q", "quit", "exit"):
            return 0
        question = line.strip()
        if question.lower() in ("new", "新对话"):
            history = []
            continue
        answer = assistant.ask(question, history)
        print("\n" + answer.answer, file=stdout)
        if question:
            history.append(question)


def guided_session(book: RuleBook, stdin: TextIO, stdout: TextIO, *, lang: str, today: dt.date) -> int:
    """Ask for the deciding facts one at a time, as the checker names them, then show the determination."""
    facts = Facts()
    print(word("cli.guided_intro", lang), file=stdout)
    while True:
        det = render_determination(check(facts, book, today=today), book, lang)
        if det.outcome != "needs_more_information":
            break
        name = det.missing_facts[0]
        options = [b.if_[name] for b in det.branches]
        labels = [b.label for b in det.branches]
        print(f"\n{fact_label(name, lang)}?", file=stdout)
        for n, (label, branch) in enumerate(zip(labels, det.branches, strict=True), 1):
            print(f"  {n}. {label}  ->  {outcome_label(branch.outcome, lang)}", file=stdout)
        value = _read_choice(name, options, stdin, stdout)
        if value is None:
            return 0
        facts = facts.with_value(name, value)
    print("\n" + det.render_text(), file=stdout)
    return 0


def _read_choice(name: str, options: list[Any], stdin: TextIO, stdout: TextIO) -> Any:
    while True:
        print("> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip().lower() in ("q", "quit", "exit"):
            return None
        text = line.strip().replace(",", "")
        if name.endswith("_count") and text.isdigit():
            return int(text)
        if text.isdigit() and 1 <= int(text) <= len(options):
            return options[int(text) - 1]
        hint = "a number of people, or" if name.endswith("_count") else ""
        print(f"please type {hint} an option number 1-{len(options)}", file=stdout)
