#!/usr/bin/env bash
# Set up, then start the assistant (interactive terminal session until the chat app lands).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False
exec .venv/bin/assistant chat
