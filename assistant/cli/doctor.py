"""`assistant doctor`: checks what a deployment needs and says what to fix, before users find out.

Why: a replica that starts with a broken rule pack, an unreachable database or a wrong model URL fails
later, on a user's question, with a message in a log nobody reads. The doctor runs the same steps the
server would (load and validate the packs, open the index, connect to the audit database and compare its
migrations, call the model endpoint and the Redis server when configured) and prints one line per check:
`ok`, `warn` (works, but look) or `fail` (fix this), each failure with what to do. Exit 0 when nothing
fails, 1 otherwise; `--json` prints the same as a JSON object for scripts and CI.
"""

from __future__ import annotations

import json
import os
import socket
import ssl
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, TextIO
from urllib.parse import unquote, urlsplit

import httpx

from ..errors import AssistantError, RulePackError
from ..settings import Settings

Status = Literal["ok", "warn", "fail"]

NETWORK_TIMEOUT = 3.0
"""Seconds a check waits for a server (Chroma, Redis) that has no timeout setting of its own."""


@dataclass(frozen=True)
class Check:
    """The result of one check: its name, status, what was found and, unless ok, what to do."""

    name: str
    status: Status
    detail: str
    fix: str = ""


def check_rules(settings: Settings) -> Check:
    """Load and validate every rule pack, as the server does at start."""
    from ..rules import load_rulebook

    rules = settings.rules_path()
    try:
        book = load_rulebook(rules, settings.corpus_dir / "documents.yaml")
    except RulePackError as exc:
        first = " ".join((exc.problems[0] if exc.problems else str(exc)).split())  # one line: YAML errors span several
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        return Check("rules", "fail", f"{first}{more}", f"run `assistant rules validate {rules}` and fix each problem")
    except (AssistantError, OSError) as exc:
        return Check("rules", "fail", str(exc), "set ASSISTANT_CORPUS_DIR / ASSISTANT_RULES_DIR to the corpus' folders")
    return Check("rules", "ok", f"{len(book.packs)} pack(s) in {rules} load and validate")


def check_corpus(settings: Settings) -> Check:
    """The corpus folder with its document registry and notes."""
    documents = settings.corpus_dir / "documents.yaml"
    if not documents.is_file():
        return Check("corpus", "fail", f"{documents} not found", "set ASSISTANT_CORPUS_DIR to the corpus folder")
    notes = len(list((settings.corpus_dir / "notes").glob("*.md")))
    official = settings.official_path()
    where = f"; official texts in {official}" if official else "; no official texts folder (answers quote notes)"
    return Check("corpus", "ok", f"{settings.corpus_dir}: documents.yaml and {notes} note(s){where}")


def check_data_dir(settings: Settings) -> Check:
    """The data folder exists and can be written (the index, the audit log, the console secret live there)."""
    data = settings.data_dir
    if not data.exists():
        parent = next((p for p in data.parents if p.exists()), None)
        if parent is not None and os.access(parent, os.W_OK):
            return Check("data_dir", "warn", f"{data} does not exist yet", "nothing: it is made at the first start")
        return Check("data_dir", "fail", f"{data} does not exist and cannot be made", "set ASSISTANT_DATA_DIR")
    if not os.access(data, os.W_OK):
        return Check("data_dir", "fail", f"{data} is not writable", "give the service's user write access to it")
    return Check("data_dir", "ok", f"{data} is writable")


def check_index(settings: Settings) -> Check:
    """The last build in this data folder did not fail; the Chroma server answers its heartbeat, or the
    embedded index exists and holds passages."""
    from ..retrieval.index import read_status

    built = read_status(settings)
    if built is not None and built.state == "failed":
        return Check(
            "index",
            "fail",
            f"the last search index build failed: {built.error} (answers use word search meanwhile)",
            "fix the cause, then run `assistant index` or restart the server",
        )
    if settings.chroma_url:
        url = settings.chroma_url.rstrip("/") + "/api/v2/heartbeat"
        try:
            response = httpx.get(url, timeout=NETWORK_TIMEOUT)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            return Check(
                "index",
                "fail",
                f"the Chroma server at {settings.chroma_url} does not answer: {type(exc).__name__}: {exc}",
                "start it (`chroma run`) or correct ASSISTANT_CHROMA_URL",
            )
        return Check("index", "ok", f"the Chroma server at {settings.chroma_url} answers")
    path = settings.data_dir / "chroma"
    if not (path / "chroma.sqlite3").is_file():
        return Check(
            "index",
            "warn",
            f"no search index in {path} yet",
            "run `assistant index` (the server also builds it at start; rule questions are answered meanwhile)",
        )
    return _embedded_index(settings, path)


def _embedded_index(settings: Settings, path: Path) -> Check:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    try:
        client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
        ours = [c for c in client.list_collections() if c.name.startswith(settings.chroma_collection)]
        counts = {c.name: client.get_collection(c.name).count() for c in ours}
    except Exception as exc:  # chromadb raises many kinds
        return Check("index", "fail", f"the index in {path} cannot be read: {exc}", "rebuild it: `assistant index`")
    if not any(counts.values()):
        return Check("index", "warn", f"the index in {path} holds no passages", "run `assistant index`")
    shown = ", ".join(f"{name} ({n} passages)" for name, n in sorted(counts.items()))
    return Check("index", "ok", f"{path}: {shown}")


def check_audit(settings: Settings) -> Check:
    """Connect to the audit database and compare its migrations with the package's."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = settings.audit_database_url()
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        return Check("audit", "fail", f"invalid audit URL: {exc}", "correct ASSISTANT_AUDIT_URL")
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        return Check("audit", "warn", f"{parsed.database} does not exist yet", "nothing: it is made at the first start")
    from ..casefile.audit import open_engine
    from ..casefile.migrations import current_revisions, head_revisions

    try:
        engine = open_engine(url)
        try:
            current = current_revisions(engine)
        finally:
            engine.dispose()
    except Exception as exc:  # drivers raise their own errors as well as SQLAlchemy's
        return Check(
            "audit",
            "fail",
            f"cannot use the audit database {shown}: {type(exc).__name__}: {_first_line(exc)}",
            "check ASSISTANT_AUDIT_URL, that the server runs and the account may connect",
        )
    heads = head_revisions()
    if current == heads:
        return Check("audit", "ok", f"{shown} at {', '.join(sorted(current))}")
    return Check(
        "audit",
        "warn",
        f"{shown} is at {', '.join(sorted(current)) or 'no revision'}; the package is at {', '.join(sorted(heads))}",
        "run `assistant db upgrade` (the server also upgrades at start)",
    )


def check_model(settings: Settings) -> Check:
    """GET the model endpoint's /models with the configured timeouts, when an endpoint is configured."""
    if not settings.llm_base_url:
        return Check("model", "ok", "no model endpoint configured: answers use the templates")
    url = settings.llm_base_url.rstrip("/") + "/models"
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    timeout = httpx.Timeout(settings.llm_timeout, connect=settings.llm_connect_timeout)
    try:
        response = httpx.get(url, headers=headers, timeout=timeout)
        response.raise_for_status()
        listed = [str(m.get("id")) for m in response.json().get("data", []) if isinstance(m, dict)]
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        return Check(
            "model",
            "fail",
            f"{url}: {type(exc).__name__}: {_first_line(exc)}",
            "start the endpoint or correct ASSISTANT_LLM_BASE_URL / ASSISTANT_LLM_API_KEY (answers are templates "
            "meanwhile)",
        )
    if listed and settings.llm_model not in listed:
        return Check(
            "model",
            "warn",
            f"{url} answers but does not list {settings.llm_model!r} (it lists {', '.join(listed[:5])})",
            "set ASSISTANT_LLM_MODEL to a model the endpoint serves",
        )
    return Check("model", "ok", f"{url} answers")


def check_redis(settings: Settings) -> Check | None:
    """PING the Redis server `redis_url` names (ASSISTANT_REDIS_URL); None when it is not set."""
    url = settings.redis_url
    if not url:
        return None
    parts = urlsplit(str(url))
    host, port = parts.hostname or "localhost", parts.port or 6379
    try:
        reply = _redis_ping(host, port, parts.scheme == "rediss", parts.username, parts.password)
    except OSError as exc:
        return Check("redis", "fail", f"{host}:{port}: {exc}", "start Redis or correct ASSISTANT_REDIS_URL")
    if reply.startswith("+PONG"):
        return Check("redis", "ok", f"{host}:{port} answers PING")
    return Check("redis", "fail", f"{host}:{port} replied {reply.strip()!r}", "check the password in the Redis URL")


def _redis_ping(host: str, port: int, tls: bool, user: str | None, password: str | None) -> str:
    """The first reply line of PING (after AUTH when the URL has a password), in Redis' wire protocol."""

    def command(*words: str) -> bytes:
        parts = [f"*{len(words)}\r\n".encode()]
        for word in words:
            raw = word.encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(raw), raw))
        return b"".join(parts)

    with socket.create_connection((host, port), timeout=NETWORK_TIMEOUT) as raw_sock:
        sock = ssl.create_default_context().wrap_socket(raw_sock, server_hostname=host) if tls else raw_sock
        reader = sock.makefile("rb")
        if password:
            sock.sendall(command("AUTH", *([unquote(user)] if user else []), unquote(password)))
            answer = reader.readline().decode("utf-8", "replace")
            if not answer.startswith("+OK"):
                return answer
        sock.sendall(command("PING"))
        return reader.readline().decode("utf-8", "replace")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


CHECKS: tuple[Callable[[Settings], Check | None], ...] = (
    check_rules,
    check_corpus,
    check_data_dir,
    check_index,
    check_audit,
    check_model,
    check_redis,
)


def run_checks(settings: Settings) -> list[Check]:
    """Every check that applies, in order; a check that crashes is reported as failed, never raised."""
    results: list[Check] = []
    for check in CHECKS:
        name = check.__name__.removeprefix("check_")
        try:
            result = check(settings)
        except Exception as exc:
            result = Check(name, "fail", f"the check itself failed: {type(exc).__name__}: {exc}", "see the message")
        if result is not None:
            results.append(result)
    return results


def doctor_command(settings: Settings, as_json: bool, out: TextIO) -> int:
    """Print the checks (a line each, or JSON); 0 when none failed, 1 otherwise."""
    results = run_checks(settings)
    failed = any(r.status == "fail" for r in results)
    if as_json:
        print(json.dumps({"ok": not failed, "checks": [asdict(r) for r in results]}, ensure_ascii=False), file=out)
    else:
        for r in results:
            line = f"{r.status:<4}  {r.name:<8}  {r.detail}"
            print(f"{line}\n      {'':<8}  fix: {r.fix}" if r.fix and r.status != "ok" else line, file=out)
    return 1 if failed else 0
