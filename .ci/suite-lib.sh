# Shared by the suites in .ci/suites that run a scamguard server: sourced after SUITE (the
# suite's name in messages) is set. Gives fail, as_root, make_venv, free_port, wait_ready (for
# the server whose pid is in SERVER_PID and output in LOG), stop_pid, and stop_server, which
# stops that server and runs when the suite exits.
SERVER_PID=

fail() { printf '%s: %s\n' "$SUITE" "$*" >&2; exit 1; }
# Stops process PID: SIGTERM, then SIGKILL after 5 s.
stop_pid() {
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
  fi
}
stop_server() {
  stop_pid "$SERVER_PID"
  SERVER_PID=
}
trap stop_server EXIT
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# A free loopback port: the kernel picks one.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
# Waits up to 10 s for BASE_URL/readyz; fails with the server's log when the server exits
# first or the time runs out.
wait_ready() {
  for _ in $(seq 1 100); do
    curl -fsS "$1/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$LOG" >&2; fail "the server exited before it was ready"; }
    sleep 0.1
  done
  cat "$LOG" >&2
  fail "$1/readyz did not answer within 10 s"
}
# A Python virtualenv at $1 (kept when it exists), installing Debian's python3-venv first when
# python3 cannot make one.
make_venv() {
  [ -x "$1/bin/python" ] && return 0
  if ! python3 -m venv "$1" 2>/dev/null; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    rm -rf "$1"; python3 -m venv "$1"
  fi
}
