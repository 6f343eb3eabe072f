"""The Gradio face: the employee chat and the help-desk console, mounted at "/" on the HTTP API.

A thin face: the `assistant` package answers, decides, records and renders, and `assistant.ui` holds each tab's
callbacks and events as plain Python; this module lays the page out and connects its components to them.
Serve it with `assistant serve` (uvicorn, factory `app:create_server`).
"""

import os

# Nothing may reach the network: set before gradio (or anything that reads them) is imported.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
# Gradio's queue rebuilds a pandas summary of its last 10,000 events after every event (the latency figures of
# its API page): 6 ms of each chat turn's CPU once that many have run. Keep 2,000, summarised every 500.
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "2000")
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "500")

import datetime
import importlib.util
import inspect
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr
from fastapi import FastAPI

from assistant.accesslog import install as redact_access_log
from assistant.accounts import COOKIE_NAME, Accounts, open_accounts
from assistant.accounts.binding import BoundStreams, SessionBindings
from assistant.accounts.routes import session_router
from assistant.casefile.audit import AuditLog
from assistant.casefile.files import MAX_AGE_SECONDS
from assistant.knowledge import KnowledgeStore
from assistant.knowledge.texts import watch_texts
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.ui import CARD_CSS, EXAMPLES, UNKNOWN, ChatSession, ConsoleSession
from assistant.ui.chat import OPTION_BUTTONS, RATINGS, ChatTab, chat_words, form_relabel
from assistant.ui.console import CASE_WIDTHS, RULE_WIDTHS, account_columns, case_columns, rule_columns
from assistant.ui.console_tab import ALL, SCRIPTS, ConsoleTab, filter_relabel, role_relabel
from assistant.ui.import_tab import ImportTab
from assistant.ui.import_tab import layout as import_layout
from assistant.ui.knowledge_tab import KnowledgeTab
from assistant.ui.knowledge_tab import layout as knowledge_layout
from assistant.ui.text import (
    LANGUAGE_CHOICES,
    PAGE_CSS,
    START_LANG,
    browser_language,
    header,
    index_note,
    page_title,
)
from assistant.ui.updates import SKIP, Event, Layout, Refused, Update, label, placeholder, table, value

log = logging.getLogger("assistant.app")

EN = START_LANG
PRIVATE = "private"
"""Every event is private: the UI's handlers are not an API (the HTTP API is)."""

THEME = gr.themes.Soft(
    primary_hue="blue",
    font=["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"],
    font_mono=["Noto Sans Mono CJK SC", "ui-monospace", "monospace"],
)
"""Local fonts only: a Google font would make every browser fetch it from the network."""
TEXT_IS_TEXT: dict[str, Any] = {"sanitize_html": True, "latex_delimiters": []}
"""Markdown components: Gradio's HTML sanitiser on, no LaTeX; user words arrive escaped (`assistant.answer.safe`)."""
SWEEP_EVERY = 600
"""Seconds between Gradio's sweeps of its cached files."""
CHAT_POOL = "chat"
"""The queue's concurrency group of the chat events: `Settings.chat_concurrency` of them run at once."""
IDLE_SWEEP_EVERY = 60.0
"""Seconds between sweeps of idle browser sessions."""
INDEX_NOTE_EVERY = 2.0
"""Seconds between updates of the "search index building (n%)" note, while the index builds."""


def _gradio(result: Any) -> Any:
    """A callback's value (or tuple of values, one per output) as Gradio wants it."""
    return tuple(_component(item) for item in result) if isinstance(result, tuple) else _component(result)


def _component(value: Any) -> Any:
    """SKIP as gr.skip(), an Update as gr.update(...), any other value as it is."""
    if value is SKIP:
        return gr.skip()
    return gr.update(**value.props) if isinstance(value, Update) else value


def _handler(event: Event) -> Callable[..., Any]:
    """The event's plain callback as a Gradio handler: streaming for a generator, a refusal shown as an error."""
    fn = event.callback
    if inspect.isgeneratorfunction(fn):

        def stream(*args: Any) -> Iterator[Any]:
            yield from (_gradio(result) for result in fn(*args))

        return stream
    if event.kind == "select":

        def selected(evt: gr.SelectData, *args: Any) -> Any:  # Gradio passes the event data first
            return _gradio(fn(*args, evt.row_value))

        return selected

    def call(*args: Any) -> Any:
        try:
            return _gradio(fn(*args))
        except Refused as exc:
            raise gr.Error(str(exc)) from exc

    return call


def _cookie(request: gr.Request | None) -> str | None:
    """The console's session cookie in the request that queued the event (None without one)."""
    cookies = getattr(request, "cookies", None) if request is not None else None
    value = cookies.get(COOKIE_NAME) if cookies is not None else None
    return str(value) if value else None


def _console_handler(accounts: Accounts, bindings: SessionBindings) -> Callable[[Event], Callable[..., Any]]:
    """Like `_handler`, with the session cookie's value as the callback's first argument (never session_hash); a
    live session also binds the event's session hash, so only its cookie may read the results (`BoundStreams`)."""

    def cookie(request: gr.Request | None) -> str | None:
        value = _cookie(request)
        if value and request is not None and accounts.session(value) is not None:
            bindings.bind(request.session_hash, value)
        return value

    def handler(event: Event) -> Callable[..., Any]:
        fn = event.callback
        if event.kind == "select":

            def selected(evt: gr.SelectData, request: gr.Request, *args: Any) -> Any:
                return _gradio(fn(cookie(request), *args, evt.row_value))

            return selected

        def call(request: gr.Request, *args: Any) -> Any:
            try:
                return _gradio(fn(cookie(request), *args))
            except Refused as exc:
                raise gr.Error(str(exc)) from exc

        return call

    return handler


class IdleSessions:
    """Forgets browser sessions unused for `idle_seconds`: Gradio keeps each session's state (a copy of the page's
    configuration, about 430 KiB here) until its capacity (`Settings.chat_sessions_max`) pushes out the least
    recently used, however long ago that was. Called from page loads and the `chat` endpoint, sweeping at most
    once every `every` seconds; reads Gradio 6's `StateHolder` (`session_data`, `time_last_used`, `lock`)."""

    def __init__(self, blocks: gr.Blocks, idle_seconds: float, every: float = IDLE_SWEEP_EVERY) -> None:
        self.blocks = blocks
        self.idle = datetime.timedelta(seconds=idle_seconds)
        self.every = every
        self._next = 0.0
        self._lock = threading.Lock()

    def __call__(self, force: bool = False) -> int:
        """Drop the sessions idle past the limit (when a sweep is due, or `force`); how many went."""
        now = time.monotonic()
        with self._lock:
            if not force and now < self._next:
                return 0
            self._next = now + self.every
        holder = getattr(self.blocks, "state_holder", None)
        if holder is None:
            return 0
        oldest = datetime.datetime.now() - self.idle
        with holder.lock:
            idle = [sid for sid, used in list(holder.time_last_used.items()) if used < oldest]
            for sid in idle:
                holder.session_data.pop(sid, None)
                holder.time_last_used.pop(sid, None)
        if idle:
            log.info("forgot %d idle browser sessions", len(idle))
        return len(idle)


def build_blocks(
    assistant: Assistant, audit: AuditLog, settings: Settings, accounts: Accounts, bindings: SessionBindings
) -> gr.Blocks:
    """The app: the chat tab and the help-desk console tab, with an interface-language switch."""
    chat = ChatTab(ChatSession(assistant, audit))
    console = ConsoleTab(ConsoleSession(assistant, audit, accounts))
    store = KnowledgeStore(audit.engine, four_eyes=settings.knowledge_four_eyes)
    knowledge = KnowledgeTab(accounts, store, settings, assistant)  # the console's Knowledge tab
    imports = ImportTab(accounts, store, settings)  # the console's Import tab (tables, texts, exports)
    watch_texts(settings, assistant.retriever)  # a text published on any replica refreshes this one's index
    page = Layout(EN)
    # Files Gradio keeps for this app (uploads, report downloads) go once an hour old.
    demo = gr.Blocks(title=page_title(), delete_cache=(SWEEP_EVERY, int(MAX_AGE_SECONDS)))
    # Each session's state is a copy of the page's configuration: keep a bounded number, the idle ones not at all.
    demo.state_session_capacity = settings.chat_sessions_max
    sweep_idle = IdleSessions(demo, settings.chat_session_idle_minutes * 60)
    # The chat's callbacks are fast and share nothing but the audit log (which takes concurrent writes): run
    # several at once; the console's events keep Gradio's default of one at a time (they change accounts).
    pool: dict[str, Any] = {"concurrency_limit": settings.chat_concurrency, "concurrency_id": CHAT_POOL}
    with demo:
        page.parts |= {"lang": gr.State(EN), "turn": gr.State({})}
        with gr.Row(equal_height=True):
            page.add(None, gr.Markdown, header, elem_classes="app-header")
            switch = page.add(
                "switch", gr.Radio, label("ui.language"), choices=LANGUAGE_CHOICES, value=EN, scale=0, min_width=200,
                elem_id="lang",
            )  # fmt: skip
        _index_note(assistant, page, pool)
        with gr.Tabs():
            with page.add(None, gr.Tab, label("ui.tab_chat"), elem_id="tab-chat"):
                _chat_tab(chat, page)
            with page.add(None, gr.Tab, label("ui.tab_console"), elem_id="tab-console"):
                _console_tab(console, page)
        page.connect(chat.events(), _handler, api_visibility=PRIVATE, **pool)
        console_handler = _console_handler(accounts, bindings)
        for event in console.events():  # each with its page script (sign in and out through the cookie route)
            page.connect([event], console_handler, api_visibility=PRIVATE, js=SCRIPTS.get(event.trigger))
        page.connect(knowledge.events(), console_handler, api_visibility=PRIVATE)
        page.connect(imports.events(), console_handler, api_visibility=PRIVATE)

        def on_switch(lg: str, current: dict[str, Any]) -> Any:
            return _gradio((lg, *chat.relabel(current, lg), *page.words.words(lg)))

        outputs = [page.parts[name] for name in ("lang", "card", "sources")] + page.words.components
        switch.change(on_switch, [switch, page.parts["turn"]], outputs, api_visibility=PRIVATE, **pool)

        def on_load(request: gr.Request) -> str:
            sweep_idle()
            return browser_language(request.headers.get("accept-language", "") if request else "")

        # Start in the browser's language; the switch's change event then sets every label.
        demo.load(on_load, None, switch, api_visibility=PRIVATE, **pool)

        def chat_endpoint(message: str, earlier: list[str] | None = None, lang: str = EN) -> dict[str, Any]:
            """One chat turn as the page runs it: the reply, the outcome, the audit case id and the options.
            `earlier`: the questions asked before in this conversation; `lang`: "en" or "zh"."""
            sweep_idle()
            return chat.turn(message, list(earlier or []), lang if lang in ("en", "zh") else EN)

        # The one named endpoint of the app (`gradio_client`: `client.predict(msg, [], "en", api_name="/chat")`),
        # behind the same gate as the page (queue joins: key rule, per-address and per-session rate limits).
        gr.api(chat_endpoint, api_name="chat", **pool)
    return demo


def _index_note(assistant: Assistant, page: Layout, pool: dict[str, Any]) -> None:
    """The note "search index building (n%)" above the tabs while the dense index builds (answers come meanwhile),
    a note if its build failed, nothing once it is ready: a timer refreshes it and stops itself when done."""
    status = assistant.retriever.index_status
    text = index_note(status(), EN)
    note = gr.Markdown(text, visible=bool(text), elem_id="index-note", elem_classes="muted")
    timer = gr.Timer(INDEX_NOTE_EVERY, active=status().state != "ready")

    def tick(lg: str) -> Any:
        now = status()
        text = index_note(now, lg)
        return gr.update(value=text, visible=bool(text)), gr.Timer(active=now.state in ("waiting", "building"))

    timer.tick(tick, [page.parts["lang"]], [note, timer], api_visibility=PRIVATE, show_progress="hidden", **pool)


def _chat_tab(chat: ChatTab, page: Layout) -> None:
    """The chat, examples and feedback on the left; the determination, facts and sources on the right."""
    page.parts["asked"] = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=11, min_width=380):
            _conversation(page)
        with gr.Column(scale=9, min_width=340):
            page.add(None, gr.Markdown, value("chat.determination", "### {}"))
            empty_card, empty_sources = chat.relabel({}, EN)
            page.add("card", gr.HTML, value=empty_card, elem_id="determination")
            with page.add(None, gr.Accordion, label("chat.facts"), open=True, elem_id="facts-panel"):
                page.add(None, gr.Markdown, value("chat.facts_hint"), elem_classes="muted")
                _facts_form(chat, page)
                page.add("facts_status", gr.Markdown, elem_id="facts-status")
            with page.add(None, gr.Accordion, label("chat.sources"), open=True, elem_id="sources-panel"):
                page.add("sources", gr.HTML, value=empty_sources, elem_id="sources")


def _conversation(page: Layout) -> None:
    """The chat, the question box and its buttons, the examples, and the feedback row."""
    page.add(
        "history", gr.Chatbot, chat_words, height=580, buttons=["copy"], feedback_options=None, elem_id="chatbot",
        layout="bubble", group_consecutive_messages=False, show_label=False, **TEXT_IS_TEXT, allow_tags=False,
    )  # fmt: skip
    with gr.Row(equal_height=True, elem_id="options"):  # the answers to the follow-up question, when one is asked
        for name in OPTION_BUTTONS:
            page.add(name, gr.Button, size="sm", visible=False, elem_id=name, elem_classes="option-btn")
    with gr.Row(equal_height=True):
        # One line that grows to six: Gradio 6's textbox sends on Enter when `lines` is 1 (Shift+Enter then adds
        # a line); with more lines it is the other way round, unlike every chat tool.
        page.add(
            "question", gr.Textbox, placeholder("chat.placeholder"), show_label=False, scale=6, lines=1, max_lines=6,
            elem_id="question", autofocus=True,
        )  # fmt: skip
        with gr.Column(scale=1, min_width=110):
            page.add("send", gr.Button, value("chat.send"), variant="primary", elem_id="send")
            page.add("new", gr.Button, value("chat.new"), size="sm", elem_id="new-chat")
    page.add(None, gr.Markdown, value("chat.examples", "**{}**"))
    for pair in (range(2), range(2, len(EXAMPLES))):
        with gr.Row(equal_height=True):
            for n in pair:
                name = f"example-{n}"
                page.add(name, gr.Button, value=EXAMPLES[n], size="sm", elem_classes="example-btn", elem_id=name)
    with page.add("feedback", gr.Column, visible=False, elem_id="feedback"):
        page.add(None, gr.Markdown, value("chat.feedback", "**{}**"))
        with gr.Row(equal_height=True, elem_classes="feedback-row"):
            for verdict in RATINGS:
                page.add(verdict, gr.Button, value(f"chat.{verdict}"), size="sm", min_width=80, elem_id=f"fb-{verdict}")
            page.add(
                "comment", gr.Textbox, placeholder("chat.comment_placeholder"), show_label=False, scale=3,
                max_lines=1, container=False, elem_id="fb-comment",
            )  # fmt: skip
    page.add("status", gr.Markdown, elem_id="chat-status")


def _facts_form(chat: ChatTab, page: Layout) -> None:
    """The editable facts, each relabelled with the interface language."""

    def fact(name: str, factory: Callable[..., Any], **kw: Any) -> None:
        page.add(name, factory, form_relabel(name, chat.book), elem_id=f"fact-{name}", **kw)

    with gr.Row():
        for name in ("zone", "industry"):
            fact(name, gr.Dropdown, value=UNKNOWN)
    fact("scenario", gr.Dropdown, value=UNKNOWN)
    with gr.Row():
        for name in ("sensitive_info_count", "personal_info_count"):
            fact(name, gr.Textbox, max_lines=1)
    fact("data_kinds", gr.Dropdown, value=[], multiselect=True)
    with gr.Row():
        for name in ("ciio", "important_data"):
            fact(name, gr.Radio, value=UNKNOWN)
    with gr.Row():
        fact("exemption_basis", gr.Dropdown, value=UNKNOWN)
        fact("transfer_date", gr.Textbox, max_lines=1)


def _console_tab(console: ConsoleTab, page: Layout) -> None:
    """Sign-in, then recent cases with filters, the case view with report downloads, the rule packs, and (for
    admins) the accounts. Nothing here names an account: the page's configuration is public."""
    with page.add("login", gr.Column, visible=True, elem_id="console-login"):
        page.add(None, gr.Markdown, value("console.login_title", "### {}"))
        if console.accounts.dev_mode:
            page.add(None, gr.Markdown, value("console.dev_note", "_{}_"), elem_classes="muted")
        with gr.Row():
            page.add("user", gr.Textbox, label("console.user"), elem_id="console-user")
            page.add("password", gr.Textbox, label("console.password"), type="password", elem_id="console-password")
        page.add("sign_in", gr.Button, value("console.login"), variant="primary", elem_id="console-login-btn")
        page.add("login_message", gr.Markdown, elem_id="console-login-message")
    with page.add("body", gr.Column, visible=False, elem_id="console-body"):
        with gr.Row():
            page.add("who", gr.Markdown, elem_classes="muted", elem_id="console-who")
            logout = {"size": "sm", "scale": 0, "min_width": 100, "elem_id": "console-logout"}
            page.add("logout", gr.Button, value("console.logout"), **logout)
        with gr.Tabs():
            with page.add(None, gr.Tab, label("console.cases")):
                _cases(page)
            with page.add(None, gr.Tab, label("console.rules")):
                page.add(None, gr.Markdown, value("console.editions", "#### {}"))
                page.add("editions", gr.Markdown, elem_id="editions")
                page.add(None, gr.Markdown, value("console.items", "#### {}"))
                page.add("search", gr.Textbox, label("console.search"), max_lines=1, elem_id="rule-search")
                page.add(
                    "rules", gr.Dataframe, value=table([], rule_columns(EN)), interactive=False, wrap=True,
                    max_height=560, elem_id="rules", column_widths=RULE_WIDTHS,
                )  # fmt: skip
            with page.add(None, gr.Tab, label("knowledge.tab"), elem_id="tab-knowledge"):
                knowledge_layout(page, gr)
            with page.add(None, gr.Tab, label("imports.tab"), elem_id="tab-import"):
                import_layout(page, gr)
        with page.add("admin", gr.Column, visible=False, elem_id="console-accounts"):
            _accounts(page)


def _accounts(page: Layout) -> None:
    """The admins' accounts section: the table, a new account, and changes to the account picked in the table."""
    page.add(None, gr.Markdown, value("console.accounts", "### {}"))
    page.add(
        "accounts", gr.Dataframe, value=table([], account_columns(EN)), interactive=False, wrap=True,
        max_height=320, elem_id="accounts",
    )  # fmt: skip
    page.add(None, gr.Markdown, value("console.new_account", "#### {}"))
    with gr.Row(equal_height=True):
        page.add("new_name", gr.Textbox, label("console.account_name"), max_lines=1, elem_id="new-name")
        page.add(
            "new_password", gr.Textbox, label("console.account_password"), type="password", max_lines=1,
            elem_id="new-password",
        )  # fmt: skip
        page.add("new_role", gr.Dropdown, role_relabel("console.account_role"), value="officer", elem_id="new-role")
        page.add("add_account", gr.Button, value("console.add_account"), scale=0, min_width=140, elem_id="add-account")
    page.add(None, gr.Markdown, value("console.manage_account", "#### {}"))
    with gr.Row(equal_height=True):
        page.add("manage_name", gr.Textbox, label("console.account_name"), max_lines=1, elem_id="manage-name")
        page.add("manage_role", gr.Dropdown, role_relabel("console.account_role"), value="officer")
        page.add("change_role", gr.Button, value("console.change_role"), scale=0, min_width=120)
    with gr.Row(equal_height=True):
        page.add("disable", gr.Button, value("console.disable_account"), size="sm", elem_id="disable-account")
        page.add("enable", gr.Button, value("console.enable_account"), size="sm", elem_id="enable-account")
        page.add("everywhere", gr.Button, value("console.sign_out_everywhere"), size="sm", elem_id="sign-out-all")
    page.add("accounts_message", gr.Markdown, elem_id="accounts-message")


def _cases(page: Layout) -> None:
    """The case filters, the cases table, the case id with its report downloads, and the report."""
    with gr.Row(equal_height=True):
        for n, key in enumerate(("outcome", "industry")):
            relabel = filter_relabel(n, f"console.{key}")
            page.add(f"filter_{key}", gr.Dropdown, relabel, value=ALL, elem_id=f"f-{key}")
        page.add("since", gr.Textbox, label("console.since"), max_lines=1)
        page.add("until", gr.Textbox, label("console.until"), max_lines=1)
        page.add("apply", gr.Button, value("console.refresh"), scale=0, min_width=120)
    page.add("cases_message", gr.Markdown)
    page.add(
        "cases", gr.Dataframe, value=table([], case_columns(EN)), interactive=False, wrap=True, max_height=360,
        elem_id="cases", column_widths=CASE_WIDTHS,
    )  # fmt: skip
    with gr.Row(equal_height=True):
        page.add("case_id", gr.Textbox, label("console.case_id"), max_lines=1, elem_id="case-id")
        page.add("open", gr.Button, value("console.open"), scale=0, min_width=140, elem_id="case-open")
        for kind in ("md", "pdf"):
            export = label(f"console.export_{kind}")
            page.add(f"{kind}_file", gr.DownloadButton, export, visible=False, elem_id=f"dl-{kind}", min_width=240)
    page.add("view", gr.Markdown, value="", elem_id="case-view", max_height=760, container=True, **TEXT_IS_TEXT)


def create_server(settings: Settings | None = None) -> FastAPI:
    """The one process: the HTTP API (when `assistant.api` is present) with the Gradio app mounted at "/"."""
    settings = settings or Settings()
    assistant = Assistant(settings)
    audit = AuditLog(settings.audit_database_url())
    redact_access_log()  # also when uvicorn runs this factory directly, not through `assistant serve`
    accounts = open_accounts(settings, audit.engine)
    note = accounts.bootstrap(settings.console_user, settings.console_password.get_secret_value())
    if note:
        log.warning("help-desk accounts: %s", note)
    if accounts.count() == 0:
        log.warning("help-desk console: no account yet; create one with `assistant users add NAME --role admin`")
    if importlib.util.find_spec("assistant.api") is not None:
        from assistant.api import create_api

        app = create_api(assistant, audit, settings)
    else:
        app = FastAPI(title="Beijing FTZ data-export assistant")

        @app.get("/healthz")
        def healthz() -> dict[str, str]:
            return {"status": "ok"}

    bindings = SessionBindings(accounts.lifetimes.absolute.total_seconds())
    app.include_router(session_router(accounts, settings, bindings))  # before Gradio's catch-all mount at "/"
    app.add_middleware(BoundStreams, bindings=bindings)
    blocks = build_blocks(assistant, audit, settings, accounts, bindings)
    mounted: FastAPI = gr.mount_gradio_app(
        app, blocks, path="/", theme=THEME, css=CARD_CSS + PAGE_CSS, footer_links=[], run_history=False,
        ssr_mode=False, mcp_server=False, max_file_size=settings.max_upload_bytes,
    )  # fmt: skip
    return mounted
