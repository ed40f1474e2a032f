#!/usr/bin/env bash
# The anti-fraud loop against a real server, as the README tells it: three people who received
# a scam call report it, the fourth is blocked at the ring with an explanation saying others
# reported it, the ring's next call from a new handle naming the same safe account joins the
# same campaign; twenty reports from one person against a genuine caller block nothing. The
# campaign's STIX 2.1 bundle, from the API and from `scamguard campaigns export`, must pass
# the OASIS validator (`stix2_validator`, PyPI stix2-validator), and the CSV must list the
# account.
#
# Run by .ci/run with BIN (the release binary) and WORK (a temporary directory); by hand:
#   cargo build --release && BIN=target/release/scamguard WORK=$(mktemp -d) bash .ci/suites/stix.sh
# STIX_VENV names a virtualenv that has stix2-validator already; otherwise one is made in WORK.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
: "${BIN:?set BIN to the scamguard binary}"
: "${WORK:?set WORK to a scratch directory}"
DATA="$WORK/stix-data"
LOG="$WORK/stix-server.log"
SUITE="stix suite"
. .ci/suite-lib.sh

VENV=${STIX_VENV:-$WORK/stix-venv}
if [ ! -x "$VENV/bin/stix2_validator" ]; then
  make_venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check stix2-validator || fail "pip install stix2-validator"
fi

SCAN=$("$BIN" keys create --scope scan --label platform --data-dir "$DATA" 2>/dev/null)
ADMIN=$("$BIN" keys create --scope admin --label analyst --data-dir "$DATA" 2>/dev/null)
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" >"$LOG" 2>&1 &
SERVER_PID=$!
wait_ready "$BASE"

CAMPAIGN=$(BASE="$BASE" SCAN="$SCAN" ADMIN="$ADMIN" OUT="$WORK" python3 - <<'PY'
import json, os, sys, urllib.request, urllib.error
base, scan, admin, out = os.environ["BASE"], os.environ["SCAN"], os.environ["ADMIN"], os.environ["OUT"]

def call(method, path, key, body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()

def check(cond, what):
    if not cond:
        sys.exit(f"check failed: {what}")
    print(f"  ok  {what}", file=sys.stderr)

RING, NEXT, ACCOUNT = "+86 171 5555 0001", "+86 172 6666 0002", "6222 0212 3456 7890 123"
def scam(frm, to):
    return {"channel": "video_call", "locale": "zh-Hans",
            "from": {"handle": frm, "display_name": "上海市公安局"}, "to": {"handle": to},
            "events": [{"type": "call_offer"},
                       {"type": "speech", "speaker": "remote",
                        "text": f"你涉嫌洗钱，把钱转到安全账户 {ACCOUNT}，不要告诉任何人。"}]}

campaign = None
for user in ["+86 138 0000 0001", "+86 138 0000 0002", "+86 138 0000 0003"]:
    s, b = call("POST", "/v1/sessions", scan, scam(RING, user))
    check(s == 200, f"the scam call to {user[-4:]} opens")
    sid = json.loads(b)["session_id"]
    s, b = call("POST", "/v1/reports", scan, {"session_id": sid, "reporter": user, "category": "fraud"})
    r = json.loads(b)
    check(s == 201 and r["counted"], f"its recipient's report counts ({r})")
    campaign = r["campaign_id"]

s, b = call("POST", "/v1/sessions", scan, {"channel": "video_call", "locale": "zh-Hans",
            "from": {"handle": RING}, "to": {"handle": "+86 138 0000 0004"}, "events": [{"type": "call_offer"}]})
v = json.loads(b)["verdict"]
check(v["action"] == "block", "the fourth person's phone blocks the caller at the ring")
check(any(x["code"] == "reported_handle" for x in v["signals"]) and "举报" in v["explanation"],
      "with an explanation saying others reported it")

s, b = call("POST", "/v1/sessions", scan, scam(NEXT, "+86 138 0000 0005"))
sid = json.loads(b)["session_id"]
s, b = call("GET", f"/v1/sessions/{sid}", scan)
check(json.loads(b).get("campaign_id") == campaign, f"the ring's next handle naming the same account joins {campaign}")

FRIEND = "+86 139 0000 1111"
genuine = {"channel": "video_call", "locale": "zh-Hans", "from": {"handle": FRIEND, "display_name": "王小明"},
           "to": {"handle": "grudge"}, "events": [{"type": "call_offer"}]}
s, b = call("POST", "/v1/sessions", scan, genuine)
gid = json.loads(b)["session_id"]
counted = 0
for _ in range(20):
    s, b = call("POST", "/v1/reports", scan, {"session_id": gid, "reporter": "grudge", "category": "fraud"})
    counted += json.loads(b)["counted"]
check(counted == 1, "twenty reports from one person count once")
genuine["to"] = {"handle": "mother"}
s, b = call("POST", "/v1/sessions", scan, genuine)
check(json.loads(b)["verdict"]["action"] == "allow", "and block nothing")

s, b = call("GET", f"/v1/campaigns/{campaign}/stix", admin)
check(s == 200, "the campaign exports as STIX")
open(os.path.join(out, "stix-api.json"), "wb").write(b)
s, b = call("GET", f"/v1/campaigns/{campaign}/csv", admin)
check(s == 200 and "bank_account,6222021234567890123" in b.decode(), "and as CSV with the account")
print(campaign)
PY
) || { tail -n 30 "$LOG"; fail "checks failed"; }

"$BIN" campaigns export "$CAMPAIGN" --format stix --data-dir "$DATA" >"$WORK/stix-cli.json" \
  || fail "scamguard campaigns export"
for bundle in "$WORK/stix-api.json" "$WORK/stix-cli.json"; do
  "$VENV/bin/stix2_validator" "$bundle" >"$WORK/stix-validator.log" 2>&1 \
    || { cat "$WORK/stix-validator.log"; fail "$(basename "$bundle") does not validate"; }
  grep -q 'STIX JSON: Valid' "$WORK/stix-validator.log" || { cat "$WORK/stix-validator.log"; fail "no verdict for $(basename "$bundle")"; }
  echo "  ok  $(basename "$bundle") passes the OASIS STIX 2.1 validator"
done
if grep -q -e '5555 0001' -e '15555' -e '138 0000' -e '13800000' "$LOG"; then
  fail "the server log names a caller or a user"
fi
stop_server
echo "stix suite: passed"
