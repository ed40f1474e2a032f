#!/usr/bin/env bash
# The bank's side against a real server: a bank key, a fake police call with screen sharing,
# the risk lookup's assertion verified by PyJWT and by jose on Node (the examples in
# examples/bank/, which docs/risk-assertions.md shows), tampering, the end of the call, the
# grace period, and a key rotation with `signing-key generate`.
#
# Run by .ci/run with BIN (the release binary) and WORK (a temporary directory); by hand:
#   cargo build --release && BIN=target/release/scamguard WORK=$(mktemp -d) bash .ci/suites/risk_assertion.sh
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
: "${BIN:?set BIN to the scamguard binary}"
: "${WORK:?set WORK to a scratch directory}"
DATA="$WORK/risk-data"
LOG="$WORK/risk-server.log"
ISSUER="operator.example"
GRACE=2
SUITE="risk assertion suite"
. .ci/suite-lib.sh

# The docs show the examples verbatim: a change to one without the other fails here.
python3 - <<'PY' || fail "docs/risk-assertions.md no longer shows examples/bank/ verbatim"
import pathlib, sys
doc = pathlib.Path("docs/risk-assertions.md").read_text()
for f in ["examples/bank/verify_risk.py", "examples/bank/verify_risk.mjs"]:
    if pathlib.Path(f).read_text().strip() not in doc:
        sys.exit(f"{f} is not in the doc as it is")
PY

VENV="$WORK/risk-venv"
make_venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check 'pyjwt[crypto]>=2.8'
command -v node >/dev/null || {
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
}
if [ ! -d examples/bank/node_modules/jose ]; then
  (cd examples/bank && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in examples/bank"
fi

# Keys first, through the CLI as a new user would; the server then makes its signing key.
SCAN=$("$BIN" keys create --scope scan --label platform --data-dir "$DATA" 2>/dev/null)
BANK=$("$BIN" keys create --scope bank --label bank --data-dir "$DATA" 2>/dev/null)
BANK_ID=$("$BIN" keys list --json --data-dir "$DATA" | python3 -c 'import json,sys
print(next(k["id"] for k in map(json.loads, sys.stdin) if k["label"] == "bank"))')

PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$DATA" --assertion-issuer "$ISSUER" \
  --risk-grace-secs "$GRACE" --sweep-interval-secs 1 >"$LOG" 2>&1 &
SERVER_PID=$!
wait_ready "$BASE"
ls "$DATA"/assertion-keys/*/private.pem >/dev/null 2>&1 || fail "serve made no assertion key at first start"

"$VENV/bin/python" tests/interop/risk_assertion.py --bin "$BIN" --base "$BASE" --data "$DATA" \
  --scan "$SCAN" --bank "$BANK" --bank-id "$BANK_ID" --issuer "$ISSUER" --grace "$GRACE" \
  || { tail -n 30 "$LOG"; fail "checks failed"; }
if grep -q -e '555 0147' -e '2135550147' -e '13800000000' -e '138 0000 0000' "$LOG"; then
  fail "the server log names the caller or the user"
fi
stop_server
