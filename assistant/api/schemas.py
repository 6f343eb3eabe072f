"""Request and response bodies of the HTTP API (contract: HTTP), as pydantic models for the OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..answer.reply import Answer, SourcePassage
from ..determination import Determination

Role = Literal["system", "developer", "user", "assistant", "tool", "function"]


class Message(BaseModel):
    """One turn of a conversation: who spoke and what they said."""

    role: Role = "user"
    content: str = Field(max_length=20_000)


class AskRequest(BaseModel):
    """POST /api/ask: a question, with the earlier turns of the conversation."""

    question: str = Field(max_length=20_000, description="The person's question, Chinese or English.")
    history: list[Message] = Field(
        default_factory=list,
        max_length=200,
        description="Earlier turns, oldest first; facts stated in user turns carry over.",
    )


class AnswerOut(Answer):
    """An Answer (contract: Answer) with the audit log's case id."""

    case_id: str | None = Field(default=None, description="The audit log's id of this turn, when one is kept.")
    request_id: str | None = Field(
        default=None, description="The request's id, as in the `X-Request-ID` header and the server's log lines."
    )


class WebhookRequest(BaseModel):
    """POST /webhook/generic: a message from any chat tool, with the earlier messages if it keeps them."""

    text: str = Field(max_length=20_000, description="The message to answer.")
    conversation: list[str | Message] = Field(
        default_factory=list,
        max_length=200,
        description="Earlier messages, oldest first: plain strings (the person's) or {role, content} objects.",
    )


class WebhookReply(BaseModel):
    """The generic webhook's reply: the answer text and the determination it states."""

    text: str
    language: Literal["zh", "en"]
    determination: Determination
    sources: list[SourcePassage] = Field(default_factory=list)
    case_id: str | None = None
    request_id: str | None = None


class ContentPart(BaseModel):
    """A part of a multi-part chat message; only text parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    """An OpenAI chat message."""

    model_config = ConfigDict(extra="allow")

    role: Role
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        """The message's text, its text parts joined."""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text for part in self.content or [] if part.text)


class StreamOptions(BaseModel):
    """OpenAI stream options; `include_usage` adds a final usage chunk."""

    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatRequest(BaseModel):
    """POST /v1/chat/completions: an OpenAI chat request; sampling options are accepted and ignored."""

    model_config = ConfigDict(extra="allow")

    model: str | None = Field(default=None, description="Any name; the reply names the assistant's model id.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool | None = False
    stream_options: StreamOptions | None = None


class ChatChoice(BaseModel):
    """One choice of a chat completion."""

    index: int
    message: dict[str, Any]
    finish_reason: str


class ChatCompletion(BaseModel):
    """An OpenAI chat completion, with the determination in the extra top-level field `determination`."""

    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[ChatChoice]
    usage: dict[str, int]
    determination: Determination
    sources: list[SourcePassage] = Field(default_factory=list)
    case_id: str | None = None


class ModelCard(BaseModel):
    """One entry of GET /v1/models."""

    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    """GET /v1/models."""

    object: Literal["list"] = "list"
    data: list[ModelCard]


class Health(BaseModel):
    """GET /healthz and /readyz."""

    status: str
    detail: str | None = None


class ModelStatus(BaseModel):
    """The optional language model's health; `degraded` answers with templates and never fails readiness."""

    status: Literal["ok", "degraded"]
    detail: str


class IndexOut(BaseModel):
    """The search index's build: answers come from the start; the dense search joins when it is `ready`."""

    state: Literal["waiting", "building", "ready", "failed"]
    percent: int = Field(description="How much of the build is done (100 when ready).")
    error: str | None = Field(default=None, description="Why the last build failed (word search keeps serving).")


class Ready(Health):
    """GET /readyz: readiness, the search index's build, and the language model's health when one is configured."""

    index: IndexOut | None = Field(default=None, description="The search index's state and progress.")

    model: ModelStatus | None = Field(default=None, description="None when no language model is configured.")
