"""The HTTP API (FastAPI): the assistant's own routes, an OpenAI-compatible chat endpoint and chat-tool webhooks.

A face like the CLI and the app: no logic of its own, and no gradio import (the app mounts Gradio on it).
"""

from __future__ import annotations

from .application import create_api
from .keys import KeyRing, hash_key, new_key
from .service import AuditSink

__all__ = ["AuditSink", "KeyRing", "create_api", "hash_key", "new_key"]
