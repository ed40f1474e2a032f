# Shared by the suites in .ci/suites that run a scamguard server: sourced after SUITE (the
# suite's name in messages) is set. Gives fail, as_root, and stop_server, which stops the server
# whose pid is in SERVER_PID (SIGTERM, then SIGKILL after 5 s) and runs when the suite exits.
SERVER_PID=

fail() { printf '%s: %s\n' "$SUITE" "$*" >&2; exit 1; }
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=
}
trap stop_server EXIT
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
