#!/usr/bin/env bash
# Set up, then serve the app at http://127.0.0.1:7860 (chat, help-desk console and HTTP API): offline,
# no language model, analytics off.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False
# On your own machine the help-desk console has a development account (dev / dev, this machine only) unless
# you set a password; on a shared server create accounts with `assistant users add NAME --role admin`.
if [[ -z "${ASSISTANT_CONSOLE_PASSWORD:-}" ]]; then
  export ASSISTANT_DEV_MODE="${ASSISTANT_DEV_MODE:-true}"
fi
exec .venv/bin/assistant serve --host 127.0.0.1 --port "${PORT:-7860}"
