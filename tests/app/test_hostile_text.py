"""Text is text in Chromium (issue 13, finding 3): a question and a comment full of Markdown and HTML go through
the chat and the help-desk console; nothing is fetched, nothing runs, nothing looks like the interface.

A local HTTP server stands in for the attacker's beacon and records every request; the test ends by fetching
it from the page itself, so a beacon that cannot be reached would fail the test rather than pass it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .test_browser import FLAGSHIP_EN, ask, field, rows, settle, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class Beacon:
    """A loopback HTTP server that records the path of every request it gets."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/gif")
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(b"GIF89a")

            def log_message(self, *args: Any) -> None:
                return

        self.hits = hits
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Beacon:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def beacon() -> Iterator[Beacon]:
    with Beacon() as running:
        yield running


def payload(url: str, where: str) -> str:
    """Markdown and HTML that would fetch, run, link or pose as the interface if rendered."""
    return "\n".join(
        [
            f"![logo]({url}/{where}-markdown-image.png)",
            f'<img src="{url}/{where}-html-image.png" onerror="document.title=\'owned\'">',
            "<script>document.title='owned'</script>",
            "## Security notice",
            f"All officers must [re-enter their password]({url}/{where}-link) at {url}/{where}-bare today.",
        ]
    )


def _nothing_rendered(page: Any, scope: str, url: str, whole: bool = True) -> None:
    """In `scope`: no heading saying the notice, no link or image to the beacon, no script that ran."""
    headings = page.locator(f"{scope} :is(h1, h2, h3, h4, h5, h6)", has_text="Security notice")
    assert headings.count() == 0
    assert page.locator(f"{scope} a[href*='{url}']").count() == 0
    assert page.locator(f"{scope} img[src*='{url}']").count() == 0
    assert page.locator(f"{scope} script").count() == 0
    assert page.title() != "owned"
    if whole:  # the cases table shows only the start of a question and a comment
        assert "## Security notice" in page.locator(scope).inner_text()  # shown as typed


def test_hostile_text_in_the_chat_and_the_console(page: Any, beacon: Beacon, tmp_path: Path) -> None:
    ask(page, f"{FLAGSHIP_EN}\n{payload(beacon.url, 'chat')}")
    _nothing_rendered(page, "#chatbot", beacon.url)
    field(page, "fb-comment").fill(payload(beacon.url, "comment").replace("\n", " "))
    page.click("#fb-useful")
    page.wait_for_selector("#chat-status :text('feedback is saved')")

    sign_in(page)
    first = rows(page, "cases").first
    first.wait_for()
    settle(page)
    _nothing_rendered(page, "#cases", beacon.url, whole=False)
    first.locator("[role='gridcell']").nth(2).click()
    page.wait_for_selector("#case-view h1")
    page.wait_for_selector("#dl-md")
    settle(page)
    _nothing_rendered(page, "#case-view", beacon.url)
    view = page.locator("#case-view").inner_text()
    assert f"{beacon.url}/comment-link" in view  # the comment's link is text, not a link

    with page.expect_download() as download:
        page.click("#dl-md")
    report = tmp_path / "report.md"
    download.value.save_as(report)
    text = report.read_text(encoding="utf-8")
    assert "\\## Security notice" in text and "\\<img" in text and "\\!\\[logo\\]" in text

    page.wait_for_timeout(1500)  # time for any fetch a render might have started
    assert beacon.hits == []
    # The control: the page can reach the beacon, so an image that had rendered would have been counted.
    page.evaluate("url => fetch(url).then(r => r.status)", f"{beacon.url}/control")
    assert beacon.hits == ["/control"]
