#!/usr/bin/env bash
# The definition of green: format check, lint, type check, then every test (slow and browser ones
# included) with a real Chroma server on loopback for the server tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False
.venv/bin/ruff format --check .
.venv/bin/ruff check .
.venv/bin/mypy
chroma_dir="$(mktemp -d)"
trap 'bash scripts/chroma_server.sh stop "$chroma_dir"; rm -rf "$chroma_dir"' EXIT
ASSISTANT_TEST_CHROMA_URL="$(bash scripts/chroma_server.sh start "$chroma_dir")"
export ASSISTANT_TEST_CHROMA_URL
.venv/bin/pytest "$@"
# The question evaluation judged on its held-out half: it fails below the regression floors and reports the
# targets it does not yet meet (both in assistant/cli/evals.py).
.venv/bin/assistant evals --split heldout --check floors
