#!/usr/bin/env bash
# Stream workers under load: for each worker count, a backlog of ROUNDS × every scenario case
# (tests/cases/*.json, each round under its own session ids) is published to a fresh
# JetStream, then that many `scamguard worker` processes drain it into a fresh PostgreSQL
# database; then, with the workers running, LIVE more rounds are published and answered as they
# come. Prints, per worker count: verdicts per second draining the backlog, the latency from
# an event's storing to its verdict's in the live phase (p50, p99), and what PostgreSQL did per
# message (transactions, rows written and read, from pg_stat_database).
#
#   cargo build --release
#   SCAMGUARD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:55432/postgres bash bench/nats/run.sh 1 2 3
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-target/release/scamguard}
PG=${SCAMGUARD_TEST_POSTGRES_URL:?set SCAMGUARD_TEST_POSTGRES_URL to a PostgreSQL server}
ROUNDS=${ROUNDS:-10}
LIVE=${LIVE:-3}
CONCURRENCY=${CONCURRENCY:-64}
WORK=$(mktemp -d /tmp/scamguard-nats-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  sleep 0.5
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
[ $# -gt 0 ] || set -- 1 2 3

stats() { # transactions, rows inserted, updated, deleted, fetched in database $1
  sleep 1.5 # backends report their counters when idle
  psql "$PG" -qAtF' ' -c "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted, tup_fetched FROM pg_stat_database WHERE datname = '$1'"
}
total() { "$BIN" stream verdicts --nats "$NATS" | wc -l; }
wait_for() { # wait_for N: until the verdicts stream holds N messages
  for _ in $(seq 1 1200); do [ "$(total)" -ge "$1" ] && return 0; sleep 0.5; done
  echo "timed out waiting for $1 verdicts" >&2; return 1
}

MESSAGES_PER_ROUND=$(python3 -c '
import json, sys
print(sum(1 + len(json.load(open(p)).get("events") or []) for p in sys.argv[1:]))' tests/cases/*.json)
echo "cases: $(ls tests/cases/*.json | wc -l), messages per round: $MESSAGES_PER_ROUND, backlog rounds: $ROUNDS, live rounds: $LIVE"
for n in "$@"; do
  port=$(( 20000 + RANDOM % 20000 ))
  NATS="nats://127.0.0.1:$port"
  rm -rf "$WORK/js"
  nats-server -js -sd "$WORK/js" -a 127.0.0.1 -p "$port" > "$WORK/nats.log" 2>&1 &
  NATS_PID=$!; PIDS+=("$NATS_PID")
  for _ in $(seq 1 100); do grep -q "Server is ready" "$WORK/nats.log" && break; sleep 0.1; done
  db="sg_bench_$(date +%s)_$RANDOM"
  psql "$PG" -qAtc "CREATE DATABASE $db"
  url="${PG%/*}/$db"
  for r in $(seq 1 "$ROUNDS"); do
    "$BIN" stream publish --nats "$NATS" --prefix "b$r-" tests/cases/*.json 2>/dev/null
  done
  before=$(stats "$db")
  workers=()
  for i in $(seq 1 "$n"); do
    "$BIN" worker --nats "$NATS" --database-url "$url" --handle-key bench-handle-key-for-the-stream-workers --data-dir "$WORK/w$i" \
      --listen 127.0.0.1:0 --console=false --nats-concurrency "$CONCURRENCY" --log warn > "$WORK/w$i.log" 2>&1 &
    workers+=($!); PIDS+=($!)
  done
  wait_for $(( ROUNDS * MESSAGES_PER_ROUND ))
  after=$(stats "$db")
  drain=$("$BIN" stream verdicts --nats "$NATS" --summary)
  for r in $(seq 1 "$LIVE"); do
    "$BIN" stream publish --nats "$NATS" --prefix "l$r-" tests/cases/*.json 2>/dev/null
  done
  wait_for $(( (ROUNDS + LIVE) * MESSAGES_PER_ROUND ))
  # The live phase's latency: only the messages of the live rounds.
  live=$("$BIN" stream verdicts --nats "$NATS" | python3 -c '
import sys, json
print(sum(1 for l in sys.stdin if json.loads(l)["session"].startswith("l")))')
  latency=$("$BIN" stream verdicts --nats "$NATS" --summary --session-prefix l)
  kill "${workers[@]}" "$NATS_PID" 2>/dev/null || true
  wait "${workers[@]}" "$NATS_PID" 2>/dev/null || true
  python3 - "$n" "$before" "$after" "$drain" "$latency" "$(( ROUNDS * MESSAGES_PER_ROUND ))" "$live" <<'PY'
import json, sys
n, before, after, drain, latency, messages, live = sys.argv[1:8]
b = list(map(int, before.split())); a = list(map(int, after.split()))
d = [x - y for x, y in zip(a, b)]
m = int(messages)
drain = json.loads(drain); latency = json.loads(latency)
print(f"workers={n}: {drain['verdicts_per_second']:.0f} verdicts/s draining {m} messages in {drain['seconds']} s; "
      f"live {live} messages: p50 {latency['latency_ms_p50']} ms, p99 {latency['latency_ms_p99']} ms; "
      f"PostgreSQL per message: {d[0]/m:.2f} transactions, {d[1]/m:.2f} rows inserted, "
      f"{d[2]/m:.2f} updated, {d[4]/m:.1f} fetched")
PY
  psql "$PG" -qAtc "DROP DATABASE $db WITH (FORCE)" || true
done
