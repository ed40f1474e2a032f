#!/usr/bin/env bash
# Token interoperability: scamguard's signed call assertions and registry documents against an
# independent implementation (PyJWT and cryptography from PyPI), in a venv under $WORK.
# Run by .ci/run with BIN (the release binary) and WORK (a temporary directory).
set -Eeuo pipefail
: "${BIN:?BIN must name the scamguard binary}" "${WORK:?WORK must name a scratch directory}"
cd "$(dirname "$0")/../.."

VENV="$WORK/interop-venv"
if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    # Debian keeps ensurepip in a separate package.
    echo "python3 -m venv failed; installing python3-venv"
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
    rm -rf "$VENV"
    python3 -m venv "$VENV"
  fi
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check 'pyjwt>=2.8' 'cryptography>=41'
"$VENV/bin/python" tests/interop/passport_interop.py --bin "$BIN" --work "$WORK/passport-interop"
