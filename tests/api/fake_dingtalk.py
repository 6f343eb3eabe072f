"""A local fake of DingTalk's OpenAPI for the robot tests: the app access token and the robot send APIs.

It checks what DingTalk's published documents require (获取企业内部应用的accessToken, 机器人发送群聊消息, 批量发送
人与机器人会话中机器人消息, 企业机器人发送消息的消息类型): the app key and secret, the access token header, the
robot code, the target (openConversationId or userIds), a known message template and its parameters as a JSON
string of at most 15,000 bytes. Accepted messages are recorded; refused requests are recorded as problems.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    "sampleText": ("content",),
    "sampleMarkdown": ("title", "text"),
    "sampleActionCard": ("title", "text", "singleTitle", "singleURL"),
    **{
        f"sampleActionCard{n}": (
            "title",
            "text",
            *(f"{k}{i}" for i in range(1, n + 1) for k in ("actionTitle", "actionURL")),
        )
        for n in range(2, 6)
    },
}
"""The templates a robot message may use and the parameters each needs."""


@dataclass
class Sent:
    """One message the robot sent."""

    path: str
    target: str
    msg_key: str
    param: dict[str, Any]


@dataclass
class FakeDingTalk:
    """DingTalk's OpenAPI for one app, on a FastAPI app the test serves."""

    app_key: str
    app_secret: str
    robot_code: str
    sent: list[Sent] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    token_requests: int = 0
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def refuse(self, status: int, problem: str) -> JSONResponse:
        with self._changed:
            self.problems.append(problem)
            self._changed.notify_all()
        return JSONResponse({"code": "InvalidParameter", "message": problem}, status_code=status)

    def wait(self, count: int, timeout: float = 60.0) -> list[Sent]:
        """The messages sent once there are `count` (fails after `timeout` seconds without them)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.sent) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.sent)} of {count} messages arrived; problems: {self.problems}"
                self._changed.wait(left)
            return list(self.sent)

    def check_message(self, body: Any, token: str | None) -> tuple[str, dict[str, Any]] | str:
        """The template and its parameters, or what is wrong."""
        if token not in self.tokens:
            return "x-acs-dingtalk-access-token is missing or not issued"
        if not isinstance(body, dict) or body.get("robotCode") != self.robot_code:
            return "robotCode is not the robot's"
        msg_key, raw = body.get("msgKey"), body.get("msgParam")
        if msg_key not in TEMPLATE_FIELDS:
            return f"unknown msgKey {msg_key!r}"
        if not isinstance(raw, str) or len(raw.encode()) > 15_000:
            return "msgParam must be a JSON string of at most 15,000 bytes"
        param = json.loads(raw)
        missing = [name for name in TEMPLATE_FIELDS[msg_key] if not isinstance(param.get(name), str)]
        if missing:
            return f"msgParam of {msg_key} lacks {missing}"
        return msg_key, param

    def app(self) -> FastAPI:
        """The fake's HTTP API."""
        api = FastAPI()

        @api.post("/v1.0/oauth2/accessToken")
        async def access_token(request: Request) -> JSONResponse:
            body = await request.json()
            if body != {"appKey": self.app_key, "appSecret": self.app_secret}:
                return self.refuse(400, "appKey or appSecret is wrong")
            token = f"token-{next(self._ids)}"
            self.tokens.add(token)
            self.token_requests += 1
            return JSONResponse({"accessToken": token, "expireIn": 7200})

        async def send(request: Request, path: str, target_field: str) -> JSONResponse:
            body = await request.json()
            checked = self.check_message(body, request.headers.get("x-acs-dingtalk-access-token"))
            if isinstance(checked, str):
                return self.refuse(401 if "token" in checked else 400, checked)
            target = body.get(target_field)
            if target_field == "userIds":
                if not (isinstance(target, list) and 0 < len(target) <= 20 and all(isinstance(t, str) for t in target)):
                    return self.refuse(400, "userIds must list 1 to 20 user ids")
                target = ",".join(target)
            elif not isinstance(target, str) or not target:
                return self.refuse(400, "openConversationId is missing")
            with self._changed:
                self.sent.append(Sent(path, target, checked[0], checked[1]))
                self._changed.notify_all()
            return JSONResponse({"processQueryKey": f"query-{next(self._ids)}"})

        @api.post("/v1.0/robot/groupMessages/send")
        async def group(request: Request) -> JSONResponse:
            return await send(request, "group", "openConversationId")

        @api.post("/v1.0/robot/oToMessages/batchSend")
        async def one_to_one(request: Request) -> JSONResponse:
            return await send(request, "one-to-one", "userIds")

        return api
