"""The real server (`assistant serve` in a subprocess) and headless Debian chromium driven by Playwright."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ADMIN_USER = "helpdesk.admin"
ADMIN_PASSWORD = "Lantern-orchard-47-quietly"
"""The admin account the server fixture creates with `assistant users add` before it starts."""
DEV_USER, DEV_PASSWORD = ADMIN_USER, ADMIN_PASSWORD
"""The names tests used before accounts: the same admin (there is no development account any more here)."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}):\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {url} within {seconds:.0f} s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`assistant serve` on a free loopback port, its state in a temporary folder; yields the base URL."""
    state = tmp_path_factory.mktemp("server")
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(state / "data"),
        "ASSISTANT_EMBEDDER": "fake",
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "GRADIO_ANALYTICS_ENABLED": "False",
        "GRADIO_TEMP_DIR": str(state / "gradio"),
    }
    env.pop("ASSISTANT_CHROMA_URL", None)
    env.pop("ASSISTANT_API_KEYS", None)
    env.pop("ASSISTANT_DEV_MODE", None)
    add_user(env, ADMIN_USER, "admin", ADMIN_PASSWORD)
    with running_server(env, state / "server.log") as base:
        yield base


CLI = [sys.executable, "-m", "assistant.cli"]


def add_user(env: dict[str, str], name: str, role: str, password: str) -> None:
    """`assistant users add` (the password on standard input, as a person types it)."""
    added = subprocess.run([*CLI, "users", "add", name, "--role", role], input=f"{password}\n", cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    if added.returncode != 0:
        raise RuntimeError(f"could not add the account {name}: {added.stderr}")


@contextmanager
def running_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """`assistant serve` on a loopback port with `env`, its output in `log`; the base URL once /healthz answers."""
    port = _free_port()
    command = [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/healthz", process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    """Debian's chromium, headless, through Playwright (no browser is downloaded).

    Package-scoped: Playwright's sync API keeps an event loop running in the main thread while it is open, so it
    is stopped after the app tests, before other packages' tests run their own event loops.
    """
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `bash scripts/setup.sh` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium: object, server: str) -> Iterator[object]:
    """A fresh English-speaking browser page at 1440x1000, the app loaded."""
    context = chromium.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1440, "height": 1000}, locale="en-US", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(server + "/")
    page.wait_for_selector("#question textarea")
    try:
        yield page
    finally:
        context.close()


def shot(page: object, name: str) -> Path:
    """Save a full-page screenshot as artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_timeout(1200)  # type: ignore[attr-defined]  # let updated components finish fading in
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def pdf_tools() -> tuple[str | None, str | None]:
    """pdftotext and pdftoppm (poppler-utils) when installed."""
    return shutil.which("pdftotext"), shutil.which("pdftoppm")


@pytest.fixture
def event_loops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[asyncio.AbstractEventLoop]]:
    """Close the asyncio event loops a test makes, for a test that builds the Gradio app in-process.

    Gradio makes a new event loop (and sets it as the current one) for each lock of an app built outside a
    running loop, and never closes it; left open, each loop's self-pipe (an AF_UNIX socket pair) would be
    reported as an unclosed socket in whichever later test the garbage collector happens to run.
    """
    made: list[asyncio.AbstractEventLoop] = []
    new_event_loop = asyncio.new_event_loop

    def making() -> asyncio.AbstractEventLoop:
        loop = new_event_loop()
        made.append(loop)
        return loop

    monkeypatch.setattr(asyncio, "new_event_loop", making)
    yield made
    try:
        asyncio.get_running_loop()  # Playwright's, while a browser is open: it stays current
    except RuntimeError:
        asyncio.set_event_loop(None)  # no current loop, as asyncio.run leaves it
    for loop in made:
        if not loop.is_running():
            loop.close()
