#!/usr/bin/env bash
# Crypto look-alike domains (bench/data/crypto_domains.jsonl, shipped in the repository): the
# engine's rules on the test split, with the built-in brand list and with an operator's
# `--brands bench/data/crypto_brand_domains.txt`, must keep catching the phishing hosts and
# leave the legitimate look-alikes alone (docs/evaluation.md, "Look-alike domains"). Floors
# sit a little under the measured figures.
#
# Run by .ci/run with BIN (the release binary) and WORK (a temporary directory); by hand:
#   cargo build --release && BIN=target/release/scamguard WORK=$(mktemp -d) bash .ci/suites/crypto_lookalikes.sh
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
: "${BIN:?set BIN to the scamguard binary}"
: "${WORK:?set WORK to a scratch directory}"
SUITE="crypto_lookalikes suite"
. .ci/suite-lib.sh

SET=bench/data/crypto_domains.jsonl
"$BIN" eval --quiet --json --mode rules --split test "$SET" > "$WORK/crypto-builtin.json" \
  || fail "scamguard eval (built-in brands)"
"$BIN" eval --quiet --json --mode rules --split test --brands bench/data/crypto_brand_domains.txt "$SET" \
  > "$WORK/crypto-operator.json" || fail "scamguard eval (--brands)"
python3 - "$WORK/crypto-builtin.json" "$WORK/crypto-operator.json" <<'PY' || fail "crypto look-alikes below their floors"
import json, sys
# (phishing flagged at least, legitimate flagged at most), per brand list
FLOORS = {"built-in brands": (0.88, 0.07), "--brands crypto_brand_domains.txt": (0.92, 0.07)}
ok = True
for path, (name, (min_caught, max_legit)) in zip(sys.argv[1:], FLOORS.items()):
    r = json.load(open(path))["files"]["crypto_domains.jsonl"]
    caught, legit = r["unwanted"]["tp"] / (r["unwanted"]["tp"] + r["unwanted"]["fn_"]), r["ham_flagged"]
    good = caught >= min_caught and legit <= max_legit
    ok &= good
    print(f"crypto_domains.jsonl test, {name}: phishing flagged {caught:.2%} (min {min_caught:.0%}), "
          f"legitimate flagged {legit:.2%} (max {max_legit:.0%}){'' if good else '  BELOW FLOOR'}")
sys.exit(0 if ok else 1)
PY
