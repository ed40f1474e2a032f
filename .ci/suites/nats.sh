#!/usr/bin/env bash
# Scale-out with real parts, on one PostgreSQL database:
#  1. a JetStream worker fleet: nats-server (Debian's, JetStream on, file storage) and three
#     `scamguard worker` processes; every scenario case (tests/cases/*.json) is published as a
#     session, one worker is killed with SIGKILL in the middle and another started; then every
#     message has exactly one answer (duplicates agree), and each session's verdicts are the ones
#     `scamguard check --trace` gives for its case;
#  2. two `scamguard serve` processes, a session's events alternating between them over real
#     sockets: every session ends with the verdict `scamguard check` gives.
#
# Run by .ci/run with BIN (the release binary), WORK (a scratch directory) and
# SCAMGUARD_TEST_POSTGRES_URL; by hand:
#   cargo build --release && BIN=target/release/scamguard WORK=$(mktemp -d) \
#     SCAMGUARD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:55432/postgres bash .ci/suites/nats.sh
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
: "${BIN:?set BIN to the scamguard binary}"
: "${WORK:?set WORK to a scratch directory}"
: "${SCAMGUARD_TEST_POSTGRES_URL:?set SCAMGUARD_TEST_POSTGRES_URL to a PostgreSQL server}"
DIR="$WORK/nats-suite"
mkdir -p "$DIR"
PIDS=()

SUITE="nats suite"
. .ci/suite-lib.sh
# The suite's own fail also shows the end of every log it wrote.
fail() { printf 'nats suite: %s\n' "$*" >&2; for f in "$DIR"/*.log; do echo "--- $f" >&2; tail -n 20 "$f" >&2; done; exit 1; }
cleanup() { for p in "${PIDS[@]:-}"; do stop_pid "$p"; done; }
trap cleanup EXIT
if ! command -v nats-server >/dev/null; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends nats-server >/dev/null
fi

# A fresh database per run, so that earlier runs and other suites do not count.
database() {
  local name="sg_$1_$(date +%s)_$RANDOM"
  psql "$SCAMGUARD_TEST_POSTGRES_URL" -qAtc "CREATE DATABASE $name" >/dev/null
  echo "${SCAMGUARD_TEST_POSTGRES_URL%/*}/$name"
}
# The address a server logged as "listening on ADDR".
address_of() {
  local log=$1
  for _ in $(seq 1 300); do
    local a
    a=$(grep -ao 'listening on [0-9.:]*' "$log" 2>/dev/null | head -n1 | cut -d' ' -f3 || true)
    [ -n "$a" ] && { echo "$a"; return 0; }
    sleep 0.1
  done
  return 1
}
HANDLE_KEY="nats-suite-$RANDOM$RANDOM"

# A service closes a session at call_ended; what a case has after it belongs to no session.
CASES="$DIR/cases"
mkdir -p "$CASES"
python3 - "$CASES" tests/cases/*.json <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
for p in sys.argv[2:]:
    case = json.loads(pathlib.Path(p).read_text())
    events = case.get("events") or []
    for i, e in enumerate(events):
        e["id"] = f"e{i}"  # what the messages and the answers are matched by
        if e.get("type") == "call_ended":
            case["events"] = events[: i + 1]
            break
    (out / pathlib.Path(p).name).write_text(json.dumps(case, ensure_ascii=False))
PY
"$BIN" check --trace "$CASES"/*.json > "$DIR/check.jsonl" || fail "scamguard check"

# --- 1. JetStream workers -------------------------------------------------------------------
NATS_PORT=$(free_port)
NATS="nats://127.0.0.1:$NATS_PORT"
nats-server -js -sd "$DIR/jetstream" -a 127.0.0.1 -p "$NATS_PORT" > "$DIR/nats-server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do grep -q "Server is ready" "$DIR/nats-server.log" && break; sleep 0.1; done
grep -q "Server is ready" "$DIR/nats-server.log" || fail "nats-server did not start"

DB=$(database nats)
start_worker() { # start_worker N: a worker whose pid ends up in WORKER_PID
  "$BIN" worker --nats "$NATS" --database-url "$DB" --handle-key "$HANDLE_KEY" \
    --data-dir "$DIR/worker$1" --listen 127.0.0.1:0 --console=false \
    --nats-ack-wait-secs 3 --nats-concurrency 16 > "$DIR/worker$1.log" 2>&1 &
  WORKER_PID=$!
  PIDS+=("$WORKER_PID")
  for _ in $(seq 1 300); do grep -q "worker consuming" "$DIR/worker$1.log" && return 0; sleep 0.1; done
  fail "worker $1 did not start"
}
# The first worker makes the streams and the consumer; the others join them.
start_worker 1; VICTIM=$WORKER_PID
start_worker 2
start_worker 3

# Twelve rounds of every case, each round under its own session ids (r1-NAME, r2-NAME, …).
ROUNDS=12
( for r in $(seq 1 $ROUNDS); do
    "$BIN" stream publish --nats "$NATS" --prefix "r$r-" "$CASES"/*.json || exit 1
  done ) 2> "$DIR/publish.log" &
PUBLISHER=$!
PIDS+=("$PUBLISHER")
EXPECTED=$(python3 -c '
import json, sys
print(int(sys.argv[1]) * sum(1 + len(json.load(open(p)).get("events") or []) for p in sys.argv[2:]))' $ROUNDS "$CASES"/*.json)
answered() { "$BIN" stream verdicts --nats "$NATS" | python3 -c '
import json, sys
print(len({(m["session"], m.get("event_id")) for m in map(json.loads, sys.stdin)}))'; }
# Kill one worker in the middle of the run (once two rounds are published), with whatever it
# holds unacknowledged.
for _ in $(seq 1 600); do [ "$(grep -c published "$DIR/publish.log")" -ge 2 ] && break; sleep 0.05; done
kill -0 "$PUBLISHER" 2>/dev/null || fail "the publishing was over before a worker could be killed"
kill -9 "$VICTIM"
echo "worker 1 killed after $(grep -c published "$DIR/publish.log") of $ROUNDS rounds were published"
start_worker 4
wait "$PUBLISHER" || fail "publishing the cases"
cat "$DIR/publish.log"
for _ in $(seq 1 240); do [ "$(answered)" -ge "$EXPECTED" ] && break; sleep 0.25; done
sleep 1 # anything still in flight (a duplicate) lands before the check
"$BIN" stream verdicts --nats "$NATS" > "$DIR/verdicts.jsonl"
"$BIN" stream verdicts --nats "$NATS" --summary

python3 - "$DIR/verdicts.jsonl" "$DIR/check.jsonl" "$CASES" "$ROUNDS" <<'PY' || fail "the workers' verdicts"
import json, pathlib, sys
verdicts = [json.loads(l) for l in open(sys.argv[1])]
checked = [json.loads(l) for l in open(sys.argv[2])]
cases = sorted(pathlib.Path(sys.argv[3]).glob("*.json"))
problems = []
answers = {}
for m in verdicts:
    key = (m["session"], m.get("event_id"))
    if "error" in m:
        problems.append(f"{key}: error {m['error']}")
        continue
    if key in answers and answers[key] != (m["seq"], m["verdict"]):
        problems.append(f"{key}: duplicates disagree")
    answers[key] = (m["seq"], m["verdict"])
rounds = int(sys.argv[4])
expected = {}
for r in range(1, rounds + 1):
    for line in checked:
        session = f"r{r}-" + pathlib.Path(line["case"]).stem
        if "event" in line:
            expected[(session, f"e{line['event']}")] = (line["event"] + 1, line["verdict"])
        else:  # a case without events: its verdict is the opening's
            expected[(session, None)] = (0, line["verdict"])
    for p in cases:
        if (f"r{r}-{p.stem}", None) not in answers:
            problems.append(f"r{r}-{p.stem}: no verdict for the opening")
for key, want in expected.items():
    got = answers.get(key)
    if got is None:
        problems.append(f"{key}: no verdict")
    elif got != want:
        problems.append(f"{key}: seq/verdict {got[0]} {got[1].get('action')} != check's {want[0]} {want[1].get('action')}")
duplicates = len(verdicts) - len(answers)
print(f"{len(answers)} messages answered ({rounds} × {len(cases)} openings and their events), "
      f"{duplicates} duplicate answers, {len(problems)} problems")
for p in problems[:20]:
    print(" ", p)
openings_checked = sum(1 for k in expected if k[1] is None)
sys.exit(1 if problems or len(answers) != len(expected) + rounds * len(cases) - openings_checked else 0)
PY

# --- 2. Two serve processes, events alternating --------------------------------------------
DB2=$(database serve)
KEY=$("$BIN" keys create --scope scan --label nats-suite --database-url "$DB2" --data-dir "$DIR/serve-keys" 2>/dev/null)
ADDRS=()
for n in a b; do
  "$BIN" serve --database-url "$DB2" --handle-key "$HANDLE_KEY" --data-dir "$DIR/serve-$n" \
    --listen 127.0.0.1:0 --console=false --rate-limit 0 > "$DIR/serve-$n.log" 2>&1 &
  PIDS+=($!)
  ADDRS+=("$(address_of "$DIR/serve-$n.log")") || fail "serve $n did not start"
done
python3 - "$KEY" "${ADDRS[0]}" "${ADDRS[1]}" "$DIR/check.jsonl" "$CASES" <<'PY' || fail "two serve nodes"
import json, pathlib, sys, urllib.request
key, a, b, check_path, cases_dir = sys.argv[1:6]
def post(addr, path, body):
    req = urllib.request.Request(f"http://{addr}{path}", data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())
last = {}
for line in map(json.loads, open(check_path)):
    last[pathlib.Path(line["case"]).stem] = line["verdict"]
bad = 0
cases = sorted(pathlib.Path(cases_dir).glob("*.json"))
for p in cases:
    case = json.loads(p.read_text())
    events = case.pop("events", None) or []
    case["events"] = []
    opened = post(a, "/v1/sessions", case)
    sid, verdict = opened["session_id"], opened["verdict"]
    for i, e in enumerate(events):
        e = dict(e, id=f"e{i}")
        node = b if i % 2 == 0 else a
        verdict = post(node, f"/v1/sessions/{sid}/events", e)["verdict"]
    if events and verdict != last.get(p.stem):
        bad += 1
        print(f"  {p.stem}: {verdict.get('action')} != check's {last.get(p.stem, {}).get('action')}")
print(f"two serve nodes: {len(cases) - bad} of {len(cases)} sessions end with check's verdict")
sys.exit(1 if bad else 0)
PY
echo "nats suite: ok"
