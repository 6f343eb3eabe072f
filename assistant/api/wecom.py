"""WeCom (企业微信) callback cryptography and messages, per its published scheme (加解密方案说明).

- msg_signature = sha1 of the sorted, concatenated token, timestamp, nonce and encrypted text (hex).
- AESKey = base64decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC with IV = AESKey[:16].
- Plaintext = random(16 bytes) + msg_len (4 bytes, big-endian) + msg + ReceiveId (the CorpID),
  PKCS#7-padded to a multiple of 32 bytes; the ciphertext travels base64-encoded.
- Messages and passive replies are XML; a passive reply is itself encrypted and signed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ..errors import ConfigurationError, UserError

BLOCK = 32
"""WeCom pads to 32 bytes (not AES's 16)."""

TEXT_LIMIT = 2048
"""WeCom's limit on a text message's content, in UTF-8 bytes."""


class CallbackRejected(UserError):
    """A callback failed its signature, decryption or receive-id check (403), or is not WeCom's XML (400)."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


def _cdata(text: str) -> str:
    """Text inside CDATA, with any `]]>` split so it cannot close the section early."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def parse_xml(raw: bytes | str) -> dict[str, str]:
    """The child elements of a flat `<xml>` document, by tag.

    Raises:
        CallbackRejected: the body is not such a document, or it declares a DTD (no entity tricks).
    """
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        raise CallbackRejected("XML with a document type declaration is refused", 400)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise CallbackRejected(f"the body is not well-formed XML: {exc}", 400) from None
    return {child.tag: (child.text or "") for child in root}


@dataclass(frozen=True)
class WeComCipher:
    """Sign, verify, encrypt and decrypt WeCom callbacks for one app (token, EncodingAESKey, CorpID)."""

    token: str
    key: bytes
    receive_id: str

    @classmethod
    def from_settings(cls, token: str, encoding_aes_key: str, corp_id: str) -> WeComCipher:
        """Build from the three values of the app's API-receive settings.

        Raises:
            ConfigurationError: the EncodingAESKey is not 43 base64 characters decoding to 32 bytes.
        """
        try:
            key = base64.b64decode(encoding_aes_key + "=", validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if len(encoding_aes_key) != 43 or len(key) != 32:
            raise ConfigurationError("wecom_encoding_aes_key must be 43 base64 characters (a 32-byte AES key)")
        return cls(token=token, key=key, receive_id=corp_id)

    def signature(self, timestamp: str, nonce: str, encrypted: str) -> str:
        """The msg_signature of these values."""
        return hashlib.sha1("".join(sorted([self.token, timestamp, nonce, encrypted])).encode()).hexdigest()

    def verify(self, signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        """Raise CallbackRejected unless the signature is WeCom's for these values."""
        expected = self.signature(timestamp, nonce, encrypted).encode()
        if not hmac.compare_digest(expected, signature.lower().encode("utf-8", errors="replace")):
            raise CallbackRejected("msg_signature does not match")

    def open(self, signature: str, timestamp: str, nonce: str, encrypted: str) -> str:
        """The message inside a signed ciphertext: the signature is checked before anything is decrypted.

        Raises:
            CallbackRejected: the signature does not match, or the ciphertext does not decrypt (see `decrypt`).
        """
        self.verify(signature, timestamp, nonce, encrypted)
        return self.decrypt(encrypted)

    def encrypt(self, message: str, random: bytes | None = None) -> str:
        """The base64 ciphertext of a message, as WeCom sends and expects it."""
        body = message.encode("utf-8")
        plain = (random or secrets.token_bytes(16)) + struct.pack(">I", len(body)) + body
        plain += self.receive_id.encode("utf-8")
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")

    def decrypt(self, encrypted: str) -> str:
        """The message inside a ciphertext.

        Raises:
            CallbackRejected: bad base64, length, padding or layout, or another CorpID's message.
        """
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise CallbackRejected("the encrypted text is not base64") from None
        if not data or len(data) % 16:
            raise CallbackRejected("the encrypted text has a wrong length")
        decryptor = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16])).decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise CallbackRejected("the decrypted text has bad padding")
        content = plain[16:-pad]
        if len(content) < 4:
            raise CallbackRejected("the decrypted text is too short")
        (length,) = struct.unpack(">I", content[:4])
        message, receive_id = content[4 : 4 + length], content[4 + length :]
        if len(message) != length or not hmac.compare_digest(receive_id, self.receive_id.encode("utf-8")):
            raise CallbackRejected("the message is not addressed to this CorpID")
        try:
            return message.decode("utf-8")
        except UnicodeDecodeError:
            raise CallbackRejected("the decrypted message is not UTF-8") from None

    def reply(self, message: str, timestamp: str | None = None, nonce: str | None = None) -> str:
        """A passive reply: the message encrypted, signed and wrapped in WeCom's reply XML."""
        timestamp = timestamp or str(int(time.time()))
        nonce = nonce or secrets.token_hex(8)
        encrypted = self.encrypt(message)
        return (
            f"<xml><Encrypt>{_cdata(encrypted)}</Encrypt>"
            f"<MsgSignature>{_cdata(self.signature(timestamp, nonce, encrypted))}</MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{_cdata(nonce)}</Nonce></xml>"
        )


def verified_echo(
    cipher: WeComCipher, check_time: Callable[[str], None], signature: str, timestamp: str, nonce: str, echostr: str
) -> str:
    """URL verification, as a self-built app and a smart robot both do it: the decrypted `echostr`, which proves
    to WeCom that this server holds the keys. The timestamp is checked first (`check_time`, the callback guard's
    window: it needs no key), then the signature, then the text is decrypted.

    Raises:
        CallbackRejected: a stale or malformed timestamp, a wrong signature or an undecryptable `echostr`.
    """
    check_time(timestamp)
    return cipher.open(signature, timestamp, nonce, echostr)


def text_message(to_user: str, from_user: str, content: str, created: int | None = None) -> str:
    """A plain text message in WeCom's XML (the reply's inner message)."""
    return (
        f"<xml><ToUserName>{_cdata(to_user)}</ToUserName><FromUserName>{_cdata(from_user)}</FromUserName>"
        f"<CreateTime>{created or int(time.time())}</CreateTime><MsgType>{_cdata('text')}</MsgType>"
        f"<Content>{_cdata(content)}</Content></xml>"
    )


def fit(text: str, note: str, limit: int = TEXT_LIMIT) -> str:
    """The text cut at a line end to fit `limit` UTF-8 bytes with `note` appended, or whole if it fits."""
    if len(text.encode("utf-8")) <= limit:
        return text
    room = limit - len(note.encode("utf-8"))
    kept: list[str] = []
    used = 0
    for line in text.splitlines(keepends=True):
        size = len(line.encode("utf-8"))
        if used + size > room:
            break
        kept.append(line)
        used += size
    if not kept:  # one very long first line: cut it by characters
        cut = text.encode("utf-8")[:room].decode("utf-8", errors="ignore")
        kept = [cut]
    return "".join(kept).rstrip() + note
