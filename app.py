"""The Gradio face: the employee chat and the help-desk console, mounted at "/" on the HTTP API.

A thin face: the `assistant` package answers, decides, records and renders; this module lays out and wires.
Serve it with `assistant serve` (uvicorn, factory `app:create_server`).
"""

import os

# Nothing may reach the network: set before gradio (or anything that reads them) is imported.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"

import importlib.util
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr
from fastapi import FastAPI

from assistant.answer.labels import outcome_label, value_label
from assistant.casefile.audit import AuditLog
from assistant.facts import INDUSTRIES, Facts
from assistant.outcomes import OUTCOMES
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.ui import (
    CARD_CSS,
    EXAMPLES,
    FORM_FIELDS,
    UNKNOWN,
    ChatSession,
    ConsoleAccess,
    ConsoleSession,
    choices,
    edition_table,
    form_values,
    ui,
)
from assistant.ui.console import CASE_COLUMNS, RULE_COLUMNS
from assistant.ui.form import label as fact_name

log = logging.getLogger("assistant.app")

STREAM_DELAY = 0.012
"""Seconds between streamed lines: the answer is ready at once, but it reads better line by line."""
ALL = "*"
PRIVATE = "private"
"""Every event is private: the UI's handlers are not an API (the HTTP API is)."""

APP_CSS = """
.app-header h1{margin:0 0 2px;font-size:24px}
.app-header p{margin:0;color:var(--body-text-color-subdued)}
.example-btn{white-space:normal!important;text-align:left!important;font-size:13px!important;line-height:1.35!important}
.panel-title h3{margin:4px 0 2px}
.muted{color:var(--body-text-color-subdued)}
.feedback-row{align-items:center}
.example-btn{justify-content:flex-start!important}
#console-login{max-width:640px}
#cases .cell-wrap,#rules .cell-wrap{font-family:var(--font)}
"""

THEME = gr.themes.Soft(
    primary_hue="blue",
    font=["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "system-ui", "sans-serif"],
    font_mono=["Noto Sans Mono CJK SC", "ui-monospace", "monospace"],
)
"""Local fonts only: a Google font would make every browser fetch it from the network."""

Relabel = Callable[[Any, Callable[[str], Any]], Any]


def _lg(lang: str) -> str:
    return "zh" if lang == "zh" else "en"


def _df(rows: list[list[str]], columns: list[str]) -> dict[str, Any]:
    return {"data": rows, "headers": columns}


def _label(key: str) -> Callable[[str], Any]:
    return lambda lg: gr.update(label=ui(key, lg))


def _value(key: str, fmt: str = "{}") -> Callable[[str], Any]:
    return lambda lg: gr.update(value=fmt.format(ui(key, lg)))


def _filter(index: int, key: str) -> Callable[[str], Any]:
    return lambda lg: gr.update(label=ui(key, lg), choices=_filter_choices(lg)[index])


def _filter_choices(lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    every = (ui("all", lang), ALL)
    outcomes = [every, *((outcome_label(o, lang), o) for o in OUTCOMES)]
    return outcomes, [every, *((value_label("industry", i, lang), i) for i in INDUSTRIES)]


def build_blocks(assistant: Assistant, audit: AuditLog, settings: Settings) -> gr.Blocks:
    """The app: the chat tab and the help-desk console tab, with an interface-language switch."""
    chat = ChatSession(assistant, audit)
    access = ConsoleAccess.from_settings(settings)
    relabels: list[tuple[Any, Callable[[str], Any]]] = []

    def text(component: Any, fn: Callable[[str], Any]) -> Any:
        relabels.append((component, fn))
        return component

    demo = gr.Blocks(title="北京自贸试验区数据出境助手 · Beijing FTZ data-export assistant")
    with demo:
        lang, turn = gr.State("en"), gr.State({})
        with gr.Row(equal_height=True):
            header = gr.Markdown(f"# {ui('title', 'en')}\n{ui('subtitle', 'en')}", elem_classes="app-header")
            text(header, lambda lg: f"# {ui('title', lg)}\n{ui('subtitle', lg)}")
            switch = gr.Radio(
                [("中文", "zh"), ("English", "en")], value="en", label=ui("language", "en"), scale=0, min_width=200,
                elem_id="lang",
            )  # fmt: skip
            text(switch, _label("language"))
        with gr.Tabs():
            with gr.Tab(ui("tab_chat", "en"), elem_id="tab-chat") as tab:
                text(tab, _label("tab_chat"))
                card, sources = _chat_tab(chat, lang, turn, text)
            with gr.Tab(ui("tab_console", "en"), elem_id="tab-console") as tab:
                text(tab, _label("tab_console"))
                _console_tab(ConsoleSession(assistant, audit, access), lang, text)

        def on_switch(lg: str, current: dict[str, Any]) -> tuple[Any, ...]:
            return (lg, *chat.relabel(current, lg), *(fn(lg) for _, fn in relabels))

        outputs = [lang, card, sources, *(c for c, _ in relabels)]
        switch.change(on_switch, [switch, turn], outputs, api_visibility=PRIVATE)

        def on_load(request: gr.Request) -> str:
            accept = request.headers.get("accept-language", "") if request else ""
            return "zh" if accept.lower().startswith("zh") else "en"

        # Start in the browser's language; the switch's change event then sets every label.
        demo.load(on_load, None, switch, api_visibility=PRIVATE)
    return demo


def _chat_tab(chat: ChatSession, lang: Any, turn: Any, text: Relabel) -> tuple[Any, Any]:
    """The chat, examples and feedback on the left; the determination, facts and sources on the right."""
    questions = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=11, min_width=380):
            bot = gr.Chatbot(
                height=580, buttons=["copy"], feedback_options=None, elem_id="chatbot", layout="bubble",
                group_consecutive_messages=False,
                label=ui("chat", "en"), show_label=False, placeholder=ui("chat_empty", "en"),
            )  # fmt: skip
            text(bot, lambda lg: gr.update(label=ui("chat", lg), placeholder=ui("chat_empty", lg)))
            with gr.Row(equal_height=True):
                msg = gr.Textbox(
                    show_label=False, scale=6, lines=2, max_lines=6, elem_id="question", autofocus=True,
                    placeholder=ui("placeholder", "en"),
                )  # fmt: skip
                text(msg, lambda lg: gr.update(placeholder=ui("placeholder", lg)))
                with gr.Column(scale=1, min_width=110):
                    send = text(gr.Button(ui("send", "en"), variant="primary", elem_id="send"), _value("send"))
                    new = text(gr.Button(ui("new", "en"), size="sm", elem_id="new-chat"), _value("new"))
            text(gr.Markdown(f"**{ui('examples', 'en')}**"), _value("examples", "**{}**"))
            buttons: list[Any] = []
            for pair in (EXAMPLES[:2], EXAMPLES[2:]):
                with gr.Row(equal_height=True):
                    for q in pair:
                        n = len(buttons)
                        buttons.append(gr.Button(q, size="sm", elem_classes="example-btn", elem_id=f"example-{n}"))
            with gr.Column(visible=False, elem_id="feedback") as feedback:
                text(gr.Markdown(f"**{ui('feedback', 'en')}**"), _value("feedback", "**{}**"))
                with gr.Row(equal_height=True, elem_classes="feedback-row"):
                    useful = gr.Button(ui("useful", "en"), size="sm", min_width=80, elem_id="fb-useful")
                    wrong = gr.Button(ui("wrong", "en"), size="sm", min_width=80, elem_id="fb-wrong")
                    comment = gr.Textbox(
                        show_label=False, scale=3, max_lines=1, container=False, elem_id="fb-comment",
                        placeholder=ui("comment_placeholder", "en"),
                    )  # fmt: skip
                text(useful, _value("useful"))
                text(wrong, _value("wrong"))
                text(comment, lambda lg: gr.update(placeholder=ui("comment_placeholder", lg)))
            status = gr.Markdown(elem_id="chat-status")
        with gr.Column(scale=9, min_width=340):
            text(gr.Markdown(f"### {ui('determination', 'en')}"), _value("determination", "### {}"))
            empty_card, empty_sources = chat.empty_panels("en")
            card = gr.HTML(empty_card, elem_id="determination")
            with gr.Accordion(ui("facts", "en"), open=True, elem_id="facts-panel") as acc:
                text(acc, _label("facts"))
                text(gr.Markdown(ui("facts_hint", "en"), elem_classes="muted"), _value("facts_hint"))
                form = _facts_form(chat, text)
                facts_status = gr.Markdown(elem_id="facts-status")
            with gr.Accordion(ui("sources", "en"), open=True, elem_id="sources-panel") as acc:
                text(acc, _label("sources"))
                sources = gr.HTML(empty_sources, elem_id="sources")

    outs = [bot, msg, questions, turn, card, sources, status, feedback, *form]
    skip = gr.skip()

    def respond(message: str, history: list[Any], asked: list[str], current: dict[str, Any], lg: str) -> Iterator[Any]:
        message = (message or "").strip()
        if not message:
            yield (skip,) * len(outs)
            return
        shown = [*history, {"role": "user", "content": message}, {"role": "assistant", "content": ui("thinking", lg)}]
        yield (shown, "", *(skip,) * (len(outs) - 2))
        carried = current.get("facts") if asked and isinstance(current, dict) else None
        done = chat.answer(message, asked, lg, facts=Facts.model_validate(carried) if carried else None)
        streamed = ""
        for line in done.text.splitlines(keepends=True):
            streamed += line
            shown[-1] = {"role": "assistant", "content": streamed}
            yield (shown, *(skip,) * (len(outs) - 1))
            time.sleep(STREAM_DELAY)
        card_html, sources_html = chat.panels(done.answer, lg)
        values = form_values(done.answer.facts)
        yield (shown, skip, [*asked, message], done.turn, card_html, sources_html, done.status, gr.update(visible=True),
               *(values[n] for n in FORM_FIELDS))  # fmt: skip

    def example(question: str) -> Callable[..., Iterator[Any]]:
        def run(history: list[Any], asked: list[str], current: dict[str, Any], lg: str) -> Iterator[Any]:
            yield from respond(question, history, asked, current, lg)

        return run

    def clear(lg: str) -> tuple[Any, ...]:
        values = form_values(Facts())
        hidden = gr.update(visible=False)
        return ([], "", [], {}, *chat.empty_panels(lg), "", hidden, *(values[n] for n in FORM_FIELDS))

    def recompute(lg: str, current: dict[str, Any], history: list[Any], *values: Any) -> tuple[Any, ...]:
        result = chat.recompute(current, dict(zip(FORM_FIELDS, values, strict=True)), lg)
        if isinstance(result, str):
            return skip, skip, current, result, skip
        note = chat.change_note(current, result[2], lg)
        shown = [*history, {"role": "assistant", "content": note}] if note else skip
        return (*result, "", shown)

    ins = [bot, questions, turn, lang]
    send.click(respond, [msg, *ins], outs, api_visibility=PRIVATE)
    msg.submit(respond, [msg, *ins], outs, api_visibility=PRIVATE)
    for question, button in zip(EXAMPLES, buttons, strict=True):
        button.click(example(question), ins, outs, api_visibility=PRIVATE)
    new.click(clear, [lang], outs, api_visibility=PRIVATE)
    for component in form:
        typed = isinstance(component, gr.Textbox)
        for event in [component.submit, component.blur] if typed else [component.input]:
            event(recompute, [lang, turn, bot, *form], [card, sources, turn, facts_status, bot], api_visibility=PRIVATE)
    for button, verdict in ((useful, "useful"), (wrong, "wrong")):
        button.click(_feedback(chat, verdict), [comment, turn, lang], [status, comment], api_visibility=PRIVATE)
    return card, sources


def _feedback(chat: ChatSession, verdict: str) -> Callable[[str, dict[str, Any], str], tuple[str, str]]:
    def send(comment: str, current: dict[str, Any], lg: str) -> tuple[str, str]:
        return chat.feedback(verdict, comment, current, lg)

    return send


def _facts_form(chat: ChatSession, text: Relabel) -> list[Any]:
    """The editable facts, in FORM_FIELDS order, each relabelled with the interface language."""
    book = chat.book
    comps: dict[str, Any] = {}

    def opts(name: str) -> dict[str, Any]:
        return {"label": fact_name(name, "en"), "elem_id": f"fact-{name}"}

    with gr.Row():
        for name in ("zone", "industry"):
            comps[name] = gr.Dropdown(choices(name, book, "en"), value=UNKNOWN, **opts(name))
    comps["scenario"] = gr.Dropdown(choices("scenario", book, "en"), value=UNKNOWN, **opts("scenario"))
    with gr.Row():
        for name in ("sensitive_info_count", "personal_info_count"):
            comps[name] = gr.Textbox(placeholder=ui("unknown", "en"), max_lines=1, **opts(name))
    kinds = choices("data_kinds", book, "en")
    comps["data_kinds"] = gr.Dropdown(kinds, value=[], multiselect=True, **opts("data_kinds"))
    with gr.Row():
        for name in ("ciio", "important_data"):
            comps[name] = gr.Radio(choices(name, book, "en"), value=UNKNOWN, **opts(name))
    with gr.Row():
        name = "exemption_basis"
        comps[name] = gr.Dropdown(choices(name, book, "en"), value=UNKNOWN, **opts(name))
        comps["transfer_date"] = gr.Textbox(placeholder=ui("date_hint", "en"), max_lines=1, **opts("transfer_date"))
    for name, comp in comps.items():
        text(comp, _fact_relabel(name, book))
    return [comps[n] for n in FORM_FIELDS]


def _fact_relabel(name: str, book: Any) -> Callable[[str], Any]:
    """The update that relabels one fact of the panel (and its choices or placeholder)."""

    def relabel(lg: str) -> Any:
        if name.endswith("_count"):
            return gr.update(label=fact_name(name, lg), placeholder=ui("unknown", lg))
        if name == "transfer_date":
            return gr.update(label=fact_name(name, lg), placeholder=ui("date_hint", lg))
        return gr.update(label=fact_name(name, lg), choices=choices(name, book, lg))

    return relabel


def _console_tab(console: ConsoleSession, lang: Any, text: Relabel) -> None:
    """Sign-in, then recent cases with filters, the case view with report downloads, and the rule packs."""
    access = console.access
    if not access.enabled:
        text(gr.Markdown(f"⚠ {ui('console_disabled', 'en')}", elem_id="console-closed"), _value("console_disabled"))
        return
    authed, skip = gr.State(False), gr.skip()
    with gr.Column(visible=True, elem_id="console-login") as login_col:
        text(gr.Markdown(f"### {ui('login_title', 'en')}"), _value("login_title", "### {}"))
        if access.dev_mode:

            def hint(lg: str) -> str:
                return "_" + ui("dev_hint", lg).format(user=access.user, password=access.password) + "_"

            text(gr.Markdown(hint("en"), elem_classes="muted"), hint)
        with gr.Row():
            user = text(gr.Textbox(label=ui("user", "en"), elem_id="console-user"), _label("user"))
            password = gr.Textbox(label=ui("password", "en"), type="password", elem_id="console-password")
            text(password, _label("password"))
        login = text(gr.Button(ui("login", "en"), variant="primary", elem_id="console-login-btn"), _value("login"))
        login_msg = gr.Markdown()
    with gr.Column(visible=False, elem_id="console-body") as body:
        with gr.Row():

            def signed(lg: str) -> str:
                return f"_{ui('signed_in', lg)} {access.user}_"

            text(gr.Markdown(signed("en"), elem_classes="muted"), signed)
            logout = gr.Button(ui("logout", "en"), size="sm", scale=0, min_width=100, elem_id="console-logout")
            text(logout, _value("logout"))
        with gr.Tabs():
            with gr.Tab(ui("cases", "en")) as tab:
                text(tab, _label("cases"))
                outcomes, industries = _filter_choices("en")
                with gr.Row(equal_height=True):
                    f_outcome = gr.Dropdown(outcomes, value=ALL, label=ui("outcome", "en"), elem_id="f-outcome")
                    f_industry = gr.Dropdown(industries, value=ALL, label=ui("industry", "en"), elem_id="f-industry")
                    text(f_outcome, _filter(0, "outcome"))
                    text(f_industry, _filter(1, "industry"))
                    f_since = text(gr.Textbox(label=ui("since", "en"), max_lines=1), _label("since"))
                    f_until = text(gr.Textbox(label=ui("until", "en"), max_lines=1), _label("until"))
                    apply = text(gr.Button(ui("refresh", "en"), scale=0, min_width=120), _value("refresh"))
                cases_msg = gr.Markdown()
                table = gr.Dataframe(
                    _df([], CASE_COLUMNS["en"]), interactive=False, wrap=True, max_height=360, elem_id="cases",
                    column_widths=["13%", "10%", "14%", "10%", "6%", "7%", "10%", "30%"],
                )  # fmt: skip
                with gr.Row(equal_height=True):
                    case_id = gr.Textbox(label=ui("case_id", "en"), max_lines=1, elem_id="case-id")
                    open_btn = gr.Button(ui("open", "en"), scale=0, min_width=140, elem_id="case-open")
                    md_dl = gr.DownloadButton(ui("export_md", "en"), visible=False, elem_id="dl-md", min_width=240)
                    pdf_dl = gr.DownloadButton(ui("export_pdf", "en"), visible=False, elem_id="dl-pdf", min_width=240)
                for comp, key in (
                    (case_id, "case_id"),
                    (open_btn, "open"),
                    (md_dl, "export_md"),
                    (pdf_dl, "export_pdf"),
                ):
                    text(comp, _label(key) if comp is case_id else _value(key))
                view = gr.Markdown("", elem_id="case-view", max_height=760, container=True)
            with gr.Tab(ui("rules", "en")) as tab:
                text(tab, _label("rules"))
                text(gr.Markdown(f"#### {ui('editions', 'en')}"), _value("editions", "#### {}"))
                editions = gr.Markdown(elem_id="editions")
                text(gr.Markdown(f"#### {ui('items', 'en')}"), _value("items", "#### {}"))
                search = text(
                    gr.Textbox(label=ui("search", "en"), max_lines=1, elem_id="rule-search"), _label("search")
                )
                rules = gr.Dataframe(
                    _df([], RULE_COLUMNS["en"]), interactive=False, wrap=True, max_height=560, elem_id="rules",
                    column_widths=["6%", "11%", "11%", "15%", "11%", "10%", "11%", "9%", "16%"],
                )  # fmt: skip

    def guard(ok: bool, lg: str) -> None:
        if not ok:
            raise gr.Error(ui("login_title", lg))

    def cases(ok: bool, outcome: str, industry: str, since: str, until: str, lg: str) -> tuple[Any, str]:
        guard(ok, lg)
        rows, message = console.cases(lg, None if outcome == ALL else outcome, None if industry == ALL else industry,
                                      since, until)  # fmt: skip
        return _df(rows, CASE_COLUMNS[_lg(lg)]), message

    def rule_table(ok: bool, query: str, lg: str) -> Any:
        guard(ok, lg)
        return _df(console.rules(query, lg), RULE_COLUMNS[_lg(lg)])

    def sign_in(name: str, secret: str, lg: str) -> tuple[Any, ...]:
        if not access.check(name or "", secret or ""):
            time.sleep(0.5)  # slows guessing down a little
            return False, skip, skip, f"⚠ {ui('login_failed', lg)}", "", skip, skip, skip
        found, _ = cases(True, ALL, ALL, "", "", lg)
        shown, hidden = gr.update(visible=True), gr.update(visible=False)
        return True, hidden, shown, "", "", found, edition_table(console.book, lg), rule_table(True, "", lg)

    def sign_out(lg: str) -> tuple[Any, ...]:
        shown, hidden = gr.update(visible=True), gr.update(visible=False)
        return False, shown, hidden, "", _df([], CASE_COLUMNS[_lg(lg)]), _df([], RULE_COLUMNS[_lg(lg)])

    def pick(ok: bool, evt: gr.SelectData) -> str:
        row = (evt.row_value or []) if ok else []
        return str(row[1]) if len(row) > 1 else ""

    def open_case(ok: bool, wanted: str, lg: str) -> tuple[Any, ...]:
        guard(ok, lg)
        view = console.open(wanted, lg)
        files = [gr.update(value=str(p), visible=True) if p else gr.update(value=None, visible=False)
                 for p in (view.md_path, view.pdf_path)]  # fmt: skip
        return (view.markdown, *files)

    login_outs = [authed, login_col, body, login_msg, password, table, editions, rules]
    login.click(sign_in, [user, password, lang], login_outs, api_visibility=PRIVATE)
    password.submit(sign_in, [user, password, lang], login_outs, api_visibility=PRIVATE)
    logout.click(sign_out, [lang], [authed, login_col, body, login_msg, table, rules], api_visibility=PRIVATE)
    apply.click(
        cases, [authed, f_outcome, f_industry, f_since, f_until, lang], [table, cases_msg], api_visibility=PRIVATE
    )
    shown_case = [view, md_dl, pdf_dl]
    table.select(pick, [authed], case_id, api_visibility=PRIVATE).then(
        open_case, [authed, case_id, lang], shown_case, api_visibility=PRIVATE
    )
    open_btn.click(open_case, [authed, case_id, lang], shown_case, api_visibility=PRIVATE)
    case_id.submit(open_case, [authed, case_id, lang], shown_case, api_visibility=PRIVATE)
    search.change(rule_table, [authed, search, lang], rules, api_visibility=PRIVATE)


def create_server(settings: Settings | None = None) -> FastAPI:
    """The one process: the HTTP API (when `assistant.api` is present) with the Gradio app mounted at "/"."""
    settings = settings or Settings()
    assistant = Assistant(settings)
    audit = AuditLog(settings.audit_database_url())
    access = ConsoleAccess.from_settings(settings)
    if not access.enabled:
        log.warning("help-desk console closed: %s (the chat works)", access.reason)
    elif access.dev_mode:
        log.warning("help-desk console in development mode (user %r): never on a shared server", access.user)
    if importlib.util.find_spec("assistant.api") is not None:
        from assistant.api import create_api

        app = create_api(assistant, audit, settings)
    else:
        app = FastAPI(title="Beijing FTZ data-export assistant")

        @app.get("/healthz")
        def healthz() -> dict[str, str]:
            return {"status": "ok"}

    blocks = build_blocks(assistant, audit, settings)
    mounted: FastAPI = gr.mount_gradio_app(
        app, blocks, path="/", theme=THEME, css=CARD_CSS + APP_CSS, footer_links=[], run_history=False,
        ssr_mode=False, mcp_server=False,
    )  # fmt: skip
    return mounted
