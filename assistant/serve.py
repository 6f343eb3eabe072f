"""`assistant serve`: the Gradio app at "/" and the HTTP API in one uvicorn process."""

from __future__ import annotations

import ipaddress
import sys
import threading

from .settings import PROJECT_ROOT, Settings

APP_FACTORY = "app:create_server"
"""The app factory uvicorn calls: `create_server` in the project's top-level `app.py` (which imports gradio)."""


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def preload_understanding() -> threading.Thread:
    """Read (or on a first start, embed) the understanding's exemplar vectors in a thread while uvicorn imports the
    web stack: the first question needs them, the import holds one core for seconds and the embedder runs on the
    other (it releases the GIL). The API's start-up then starts the index build (`Readiness.warm`)."""

    def load() -> None:
        from .understanding.meaning import meaning_model

        meaning_model()  # never raises: without a model the keyword readings are used

    thread = threading.Thread(target=load, name="understanding-preload", daemon=True)
    thread.start()
    return thread


def serve(host: str, port: int, settings: Settings | None = None) -> int:
    """Run uvicorn on `app:create_server` (factory) with the project root importable; returns the exit code."""
    settings = settings or Settings()
    if not (PROJECT_ROOT / "app.py").is_file():
        print(f"error: {PROJECT_ROOT / 'app.py'} not found; run `assistant serve` from a checkout", file=sys.stderr)
        return 1
    if not 0 < port < 65536:
        print(f"error: port {port} is not between 1 and 65535", file=sys.stderr)
        return 2
    if settings.dev_mode and not _loopback(host):
        print(
            f"warning: ASSISTANT_DEV_MODE is on while serving on {host}: a development account exists "
            "(it signs in from this machine only); turn it off on any shared server",
            file=sys.stderr,
        )
    # The package never imports gradio; the top-level app module does, loaded by name here.
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    import uvicorn

    from .accesslog import install
    from .logs import log_config

    install()  # access lines lose session ids, keys and tokens before uvicorn writes any, in either log format
    preload_understanding()
    print(f"serving on http://{host}:{port}/  (HTTP API under /api and /v1; Ctrl+C stops)", file=sys.stderr)
    # Nothing here waits for embeddings: the API's start-up starts the index build in a thread (Readiness.warm).
    print("answers start at once; the search index builds in the background (progress below)", file=sys.stderr)
    from .api.proxies import uvicorn_options  # forwarded headers only from settings.trusted_proxies

    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        log_level="info",
        log_config=log_config(settings.log_format),  # text for people, json for log collectors
        **uvicorn_options(settings),
    )
    return 0
