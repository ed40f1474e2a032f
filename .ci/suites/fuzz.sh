#!/usr/bin/env bash
# Short fuzz runs: every cargo-fuzz target in fuzz/ for 30 s (FUZZ_SECONDS), starting from its
# committed seeds (fuzz/seeds/TARGET; the policy parser also starts from the built-in policy as
# it is now) plus what the run finds, in WORK. A crash fails the suite
# and leaves its input in $WORK/fuzz-artifacts/TARGET/ (reproduce with
# `cargo +nightly fuzz run TARGET FILE`). Skipped, with a message, where there is no nightly
# toolchain. The 10-minute runs and their figures are in docs/fuzzing.md.
#
# Run by .ci/run with WORK (a temporary directory); by hand:
#   WORK=$(mktemp -d) bash .ci/suites/fuzz.sh
set -Eeuo pipefail
cd "$(dirname "$0")/../.."
: "${WORK:?set WORK to a scratch directory}"
SECS=${FUZZ_SECONDS:-30}
TARGET_DIR=${FUZZ_TARGET_DIR:-$PWD/fuzz/target}

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "fuzz: skipped: no nightly toolchain (rustup toolchain install nightly)"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --quiet
fi

# The code under test is safe Rust: what fuzzing finds is panics, hangs and runaway memory,
# which libFuzzer reports without AddressSanitizer, and leaving it out makes builds and runs
# cheaper. FUZZ_SANITIZER=address puts it back.
SAN=${FUZZ_SANITIZER:-none}
targets=$(cargo +nightly fuzz list --fuzz-dir fuzz)
cargo +nightly fuzz build --fuzz-dir fuzz --target-dir "$TARGET_DIR" --sanitizer "$SAN"
failed=()
for t in $targets; do
  corpus="$WORK/fuzz-corpus/$t"
  artifacts="$WORK/fuzz-artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  if [ "$t" = policy_parser ]; then
    cp crates/core/data/policy.toml "$corpus/builtin.toml"
  fi
  echo "== fuzz $t: ${SECS}s"
  if ! cargo +nightly fuzz run --fuzz-dir fuzz --target-dir "$TARGET_DIR" --sanitizer "$SAN" "$t" \
      "$corpus" "fuzz/seeds/$t" -- \
      -max_total_time="$SECS" -artifact_prefix="$artifacts" -print_final_stats=1 \
      >"$WORK/fuzz-$t.log" 2>&1; then
    tail -40 "$WORK/fuzz-$t.log"
    failed+=("$t")
    continue
  fi
  grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$WORK/fuzz-$t.log" | tail -2 || true
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]}: inputs in $WORK/fuzz-artifacts/" >&2
  exit 1
fi
echo "fuzz: every target ran ${SECS}s without a crash"
