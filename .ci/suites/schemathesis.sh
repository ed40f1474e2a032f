#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis (PyPI) generates requests from a
# running release `serve`'s /openapi.json, 30 examples per operation with an admin key, and runs
# every check on each answer (status codes and bodies the document lists, requests it allows
# accepted, requests it forbids refused, no 5xx). Fails on any failure.
#
# Run by .ci/run with BIN (the release binary) and WORK (a temporary directory); by hand:
#   cargo build --release -p scamguard
#   BIN=target/release/scamguard WORK=$(mktemp -d) bash .ci/suites/schemathesis.sh
# SCHEMATHESIS names an installed schemathesis instead of a fresh venv; EXAMPLES (30) sets the
# examples per operation; SEED makes a run repeatable.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
: "${BIN:?set BIN to the scamguard binary}"
: "${WORK:?set WORK to a scratch directory}"
DATA="$WORK/schemathesis-data"
LOG="$WORK/schemathesis-server.log"
PORT=${SCHEMATHESIS_PORT:-$(( 20000 + RANDOM % 20000 ))}
SUITE="schemathesis suite"
. .ci/suite-lib.sh

ST=${SCHEMATHESIS:-}
if [ -z "$ST" ]; then
  VENV="$WORK/schemathesis-venv"
  make_venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'schemathesis>=4.3,<5'
  ST="$VENV/bin/schemathesis"
fi

rm -rf "$DATA"
KEY=$("$BIN" keys create --scope admin --data-dir "$DATA" | tail -n1)
# No rate limit: schemathesis sends hundreds of requests a second with one key.
"$BIN" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" --rate-limit 0 --log warn >"$LOG" 2>&1 &
SERVER_PID=$!
wait_ready "http://127.0.0.1:$PORT"

status=0
# Every check. One worker: with several, hypothesis parsing its own lambdas' source from two
# threads at once trips CPython 3.11's AST parser ("AST constructor recursion depth mismatch").
# .ci/schemathesis.toml says which operations count 422 as an answer to valid-looking bodies,
# and why; .ci/schemathesis_hooks.py gives `verified_org` an identity the engine knows.
PYTHONPATH="$PWD/.ci${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=schemathesis_hooks \
"$ST" --config-file .ci/schemathesis.toml run "http://127.0.0.1:$PORT/openapi.json" \
  --checks all \
  --max-examples "${EXAMPLES:-30}" \
  --header "Authorization: Bearer $KEY" \
  --workers 1 \
  --request-timeout 20 \
  ${SEED:+--seed "$SEED"} \
  --report junit --report-dir "$WORK/schemathesis-report" || status=$?
if grep -q ERROR "$LOG"; then
  grep ERROR "$LOG" | head -20
  fail "the server logged errors"
fi
[ "$status" = 0 ] || fail "schemathesis found failures (report: $WORK/schemathesis-report)"
echo "schemathesis: every check passed"
