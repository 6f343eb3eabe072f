"""A local fake of the WeCom smart robot's `response_url` for the robot tests.

It hands out response URLs (as WeCom puts them in callbacks) and checks what WeCom's published document
(智能机器人 主动回复消息) requires of a post to one: each URL once, a JSON body that is a `markdown` message (content
of at most 20,480 bytes) or a `template_card` (here the `button_interaction` card: a main title, one to six
buttons with a text and a key, a task id). Accepted messages are recorded; refused posts are recorded as
problems and answered with a non-zero errcode.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

PATH = "/cgi-bin/aibot/response"


@dataclass
class Posted:
    """One message posted to a response URL."""

    code: str
    message: dict[str, Any]


@dataclass
class FakeWeComRobot:
    """WeCom's response URLs, on a FastAPI app the test serves at `base`."""

    base: str = ""
    posted: list[Posted] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    issued: set[str] = field(default_factory=set)
    used: set[str] = field(default_factory=set)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def response_url(self) -> str:
        """A new response URL, as a callback carries it."""
        code = f"code{next(self._ids)}"
        self.issued.add(code)
        return f"{self.base}{PATH}?response_code={code}"

    def wait(self, count: int, timeout: float = 60.0) -> list[Posted]:
        """The messages posted once there are `count` (fails after `timeout` seconds without them)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.posted) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.posted)} of {count} messages arrived; problems: {self.problems}"
                self._changed.wait(left)
            return list(self.posted)

    @staticmethod
    def check(body: Any) -> str | None:
        """What is wrong with a posted message, or None."""
        if not isinstance(body, dict):
            return "the body is not a JSON object"
        kind = body.get("msgtype")
        if kind == "markdown":
            content = body.get("markdown", {}).get("content")
            if not isinstance(content, str) or not content or len(content.encode()) > 20_480:
                return "markdown.content must be 1 to 20,480 bytes"
            return None
        if kind != "template_card":
            return f"msgtype {kind!r} cannot be posted to a response_url"
        card = body.get("template_card", {})
        buttons = card.get("button_list")
        if card.get("card_type") != "button_interaction" or not card.get("task_id"):
            return "a button_interaction card needs card_type and task_id"
        if not isinstance(card.get("main_title", {}).get("title"), str):
            return "the card has no main_title.title"
        if not isinstance(buttons, list) or not 0 < len(buttons) <= 6:
            return "button_list must have 1 to 6 buttons"
        if not all(isinstance(b, dict) and b.get("text") and b.get("key") for b in buttons):
            return "every button needs a text and a key"
        return None

    def app(self) -> FastAPI:
        """The fake's HTTP API."""
        api = FastAPI()

        @api.post(PATH)
        async def respond(request: Request, response_code: str = "") -> JSONResponse:
            body = await request.json()
            problem = self.check(body)
            if response_code not in self.issued:
                problem = "unknown response_code"
            elif response_code in self.used:
                problem = "response_url used twice"
            with self._changed:
                if problem is None:
                    self.used.add(response_code)
                    self.posted.append(Posted(response_code, body))
                else:
                    self.problems.append(problem)
                self._changed.notify_all()
            return JSONResponse({"errcode": 0 if problem is None else 40058, "errmsg": problem or "ok"})

        return api
