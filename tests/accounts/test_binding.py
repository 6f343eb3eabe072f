"""A session hash a live console sign-in has used streams its results only to that sign-in's cookie."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.accounts import COOKIE_NAME
from assistant.accounts.binding import BoundStreams, SessionBindings


def test_bound_hashes_stream_only_to_their_cookie() -> None:
    now = [1000.0]
    bindings = SessionBindings(lifetime=60, size=2, clock=lambda: now[0])
    app = FastAPI()

    @app.get("/gradio_api/queue/data")
    def data(session_hash: str) -> dict[str, str]:
        return {"stream": session_hash}

    app.add_middleware(BoundStreams, bindings=bindings)
    bindings.bind("officer-hash", "officer-cookie")
    bindings.bind("officer-hash", "someone-else")  # the first live cookie keeps the hash
    with TestClient(app) as client:
        url = "/gradio_api/queue/data"
        assert client.get(url, params={"session_hash": "chat-hash"}).status_code == 200  # never bound
        assert client.get(url, params={"session_hash": "officer-hash"}).status_code == 403
        client.cookies.set(COOKIE_NAME, "someone-else")
        assert client.get(url, params={"session_hash": "officer-hash"}).status_code == 403
        client.cookies.set(COOKIE_NAME, "officer-cookie")
        assert client.get(url, params={"session_hash": "officer-hash"}).json() == {"stream": "officer-hash"}
    bindings.release("officer-cookie")  # signed out: the page's chat keeps its stream without the cookie
    assert bindings.allows("officer-hash", None)
    bindings.bind("second", "c2")
    bindings.bind("third", "c3")
    bindings.bind("fourth", "c4")  # the oldest binding is forgotten first
    assert bindings.allows("second", None) and not bindings.allows("third", None)
    now[0] += 61  # no session lives longer than the binding
    assert bindings.allows("third", None)
