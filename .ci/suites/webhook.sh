#!/usr/bin/env bash
# Guardian alerts through the signed webhook, against a real server: a receiver on 127.0.0.1
# verifies every post with the Python function the README shows (taken from the README as it
# is), refuses the first one with 500 so that the retry is seen, and rejects a tampered body;
# the platform registers a guardian and a fake police call with the screen shared blocks.
#
# Run by .ci/run with BIN (the release binary) and WORK (a temporary directory); by hand:
#   cargo build --release && BIN=target/release/scamguard WORK=$(mktemp -d) bash .ci/suites/webhook.sh
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
: "${BIN:?set BIN to the scamguard binary}"
: "${WORK:?set WORK to a scratch directory}"
DATA="$WORK/webhook-data"
LOG="$WORK/webhook-server.log"
GOT="$WORK/webhook-received.jsonl"
SUITE="webhook suite"
. .ci/suite-lib.sh
RECEIVER_PID=
stop() {
  stop_server
  stop_pid "$RECEIVER_PID"
  RECEIVER_PID=
}
trap stop EXIT

# The receiver: the README's verify(), then a 500 for the first post and 204 after.
python3 - "$WORK/receiver.py" <<'PY' || fail "the README shows no Python verify() for webhooks"
import pathlib, re, sys
readme = pathlib.Path("README.md").read_text()
blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
verify = next((b for b in blocks if "def verify(secret: bytes" in b), None)
if verify is None:
    sys.exit("no verify() block")
pathlib.Path(sys.argv[1]).write_text(verify + '''
import http.server, json, os

SECRET = open(os.environ["SECRET_FILE"], "rb").read().strip()
OUT = os.environ["GOT"]
seen = 0

class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global seen
        body = self.rfile.read(int(self.headers["Content-Length"]))
        seen += 1
        status = 500 if seen == 1 else 204
        record = {
            "status": status,
            "verified": verify(SECRET, self.headers, body),
            "tampered_verified": verify(SECRET, self.headers, body + b" "),
            "delivery": self.headers["X-Scamguard-Delivery"],
            "body": body.decode(),
        }
        with open(OUT, "a") as f:
            f.write(json.dumps(record) + "\\n")
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass

http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Hook).serve_forever()
''')
PY

head -c 32 /dev/urandom | base64 >"$WORK/webhook.secret"
chmod 600 "$WORK/webhook.secret"
HOOK_PORT=$(free_port)
SECRET_FILE="$WORK/webhook.secret" GOT="$GOT" PORT="$HOOK_PORT" python3 "$WORK/receiver.py" &
RECEIVER_PID=$!

SCAN=$("$BIN" keys create --scope scan --label platform --data-dir "$DATA" 2>/dev/null)
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" \
  --webhook-url "http://127.0.0.1:$HOOK_PORT/hooks" --webhook-secret-file "$WORK/webhook.secret" \
  >"$LOG" 2>&1 &
SERVER_PID=$!
wait_ready "$BASE"

api() {
  curl -sS -o "$WORK/answer.json" -w '%{http_code}' "$BASE$1" -H "Authorization: Bearer $SCAN" \
    -H 'Content-Type: application/json' -d "$2"
}
[ "$(api /v1/guardians '{"user_handle": "+86 138 0000 0000", "guardian_handle": "+86 139 1111 2222", "consent": false}')" = 422 ] \
  || fail "a guardian without consent was registered"
[ "$(api /v1/guardians '{"user_handle": "+86 138 0000 0000", "guardian_handle": "+86 139 1111 2222", "consent": true}')" = 201 ] \
  || fail "registering a guardian: $(cat "$WORK/answer.json")"
GUARDIAN_ID=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["guardian_id"])' "$WORK/answer.json")
[ "$(api /v1/sessions '{"channel": "video_call", "locale": "zh-Hans",
      "from": {"handle": "+1 213 555 0147", "display_name": "厦门市公安局"},
      "to": {"handle": "+86 138 0000 0000"},
      "events": [{"type": "call_offer"},
                 {"type": "speech", "speaker": "remote", "text": "你的账户涉嫌洗钱，把钱转到安全账户"},
                 {"type": "screen_share_request", "initiator": "remote"},
                 {"type": "screen_share_started"}]}')" = 200 ] \
  || fail "opening the call: $(cat "$WORK/answer.json")"

for _ in $(seq 1 200); do
  [ -f "$GOT" ] && grep -q '"status": 204' "$GOT" && break
  sleep 0.1
done
python3 - "$GOT" "$GUARDIAN_ID" <<'PY' || { tail -n 30 "$LOG"; fail "checks failed"; }
import json, sys
posts = [json.loads(line) for line in open(sys.argv[1])]
assert [p["status"] for p in posts] == [500, 204], f"a refusal then a delivery: {posts}"
assert all(p["verified"] for p in posts), "every post verifies with the README's verify()"
assert not any(p["tampered_verified"] for p in posts), "a tampered body must not verify"
assert posts[0]["delivery"] == posts[1]["delivery"], "one delivery id on every attempt"
body = json.loads(posts[1]["body"])
data = body["data"]
assert body["kind"] == "guardian_alert", body
assert data["guardian_id"] == sys.argv[2], data
assert (data["action"], data["claimed_category"], data["moments"]) == ("block", "police", ["screen_share"]), data
for secret in ["138 0000 0000", "13800000000", "139 1111 2222", "555 0147", "洗钱", "安全账户", "厦门"]:
    assert secret not in posts[1]["body"], f"{secret} in the alert"
print("webhook suite: alert signed, retried after a 500, verified by the README's verify():", data["summary"])
PY
if grep -q -e '555 0147' -e '138 0000 0000' -e '139 1111 2222' "$LOG"; then
  fail "the server log names the caller, the user or the guardian"
fi
stop
