#!/usr/bin/env bash
# Create .venv and install the assistant with its extras. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: chromium (browser tests, driven by Playwright; no browser download), Noto CJK fonts (PDF
# case reports and the pages in Chinese), poppler-utils (pdftotext in the report tests) and postgresql (the
# server tests start their own cluster on a free port; nothing is started here) and redis-server (the replica
# tests start their own). Fast when present.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: apt-get install ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: please install ${missing[*]} (Debian: sudo apt-get install ${missing[*]})" >&2
  fi
fi

python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# torch is pinned to the local CPU build; install it first so nothing pulls a CUDA build.
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev,st,llm]"
