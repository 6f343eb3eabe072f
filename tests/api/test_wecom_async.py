"""The WeCom app with conversation memory and answers beyond its 5 seconds, on real uvicorn servers.

A fake WeCom API on loopback checks `cgi-bin/gettoken` (corpid and corpsecret) and `cgi-bin/message/send` (the
access token, `touser`, `msgtype` text, `agentid`, `text.content`) as WeCom's documents describe them, and
records the messages sent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant.answer.compose import short_reply
from assistant.api import create_api
from assistant.api.replies import ReplyJob, ReplyWorker
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import FakeAudit, serve, wait_ready
from .test_wecom import CORP_ID, SETTINGS, callback, parse_xml, spec_decrypt, text_message

pytestmark = pytest.mark.slow

SECRET = "wecom-app-secret-for-tests"
AGENT = 1000002
FIRST = "我们在北京自贸区经营一家连锁药房，想把会员的购药记录交给香港的合作方分析，要办什么手续？"
FOLLOW_UP = "50,000人及以上"  # the first answer's last option, typed


@dataclass
class FakeWeCom:
    """gettoken and message/send; messages recorded, bad calls refused with an errcode."""

    token: str = "wecom-access-token-for-tests"
    sent: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/cgi-bin/gettoken")
        async def gettoken(corpid: str, corpsecret: str) -> JSONResponse:
            if (corpid, corpsecret) != (CORP_ID, SECRET):
                self.problems.append("bad gettoken")
                return JSONResponse({"errcode": 40001, "errmsg": "invalid credential"})
            return JSONResponse({"errcode": 0, "errmsg": "ok", "access_token": self.token, "expires_in": 7200})

        @app.post("/cgi-bin/message/send")
        async def send(access_token: str, request: Request) -> JSONResponse:
            body = await request.json()
            if access_token != self.token:
                self.problems.append("send without the access token")
                return JSONResponse({"errcode": 40014, "errmsg": "invalid access_token"})
            text = body.get("text")
            if body.get("msgtype") != "text" or body.get("agentid") != AGENT or not isinstance(text, dict):
                self.problems.append(f"bad message {body}")
                return JSONResponse({"errcode": 40008, "errmsg": "invalid message type"})
            with self.arrived:
                self.sent.append(body)
                self.arrived.notify_all()
            return JSONResponse({"errcode": 0, "errmsg": "ok", "msgid": f"msg{len(self.sent)}"})

        return app

    def wait_for(self, count: int, timeout: float = 120.0) -> list[dict[str, Any]]:
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.sent) >= count, timeout):
                raise AssertionError(f"{len(self.sent)} messages after {timeout} s: {self.problems}")
            return list(self.sent)


@dataclass
class Gate:
    """Holds the answer's computation until the test has the callback's (empty) reply in hand."""

    replied: threading.Event = field(default_factory=threading.Event)
    order: list[str] = field(default_factory=list)

    async def hook(self, stage: str, job: ReplyJob) -> None:
        if stage == "computing":
            await anyio.to_thread.run_sync(self.replied.wait, 30)
        self.order.append(stage)


@pytest.fixture
def wecom(assistant: Assistant, base_settings: Settings, tmp_path: Path) -> Iterator[tuple[str, FakeWeCom, Gate]]:
    platform, gate = FakeWeCom(), Gate()
    with serve(platform.app()) as fake_url:
        settings = Settings.model_validate(
            {
                **base_settings.model_dump(),
                **SETTINGS,
                "data_dir": tmp_path,
                "wecom_corp_secret": SECRET,
                "wecom_agent_id": AGENT,
                "wecom_base_url": fake_url,
                "wecom_passive_seconds": 0.2,
            }
        )
        with serve(create_api(assistant, FakeAudit(), settings, replies=ReplyWorker(hook=gate.hook))) as base:
            wait_ready(base)
            yield base, platform, gate


def post(base: str, inner: str) -> httpx.Response:
    query, body = callback(inner)
    return httpx.post(f"{base}/webhook/wecom", params=query, content=body, timeout=60)


def test_an_answer_not_ready_in_time_is_sent_by_the_app_message_api(
    wecom: tuple[str, FakeWeCom, Gate], assistant: Assistant
) -> None:
    base, platform, gate = wecom
    response = post(base, text_message(FIRST, user="zhaoliu"))
    gate.order.append("empty reply received")
    gate.replied.set()
    assert response.status_code == 200 and response.text == ""  # WeCom's empty success, in time
    (message,) = platform.wait_for(1)
    assert gate.order.index("empty reply received") < gate.order.index("computed")
    assert message["touser"] == "zhaoliu" and message["agentid"] == AGENT
    answer = assistant.ask(FIRST, [])
    assert message["text"]["content"].startswith(short_reply(answer.answer, "zh", None).split("\n\n")[0])
    assert platform.problems == []


def answer_of(base: str, platform: FakeWeCom, inner: str) -> str:
    """The answer to a message, whichever way it came: the passive reply, or the next app message."""
    before = len(platform.sent)
    response = post(base, inner)
    assert response.status_code == 200
    if response.text:
        return parse_xml(spec_decrypt(parse_xml(response.text)["Encrypt"])[0])["Content"]
    return str(platform.wait_for(before + 1)[before]["text"]["content"])


def test_a_members_follow_up_uses_the_conversation(wecom: tuple[str, FakeWeCom, Gate], assistant: Assistant) -> None:
    base, platform, gate = wecom
    gate.replied.set()  # nothing held: each answer comes in time or by the API
    answer_of(base, platform, text_message(FIRST, user="sunqi"))
    second = answer_of(base, platform, text_message(FOLLOW_UP, user="sunqi"))
    with_history = short_reply(assistant.ask(FOLLOW_UP, [FIRST]).answer, "zh", None)
    alone = short_reply(assistant.ask(FOLLOW_UP, []).answer, "zh", None)
    assert with_history != alone and second.startswith(with_history)
    assert "新的对话" in answer_of(base, platform, text_message("重新开始", user="sunqi"))
    assert answer_of(base, platform, text_message(FOLLOW_UP, user="sunqi")).startswith(alone)
