#!/usr/bin/env bash
# The soak test, short: 30 s of sessions opened and abandoned against the release binary, with a
# 5-s idle time so that the steady state arrives within the run (bench/soak/run.sh; the figures
# of a full run are in docs/benchmarks.md).
set -euo pipefail
IDLE=5 BIN="$BIN" bash bench/soak/run.sh 30 40
