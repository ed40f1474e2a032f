#!/usr/bin/env python3
"""The bank's side against a running server, verified by independent JOSE libraries.

The issue's "Done when", as a bank and a platform would do it over HTTP:
(a) a simulated police call with screen sharing is running; the bank's lookup returns an
    assertion that PyJWT (examples/bank/verify_risk.py) and jose on Node
    (examples/bank/verify_risk.mjs) both verify with the published keys, and that says
    "block, screen shared, claims police, unverified", naming nothing of the caller;
(b) a tampered assertion fails in both; a scan key may not look up;
(c) after the call ends the lookup says nothing is active, and after the grace period
    nothing at all;
(d) a key rotated with `signing-key generate` signs the next assertion while the old key stays
    published, so an assertion signed just before still verifies.

Usage: risk_assertion.py --bin BIN --base URL --data DIR --scan KEY --bank KEY --bank-id ID
       --issuer NAME --grace SECS
Exits non-zero if any check fails, after running them all.
"""

import argparse
import base64
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples" / "bank"))
import verify_risk  # noqa: E402  the documented example, imported as the bank would use it

CALLER = "+1 213 555 0147"
SHOWN = "厦门市公安局"
USER = "+86 138 0000 0000"
FAILURES = []


def check(ok, what, detail=""):
    print(f"  {'ok  ' if ok else 'FAIL'} {what}" + (f": {detail}" if detail and not ok else ""))
    if not ok:
        FAILURES.append(what)


def http(base, method, path, key=None, body=None):
    req = urllib.request.Request(base + path, method=method)
    if key:
        req.add_header("Authorization", f"Bearer {key}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, data, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def external(cmd, token, args):
    p = subprocess.run(
        cmd + [args.base + "/.well-known/jwks.json", args.issuer, args.bank_id],
        input=token, capture_output=True, text=True, timeout=60, cwd=ROOT / "examples" / "bank",
    )
    return p.returncode, (json.loads(p.stdout) if p.returncode == 0 else p.stderr.strip())


def verifiers(args):
    return {
        "PyJWT": [sys.executable, "verify_risk.py"],
        "jose (Node)": ["node", "verify_risk.mjs"],
    }


def lookup(args):
    status, body = http(args.base, "POST", "/v1/risk/lookup", args.bank, {"user_handle": USER})
    assert status == 200, (status, body)
    return body["assertion"]


def payload_of(token):
    p = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))


def main():
    ap = argparse.ArgumentParser()
    for flag in ["bin", "base", "data", "scan", "bank", "bank-id", "issuer"]:
        ap.add_argument("--" + flag, required=True)
    ap.add_argument("--grace", type=int, required=True)
    args = ap.parse_args()

    print("(a) a fake police call with the screen shared")
    status, opened = http(args.base, "POST", "/v1/sessions", args.scan, {
        "channel": "video_call", "locale": "zh-Hans",
        "from": {"handle": CALLER, "display_name": SHOWN, "in_contacts": False},
        "to": {"handle": USER},
        "events": [{"type": "call_offer"},
                   {"type": "screen_share_request", "initiator": "remote", "app": "facetime"},
                   {"type": "screen_share_started"}],
    })
    check(status == 200, "the platform opened the session", opened)
    session = opened["session_id"]
    token = lookup(args)
    _, jwks = http(args.base, "GET", "/.well-known/jwks.json")
    claims = verify_risk.verify(token, jwks, args.issuer, args.bank_id)
    risk = claims["risk"]
    check(risk["active"] and risk["action"] == "block", "PyJWT: a call is on and blocks", risk)
    check(risk["screen_shared"], "screen shared", risk)
    check(risk["claimed_category"] == "police", "claims police", risk)
    check(risk["authority_unverified"], "an authority, unverified", risk)
    check(0 < claims["exp"] - claims["iat"] <= 300, "lives at most five minutes", claims)
    check(claims["aud"] == args.bank_id and claims["iss"] == args.issuer, "iss and aud", claims)
    # sub and jti are hex digests and random ids, iat and exp times: digits in them are chance.
    payload = payload_of(token)
    check(all(len(payload[c]) in (32, 64) and all(ch in "0123456789abcdef" for ch in payload[c])
              for c in ("sub", "jti")), "sub and jti are opaque hex", payload)
    raw = json.dumps({k: v for k, v in payload.items() if k not in ("sub", "jti", "iat", "exp")},
                     ensure_ascii=False)
    for needle in ["213", "555", "0147", "13800000000", "公安", "厦门", "facetime"]:
        check(needle not in raw, f"nothing in it names the caller or the user ({needle})", raw)
    for name, cmd in verifiers(args).items():
        code, out = external(cmd, token, args)
        check(code == 0 and out == claims, f"{name} verifies the same claims", out)

    print("(b) tampering and scopes")
    head, body, sig = token.split(".")
    forged = dict(payload_of(token), risk=dict(risk, active=False, action="allow"))
    forged_body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    for name, cmd in verifiers(args).items():
        code, out = external(cmd, f"{head}.{forged_body}.{sig}", args)
        check(code == 1 and "refused" in out, f"{name} refuses a tampered assertion", out)
        code, out = external(cmd, f"{head}.{body}.{sig[:-4]}AAAA", args)
        check(code == 1, f"{name} refuses a damaged signature", out)
    status, err = http(args.base, "POST", "/v1/risk/lookup", args.scan, {"user_handle": USER})
    check(status == 403 and err["error"]["code"] == "forbidden", "a scan key may not look up", err)
    status, err = http(args.base, "POST", "/v1/sessions", args.bank,
                       {"channel": "video_call", "from": {"handle": "x"}})
    check(status == 403, "a bank key may not open sessions", err)

    print("(c) after the call")
    status, _ = http(args.base, "POST", f"/v1/sessions/{session}/events", args.scan,
                     {"type": "call_ended"})
    check(status == 200, "the call ended")
    after = verify_risk.verify(lookup(args), jwks, args.issuer, args.bank_id)["risk"]
    check(not after["active"] and not after["screen_shared"], "nothing is active", after)
    time.sleep(args.grace + 1.2)
    later = verify_risk.verify(lookup(args), jwks, args.issuer, args.bank_id)["risk"]
    check(not later["active"] and later["action"] == "allow" and not later["signals"]
          and later["claimed_category"] is None, "after the grace period: nothing at all", later)

    print("(d) key rotation")
    old_kid = jwt_kid(token)
    run = subprocess.run([args.bin, "signing-key", "generate", "--out",
                          str(Path(args.data) / "assertion-keys" / "next")],
                         capture_output=True, text=True, timeout=60)
    check(run.returncode == 0, "signing-key generate made the next key", run.stderr)
    new_kid = old_kid
    for _ in range(50):  # picked up at the next sweep
        time.sleep(0.2)
        new_token = lookup(args)
        new_kid = jwt_kid(new_token)
        if new_kid != old_kid:
            break
    check(new_kid != old_kid, "the new key signs the next assertion")
    _, jwks = http(args.base, "GET", "/.well-known/jwks.json")
    kids = [k["kid"] for k in jwks["keys"]]
    check(kids == [new_kid, old_kid], "both keys are published, the new one first", kids)
    for name, cmd in verifiers(args).items():
        code, out = external(cmd, token, args)
        check(code == 0, f"{name} still verifies what the old key signed", out)

    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed: {FAILURES}")
        sys.exit(1)
    print("all risk-assertion checks passed")


def jwt_kid(token):
    h = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(h + "=" * (-len(h) % 4)))["kid"]


if __name__ == "__main__":
    main()
