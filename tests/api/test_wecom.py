"""The WeCom (企业微信) adapter: the published example, and callbacks built here with the published algorithm."""

from __future__ import annotations

import base64
import hashlib
import itertools
import os
import struct
import time
import xml.etree.ElementTree as ET

import httpx
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from assistant.answer.compose import split_first_part
from assistant.api import create_api
from assistant.api.callbacks import CallbackGuard
from assistant.api.wecom import CallbackRejected, WeComCipher, fit, parse_xml, verified_echo
from assistant.errors import ConfigurationError
from assistant.pipeline import Assistant
from assistant.settings import Settings

from .conftest import FakeAudit, Serve, serve, wait_ready

MESSAGE_IDS = itertools.count(7_000_000_000_000_000)
"""WeCom gives every message its own MsgId; the replay memory answers a repeated one from memory."""

# The example of WeCom's 加解密方案说明 (developer docs): token, EncodingAESKey, CorpID and a verification URL.
TOKEN = "QDG6eK"
AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
CORP_ID = "wx5823bf96d3bd56c7"
EXAMPLE = {
    "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    "timestamp": "1409659589",
    "nonce": "263014780",
    "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
}
EXAMPLE_PLAIN = "1616140317555161061"
SETTINGS = {"wecom_token": TOKEN, "wecom_encoding_aes_key": AES_KEY, "wecom_corp_id": CORP_ID}
QUESTION = "我们是注册在北京自贸区的医药企业，能否把4万名患者的临床试验数据传给境外总部？"


def spec_encrypt(message: str, receive_id: str = CORP_ID) -> str:
    """Encrypt as the published scheme says, independently of the adapter's code."""
    key = base64.b64decode(AES_KEY + "=")
    body = message.encode()
    plain = os.urandom(16) + struct.pack(">I", len(body)) + body + receive_id.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def spec_decrypt(encrypted: str) -> tuple[str, str]:
    """Decrypt as the published scheme says; returns the message and the receive id."""
    key = base64.b64decode(AES_KEY + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    plain = plain[: -plain[-1]][16:]
    (length,) = struct.unpack(">I", plain[:4])
    return plain[4 : 4 + length].decode(), plain[4 + length :].decode()


def spec_sign(timestamp: str, nonce: str, encrypted: str) -> str:
    """msg_signature: SHA-1 over the sorted token, timestamp, nonce and ciphertext."""
    return hashlib.sha1("".join(sorted([TOKEN, timestamp, nonce, encrypted])).encode()).hexdigest()


def callback(
    inner: str, receive_id: str = CORP_ID, timestamp: str | None = None, nonce: str = "1372623149"
) -> tuple[dict[str, str], str]:
    """The query and XML body WeCom would POST for an inner message, stamped now unless told otherwise."""
    encrypted = spec_encrypt(inner, receive_id)
    query = {"timestamp": timestamp or str(int(time.time())), "nonce": nonce}
    query["msg_signature"] = spec_sign(query["timestamp"], query["nonce"], encrypted)
    body = (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    )
    return query, body


def text_message(content: str, kind: str = "text", user: str = "zhangsan", msg_id: int | None = None) -> str:
    """A member's message as the published XML format has it (events carry no MsgId), with a new MsgId."""
    ident = "" if kind == "event" else f"<MsgId>{next(MESSAGE_IDS) if msg_id is None else msg_id}</MsgId>"
    return (
        f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
        f"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content>{ident}<AgentID>1000002</AgentID></xml>"
    )


def test_the_published_example_verifies_and_decrypts() -> None:
    cipher = WeComCipher.from_settings(TOKEN, AES_KEY, CORP_ID)
    cipher.verify(EXAMPLE["msg_signature"], EXAMPLE["timestamp"], EXAMPLE["nonce"], EXAMPLE["echostr"])
    assert cipher.decrypt(EXAMPLE["echostr"]) == EXAMPLE_PLAIN


def test_url_verification_checks_the_time_then_the_signature() -> None:
    cipher = WeComCipher.from_settings(TOKEN, AES_KEY, CORP_ID)
    args = (EXAMPLE["msg_signature"], EXAMPLE["timestamp"], EXAMPLE["nonce"], EXAMPLE["echostr"])
    seen: list[str] = []
    assert verified_echo(cipher, seen.append, *args) == EXAMPLE_PLAIN
    assert seen == [EXAMPLE["timestamp"]]

    def stale(timestamp: str) -> None:
        raise CallbackRejected("timestamp is old")

    with pytest.raises(CallbackRejected, match="old"):
        verified_echo(cipher, stale, *args)
    with pytest.raises(CallbackRejected, match="msg_signature"):
        verified_echo(cipher, seen.append, "0" * 40, *args[1:])


def test_cipher_round_trips_with_the_spec() -> None:
    cipher = WeComCipher.from_settings(TOKEN, AES_KEY, CORP_ID)
    assert cipher.decrypt(spec_encrypt("你好 <xml/>")) == "你好 <xml/>"
    assert spec_decrypt(cipher.encrypt("回复 reply")) == ("回复 reply", CORP_ID)


@pytest.mark.parametrize(
    ("encrypted", "reason"),
    [
        (spec_encrypt("hi", receive_id="wwsomeoneelse"), "CorpID"),
        ("not base64!!", "base64"),
        (base64.b64encode(b"short").decode(), "length"),
        (base64.b64encode(bytes(32)).decode(), "padding"),
    ],
    ids=["other-corp", "not-base64", "bad-length", "bad-padding"],
)
def test_cipher_rejects_bad_ciphertexts(encrypted: str, reason: str) -> None:
    with pytest.raises(CallbackRejected, match=reason):
        WeComCipher.from_settings(TOKEN, AES_KEY, CORP_ID).decrypt(encrypted)


def test_bad_settings_and_xml_are_refused() -> None:
    with pytest.raises(ConfigurationError, match="43"):
        WeComCipher.from_settings(TOKEN, "too-short", CORP_ID)
    with pytest.raises(CallbackRejected, match="document type"):
        parse_xml('<!DOCTYPE x [<!ENTITY a "b">]><xml><a>&a;</a></xml>')
    with pytest.raises(CallbackRejected, match="well-formed"):
        parse_xml("<xml><a></xml>")


def test_fit_cuts_long_answers_at_a_line_within_the_byte_limit() -> None:
    text = "\n".join(f"第{n}行：数据出境安全评估" for n in range(300))
    cut = fit(text, "\n（已截断）")
    assert len(cut.encode()) <= 2048
    assert cut.endswith("（已截断）") and cut.startswith("第0行")
    assert fit("short", "!") == "short"


@pytest.mark.slow
def test_url_verification_echoes_the_plaintext(assistant: Assistant, base_settings: Settings) -> None:
    settings = base_settings.model_copy(update=SETTINGS)
    then = float(EXAMPLE["timestamp"])  # the published example was signed in 2014: check it at that time
    guard = CallbackGuard.from_settings(settings, clock=lambda: then + 30)
    with serve(create_api(assistant, FakeAudit(), settings, guard)) as base:
        wait_ready(base)
        reply = httpx.get(f"{base}/webhook/wecom", params=EXAMPLE)
        assert reply.status_code == 200
        assert reply.text == EXAMPLE_PLAIN
        forged = httpx.get(f"{base}/webhook/wecom", params={**EXAMPLE, "nonce": "1"})
        assert forged.status_code == 403


@pytest.mark.slow
def test_url_verification_refuses_an_old_timestamp(start: Serve) -> None:
    base = start(**SETTINGS)  # today's clock: the 2014 example is years old
    reply = httpx.get(f"{base}/webhook/wecom", params=EXAMPLE)
    assert reply.status_code == 403
    assert "timestamp" in reply.json()["error"]["message"]


@pytest.mark.slow
def test_text_message_gets_an_encrypted_signed_passive_reply(start: Serve, assistant: Assistant) -> None:
    base = start(**SETTINGS)
    query, body = callback(text_message(QUESTION))
    reply = httpx.post(f"{base}/webhook/wecom", params=query, content=body.encode())
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("application/xml")
    outer = {child.tag: child.text or "" for child in ET.fromstring(reply.text)}
    assert outer["MsgSignature"] == spec_sign(outer["TimeStamp"], outer["Nonce"], outer["Encrypt"])
    inner_xml, receive_id = spec_decrypt(outer["Encrypt"])
    assert receive_id == CORP_ID
    inner = {child.tag: child.text or "" for child in ET.fromstring(inner_xml)}
    assert inner["ToUserName"] == "zhangsan" and inner["FromUserName"] == CORP_ID
    assert inner["MsgType"] == "text"
    direct = assistant.ask(QUESTION)
    head, rest = split_first_part(direct.answer)
    assert rest and inner["Content"].startswith(head + "\n\n案件编号 ")  # the short form and the case id
    assert "####" not in inner["Content"]


@pytest.mark.slow
def test_events_get_an_empty_reply_and_other_messages_a_note(start: Serve) -> None:
    base = start(**SETTINGS)
    query, body = callback(text_message("", kind="event"))
    reply = httpx.post(f"{base}/webhook/wecom", params=query, content=body.encode())
    assert reply.status_code == 200 and reply.text == ""
    query, body = callback(text_message("", kind="image"))
    reply = httpx.post(f"{base}/webhook/wecom", params=query, content=body.encode())
    outer = {child.tag: child.text or "" for child in ET.fromstring(reply.text)}
    assert "文字" in spec_decrypt(outer["Encrypt"])[0]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("tamper", "status"),
    [("signature", 403), ("corp", 403), ("no-encrypt", 400), ("not-xml", 400)],
    ids=["bad-signature", "other-corp", "no-encrypt", "not-xml"],
)
def test_forged_or_broken_callbacks_are_refused(start: Serve, tamper: str, status: int) -> None:
    base = start(**SETTINGS)
    query, body = callback(text_message(QUESTION), receive_id="wwother" if tamper == "corp" else CORP_ID)
    if tamper == "signature":
        query["msg_signature"] = "0" * 40
    if tamper == "no-encrypt":
        body = "<xml><ToUserName>x</ToUserName></xml>"
    if tamper == "not-xml":
        body = "{}"
    reply = httpx.post(f"{base}/webhook/wecom", params=query, content=body.encode())
    assert reply.status_code == status
    assert "callback rejected" in reply.json()["error"]["message"]


@pytest.mark.slow
def test_unconfigured_adapter_answers_404(shared_server: str) -> None:
    reply = httpx.get(f"{shared_server}/webhook/wecom", params=EXAMPLE)
    assert reply.status_code == 404
    assert "ASSISTANT_WECOM_TOKEN" in reply.json()["error"]["message"]
