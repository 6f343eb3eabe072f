"""The official `openai` client against /v1 of a real server, plain and streamed."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from assistant.api.chat import reply_text
from assistant.pipeline import Assistant

from .conftest import KEY, KEY_ENTRIES, FakeAudit, Serve

pytestmark = pytest.mark.slow

MODEL = "beijing-ftz-data-export"
FIRST = "We are a pharmaceutical company registered in the Beijing FTZ."
QUESTION = "Can we send clinical-trial data of 40,000 patients to our headquarters abroad?"
MESSAGES: list[dict[str, str]] = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": FIRST},
    {"role": "assistant", "content": "How many patients, and what data?"},
    {"role": "user", "content": QUESTION},
]


def client(base: str, key: str = "unused") -> openai.OpenAI:
    """An OpenAI client pointed at the server's /v1."""
    return openai.OpenAI(base_url=f"{base}/v1", api_key=key, max_retries=0, timeout=30)


def test_models_list_names_the_assistant(shared_server: str) -> None:
    models = client(shared_server).models.list()
    assert [m.id for m in models.data] == [MODEL]
    assert client(shared_server).models.retrieve(MODEL).id == MODEL
    with pytest.raises(openai.NotFoundError):
        client(shared_server).models.retrieve("gpt-4o")


def test_chat_completion_answers_from_the_messages(shared_server: str, assistant: Assistant) -> None:
    reply = client(shared_server).chat.completions.create(model=MODEL, messages=MESSAGES)  # type: ignore[arg-type]
    direct = assistant.ask(QUESTION, [FIRST])
    assert reply.object == "chat.completion"
    assert reply.model == MODEL
    assert reply.choices[0].message.role == "assistant"
    extra = reply.model_extra or {}
    assert reply.choices[0].message.content == reply_text(direct, extra["case_id"])  # the short form
    assert reply.choices[0].finish_reason == "stop"
    assert extra["determination"]["outcome"] == direct.determination.outcome
    assert extra["determination"] == direct.determination.to_dict()


def test_streamed_chat_completion_ends_with_the_determination(shared_server: str, assistant: Assistant) -> None:
    stream = client(shared_server).chat.completions.create(
        model="any-name-the-tool-sends",
        messages=MESSAGES,  # type: ignore[arg-type]
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    direct = assistant.ask(QUESTION, [FIRST])
    finals = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert text == reply_text(direct, (finals[0].model_extra or {})["case_id"])
    assert all(c.object == "chat.completion.chunk" and c.model == MODEL for c in chunks)
    finals = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(finals) == 1
    assert (finals[0].model_extra or {})["determination"]["outcome"] == direct.determination.outcome
    assert chunks[-1].usage is not None


def test_stream_is_server_sent_events_ending_with_done(shared_server: str) -> None:
    body = {"model": MODEL, "messages": [{"role": "user", "content": QUESTION}], "stream": True}
    with httpx.stream("POST", f"{shared_server}/v1/chat/completions", json=body) as reply:
        assert reply.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in reply.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    events = [json.loads(line.removeprefix("data: ")) for line in lines[:-1]]
    assert "determination" in events[-1]
    assert all("determination" not in e for e in events[:-1])


def test_text_parts_are_read(shared_server: str, assistant: Assistant) -> None:
    parts = [{"type": "text", "text": QUESTION}]
    reply = client(shared_server).chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": parts}],  # type: ignore[list-item]
    )
    case_id = (reply.model_extra or {})["case_id"]
    assert reply.choices[0].message.content == reply_text(assistant.ask(QUESTION), case_id)
    assert case_id in (reply.choices[0].message.content or "") and "####" not in (
        reply.choices[0].message.content or ""
    )


def test_no_user_message_is_a_clear_422(shared_server: str) -> None:
    with pytest.raises(openai.UnprocessableEntityError, match="no message with role 'user'"):
        client(shared_server).chat.completions.create(
            model=MODEL,
            messages=[{"role": "system", "content": "hello"}],
        )


def test_keys_with_the_openai_client(start: Serve, audit: FakeAudit) -> None:
    base = start(api_keys=KEY_ENTRIES)
    with pytest.raises(openai.AuthenticationError):
        client(base, "ftz-wrong").chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}])
    reply = client(base, KEY).chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "hi"}])
    assert reply.choices[0].message.content
    assert [(r.channel, r.key_id) for r in audit.records] == [("openai", "help-desk")]
    assert reply.id == "chatcmpl-case-1"


def test_a_follow_up_question_lists_numbered_options_and_a_reply_of_1_answers_it(shared_server: str) -> None:
    first = "Our drug company wants to send the trial records of 30,000 patients to its parent abroad."
    messages: list[dict[str, str]] = [{"role": "user", "content": first}]
    asked = client(shared_server).chat.completions.create(model=MODEL, messages=messages)  # type: ignore[arg-type]
    text = asked.choices[0].message.content or ""
    determination = (asked.model_extra or {})["determination"]
    assert determination["outcome"] == "needs_more_information"
    question = determination["question"]
    assert question["fact"] == determination["missing_facts"][0] == "zone"
    assert "Reply with a number or the answer:" in text
    assert "1. registered in the Beijing FTZ" in text and "4. registered elsewhere in mainland China" in text
    messages += [{"role": "assistant", "content": text}, {"role": "user", "content": "1"}]
    decided = client(shared_server).chat.completions.create(model=MODEL, messages=messages)  # type: ignore[arg-type]
    after = (decided.model_extra or {})["determination"]
    assert after["outcome"] == "outside_negative_list" and after["question"] is None
    assert "Reply with a number" not in (decided.choices[0].message.content or "")
