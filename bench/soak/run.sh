#!/usr/bin/env bash
# Soak test of a release server on loopback: sessions opened and abandoned at a steady rate,
# with memory and sessions sampled; fails when they do not stay bounded (see soak.py).
#
#   bash bench/soak/run.sh [SECONDS] [RATE]
#
# SECONDS defaults to 180, RATE (sessions opened per second, each then sent 0-2 more events
# and abandoned) to 40. Starts `scamguard serve` on a fresh data directory with a small
# in-memory session cap (CAP, 500), short idle time (IDLE, 20 s), a 5-s sweep and sessions
# deleted as soon as they are closed (--sessions-retention 0s), so that within a few minutes
# memory, the store and the session counts all reach their steady state. BIN names the binary
# (default target/release/scamguard, built if missing); SERVE_ARGS adds flags to `serve`.
# The CI runs it for 30 s (.ci/suites/soak.sh).
set -euo pipefail
secs=${1:-180}
rate=${2:-40}
cap=${CAP:-500}
idle=${IDLE:-20}
sweep=5
sample=$(( secs / 12 > 2 ? secs / 12 : 2 ))
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${BIN:-$root/target/release/scamguard}
port=${SOAK_PORT:-18090}
[ -x "$bin" ] || (cd "$root" && cargo build --release -p scamguard)

work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
key=$("$bin" keys create --scope scan --data-dir "$work/data" | tail -n1)
"$bin" serve --data-dir "$work/data" --listen "127.0.0.1:$port" --rate-limit 0 \
  --max-sessions-in-memory "$cap" --session-idle-secs "$idle" --sweep-interval-secs "$sweep" \
  --sessions-retention 0s --log warn ${SERVE_ARGS:-} >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

echo "== soak: ${secs}s, $rate sessions/s, cap $cap in memory, idle ${idle}s, sweep ${sweep}s"
status=0
python3 "$root/bench/soak/soak.py" --url "http://127.0.0.1:$port" --key "$key" --pid "$server" \
  --seconds "$secs" --rate "$rate" --cap "$cap" --idle "$idle" --sweep "$sweep" \
  --sample "$sample" || status=$?
echo "== server errors logged: $(grep -c ERROR "$work/server.log" || true)"
echo "== data directory: $(du -sh "$work/data" | cut -f1)"
exit "$status"
