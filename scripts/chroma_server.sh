#!/usr/bin/env bash
# Start or stop a local Chroma server (the "at scale" vector store) for the server tests.
#
#   scripts/chroma_server.sh start [DIR]   start on 127.0.0.1:$CHROMA_PORT (8765), wait for its
#                                          heartbeat, print its URL (data in DIR, default data/chroma-server)
#   scripts/chroma_server.sh stop  [DIR]   stop the server started from DIR
#
# Example: export ASSISTANT_TEST_CHROMA_URL="$(scripts/chroma_server.sh start /tmp/chroma)"
set -euo pipefail
cd "$(dirname "$0")/.."

action="${1:-}"
dir="${2:-data/chroma-server}"
port="${CHROMA_PORT:-8765}"
url="http://127.0.0.1:${port}"
pidfile="${dir}/chroma.pid"

heartbeat() {
  curl --silent --fail --max-time 2 "${url}/api/v2/heartbeat" >/dev/null 2>&1
}

case "$action" in
  start)
    mkdir -p "$dir"
    if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null && heartbeat; then
      echo "$url"
      exit 0
    fi
    nohup .venv/bin/chroma run --path "$dir" --host 127.0.0.1 --port "$port" \
      >"${dir}/chroma.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
    for _ in $(seq 1 120); do
      if heartbeat; then
        echo "$url"
        exit 0
      fi
      if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "chroma exited; see ${dir}/chroma.log" >&2
        tail -n 20 "${dir}/chroma.log" >&2 || true
        exit 1
      fi
      sleep 0.5
    done
    echo "chroma did not answer on ${url} within 60 s; see ${dir}/chroma.log" >&2
    kill "$(cat "$pidfile")" 2>/dev/null || true
    exit 1
    ;;
  stop)
    if [[ -f "$pidfile" ]]; then
      pid="$(cat "$pidfile")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
      done
      rm -f "$pidfile"
    fi
    ;;
  *)
    echo "usage: $0 start|stop [DIR]" >&2
    exit 2
    ;;
esac
