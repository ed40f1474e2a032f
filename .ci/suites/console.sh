#!/usr/bin/env bash
# The console end to end in a real browser: Debian's headless Chromium driven by playwright-core.
#
# Run by .ci/run with BIN (the release binary) and WORK (a temporary directory); by hand:
#   cargo build --release && BIN=target/release/scamguard WORK=$(mktemp -d) bash .ci/suites/console.sh
#
# Installs Chromium (apt) and playwright-core (npm, into .ci/console-test/node_modules) when
# missing, starts `scamguard serve` on a free loopback port with its own data directory, waits
# for /readyz (after enrolling one organisation for the registry page), runs
# .ci/console-test/console.test.mjs against it, and stops the server. Any
# failed check fails the suite; screenshots are left in $WORK.
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
: "${BIN:?set BIN to the scamguard binary}"
: "${WORK:?set WORK to a scratch directory}"
TEST_DIR="$ROOT/.ci/console-test"
LOG="$WORK/console-server.log"
SUITE="console suite"
. .ci/suite-lib.sh

# Debian's Chromium: Playwright's own browser download does not work on this network.
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  echo "installing Debian's chromium"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
  [ -x "$CHROMIUM" ] || fail "chromium is not at $CHROMIUM after apt-get install"
fi
"$CHROMIUM" --version 2>/dev/null | head -n1 || true
# A Chinese font, so that the screenshots are readable (the checks read the DOM and pass
# without it). No emoji font on purpose: the console must not need one (its indicators are
# inline SVG), and the screenshots show that it does not.
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=zh 2>/dev/null | head -n1)" ]; then
  echo "installing a Chinese font for the screenshots"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
    fonts-wqy-microhei >/dev/null 2>&1 \
    || echo "font not installed; screenshots will show boxes for Chinese text"
fi

command -v node >/dev/null || fail "node is not installed"
if [ ! -d "$TEST_DIR/node_modules/playwright-core" ]; then
  echo "installing playwright-core into $TEST_DIR/node_modules"
  (cd "$TEST_DIR" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in $TEST_DIR"
fi

# One enrolled organisation, so that the registry page has something to show.
SETUP="$WORK/console-setup.log"
{
  "$BIN" signing-key generate --out "$WORK/console-org-keys" &&
  "$BIN" registry add --data-dir "$WORK/console-data" --id hz-police \
    --name 杭州市公安局 --name "Hangzhou Public Security Bureau" --category police \
    --handle "+86 571 8728 0110" --callback 110 \
    --key "$WORK/console-org-keys/public.pem" --kid hz-2026
} >"$SETUP" 2>&1 || { cat "$SETUP" >&2; fail "could not enrol the test organisation"; }

PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
"$BIN" serve --listen "127.0.0.1:$PORT" --data-dir "$WORK/console-data" >"$LOG" 2>&1 &
SERVER_PID=$!
wait_ready "$BASE"
echo "server ready at $BASE (pid $SERVER_PID)"

status=0
BASE_URL="$BASE" OUT_DIR="$WORK" CHROMIUM="$CHROMIUM" node "$TEST_DIR/console.test.mjs" || status=$?
stop_server
if [ "$status" != 0 ]; then
  echo "--- server log" >&2
  tail -n 40 "$LOG" >&2
  fail "the browser test failed (exit $status); screenshots in $WORK"
fi
ls "$WORK"/console-*.png
