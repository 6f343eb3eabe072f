#!/usr/bin/env bash
# Set up, then serve the app at http://127.0.0.1:7860 (chat, help-desk console and HTTP API): offline,
# no language model, analytics off.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False
# On your own machine the help-desk console opens in development mode (user dev, password dev) unless you
# set real credentials; on a shared server set ASSISTANT_CONSOLE_USER and ASSISTANT_CONSOLE_PASSWORD.
if [[ -z "${ASSISTANT_CONSOLE_PASSWORD:-}" ]]; then
  export ASSISTANT_DEV_MODE="${ASSISTANT_DEV_MODE:-true}"
fi
exec .venv/bin/assistant serve --host 127.0.0.1 --port "${PORT:-7860}"
