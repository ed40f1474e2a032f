#!/usr/bin/env bash
# Load test of a release server on loopback: message scans and session events, with wrk.
#
#   bash bench/load/run.sh [SECONDS] [CONNECTIONS] [SESSIONS]
#
# SECONDS defaults to 40: the journal buffers up to 32,768 writes ahead of the database, so
# a short run can finish before the applier's pace shows; 40 s is long enough that it does.
# Starts `scamguard serve` on a fresh data directory (rate limit off), creates a scan key,
# opens SESSIONS sessions for a caller named "市公安局" on a foreign handle, then runs wrk
# (2 threads) against POST /v1/messages/scan and POST /v1/sessions/{id}/events for SECONDS
# each. Needs wrk (Debian: apt-get install wrk). Prints wrk's figures with latency percentiles.
# SERVE_ARGS adds flags to `serve`, e.g. SERVE_ARGS="--journal=false"; STORE_ARGS adds flags
# to both `keys create` and `serve`, e.g. STORE_ARGS="--database-url postgres://…".
# ENDPOINTS picks what to load, "scan events" by default, e.g. ENDPOINTS=events.
set -euo pipefail
secs=${1:-40}
conns=${2:-32}
nsessions=${3:-2000}
for endpoint in ${ENDPOINTS:-scan events}; do
  case $endpoint in scan|events) ;; *) echo "unknown endpoint '$endpoint' in ENDPOINTS (use scan, events)" >&2; exit 2 ;; esac
done
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/target/release/scamguard
port=${LOAD_PORT:-18089}
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$bin" ] || (cd "$root" && cargo build --release)

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
key=$("$bin" keys create --scope scan --data-dir "$work/data" ${STORE_ARGS:-})
"$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" --rate-limit 0 ${STORE_ARGS:-} ${SERVE_ARGS:-} \
  --log warn >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

echo "opening $nsessions sessions…"
python3 - "$port" "$key" "$nsessions" >"$work/sessions.txt" <<'PY'
import json, sys, urllib.request
port, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
body = json.dumps({"channel": "video_call", "locale": "zh-Hans",
                   "from": {"handle": "+1 213 555 0147", "display_name": "市公安局",
                            "in_contacts": False}}).encode()
for _ in range(n):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/sessions", data=body,
                                 headers={"Authorization": f"Bearer {key}",
                                          "Content-Type": "application/json"})
    print(json.load(urllib.request.urlopen(req))["session_id"])
PY

export SCAMGUARD_KEY=$key SESSIONS_FILE=$work/sessions.txt
for endpoint in ${ENDPOINTS:-scan events}; do
  case $endpoint in
    scan)
      echo "== POST /v1/messages/scan: ${secs}s, $conns connections"
      wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/scan.lua" "http://127.0.0.1:$port" ;;
    events)
      echo "== POST /v1/sessions/{id}/events over $nsessions sessions: ${secs}s, $conns connections"
      wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/events.lua" "http://127.0.0.1:$port" ;;
  esac
done
echo "== server errors logged: $(grep -c ERROR "$work/server.log" || true)"
