#!/usr/bin/env python3
"""Signed call assertions against an independent JWT implementation (PyJWT + cryptography).

(a) scamguard signs, PyJWT verifies: header, claims, signature.
(b) cryptography makes a key, scamguard enrols it, PyJWT signs, `scamguard check --data-dir`
    shows the caller as verified.
(c) broken and hostile tokens are each rejected with the right reason code in the
    `identity_token_invalid` evidence.
(d) the registry's signed export verifies with PyJWT, and a document PyJWT signs imports.

Usage: passport_interop.py --bin target/release/scamguard --work DIR
Exits non-zero if any check fails, after running them all.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

CALLER = "+86 571 8728 0110"
CALLEE = "+86 138 0000 0000"
NAME = "杭州市公安局"
FAILURES = []


def check(ok, what, detail=""):
    mark = "ok  " if ok else "FAIL"
    print(f"  {mark} {what}" + (f": {detail}" if detail and not ok else ""))
    if not ok:
        FAILURES.append(what)


def run(*args, stdin=None, expect_ok=True):
    p = subprocess.run(
        [str(a) for a in args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if expect_ok and p.returncode != 0:
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(map(str, args))}\n{p.stderr}")
    return p


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_pem(private_key):
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def claims(**over):
    c = {
        "orig": {"uri": "tel:+8657187280110"},
        "dest": {"uri": ["tel:+8613800000000"]},
        "iat": int(time.time()),
        "origid": str(uuid.uuid4()),
        "rcd": {"nam": NAME, "crn": "反诈回访"},
    }
    c.update(over)
    return c


PASSPORT_HEADER = {"typ": "passport", "ppt": "rcd", "kid": "py-1"}


def pyjwt_token(key, payload=None, headers=None):
    return jwt.encode(
        payload or claims(), key, algorithm="ES256", headers=headers or PASSPORT_HEADER
    )


def part_a(bin_, work):
    print("(a) scamguard signs, PyJWT verifies")
    out = work / "sg-keys"
    run(bin_, "signing-key", "generate", "--out", out)
    priv_path, pub_path = out / "private.pem", out / "public.pem"
    check(
        stat.S_IMODE(os.stat(priv_path).st_mode) == 0o600,
        "private.pem is readable by its owner only",
    )
    priv = serialization.load_pem_private_key(priv_path.read_bytes(), password=None)
    check(
        b"BEGIN PRIVATE KEY" in priv_path.read_bytes()
        and isinstance(priv, ec.EllipticCurvePrivateKey)
        and priv.curve.name == "secp256r1",
        "private.pem is a PKCS#8 P-256 key",
    )
    pub = serialization.load_pem_public_key(pub_path.read_bytes())
    check(
        public_pem(priv) == pub_path.read_text(),
        "public.pem is the SPKI of the private key",
    )
    again = run(bin_, "signing-key", "generate", "--out", out, expect_ok=False)
    check(again.returncode != 0 and "refusing to overwrite" in again.stderr, "keys are never overwritten")

    before = int(time.time())
    token = run(
        bin_, "sign", "--key", priv_path, "--kid", "sg-1",
        "--orig", "tel:+8657187280110", "--dest", "tel:+8613800000000",
        "--dest", "user@example.com", "--name", NAME, "--reason", "反诈回访",
    ).stdout.strip()
    header = jwt.get_unverified_header(token)
    check(
        header == {"alg": "ES256", "typ": "passport", "ppt": "rcd", "kid": "sg-1"},
        "header is ES256 / passport / rcd / kid",
        json.dumps(header),
    )
    try:
        c = jwt.decode(token, pub_path.read_text(), algorithms=["ES256"])
        check(True, "PyJWT verifies the signature")
    except jwt.PyJWTError as e:
        check(False, "PyJWT verifies the signature", repr(e))
        return
    check(c["orig"] == {"uri": "tel:+8657187280110"}, "orig.uri", json.dumps(c))
    check(c["dest"] == {"uri": ["tel:+8613800000000", "user@example.com"]}, "dest.uri lists every callee")
    check(before - 1 <= c["iat"] <= int(time.time()) + 1, "iat is now")
    check(len(c["origid"]) == 36 and c["origid"][14] == "4", "origid is a random UUID", c["origid"])
    check(c["rcd"] == {"nam": NAME, "crn": "反诈回访"}, "rcd.nam and rcd.crn")
    fixed = run(
        bin_, "sign", "--key", priv_path, "--kid", "sg-1", "--orig", "a@example.com",
        "--dest", "b@example.com", "--name", "Example", "--iat", "1795600000", "--origid", "call-7",
    ).stdout.strip()
    c = jwt.decode(fixed, pub, algorithms=["ES256"], options={"verify_iat": False})
    check((c["iat"], c["origid"]) == (1795600000, "call-7"), "--iat and --origid are used")
    other = ec.generate_private_key(ec.SECP256R1())
    try:
        jwt.decode(token, public_pem(other), algorithms=["ES256"])
        check(False, "another key does not verify it")
    except jwt.InvalidSignatureError:
        check(True, "another key does not verify it")


def case_file(path, token, caller=CALLER, callee=CALLEE, name=NAME):
    path.write_text(
        json.dumps(
            {
                "channel": "video_call",
                "locale": "zh-Hans",
                "from": {"handle": caller, "display_name": name, "identity_token": token},
                "to": {"handle": callee},
                "events": [{"type": "call_offer"}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


def check_cases(bin_, data, paths):
    """Runs `check --data-dir` on the cases in order (one engine); verdicts by path."""
    out = run(bin_, "check", "--data-dir", data, *paths).stdout
    if len(paths) == 1:
        return {str(paths[0]): json.loads(out)}
    verdicts = {}
    for line in out.splitlines():
        row = json.loads(line)
        verdicts.setdefault(row["case"], []).append(row["verdict"])
    return verdicts


def failure_code(verdict):
    for s in verdict.get("signals", []):
        if s["code"] == "identity_token_invalid":
            return s["evidence"][0].split(":", 1)[0]
    return None


def part_b_and_c(bin_, work):
    print("(b) cryptography makes the key, PyJWT signs, scamguard verifies")
    data = work / "data"
    key = ec.generate_private_key(ec.SECP256R1())
    pub_path = work / "py-public.pem"
    pub_path.write_text(public_pem(key))
    run(
        bin_, "registry", "add", "--data-dir", data, "--id", "hz-police",
        "--name", NAME, "--name", "Hangzhou Public Security Bureau", "--category", "police",
        "--handle", CALLER, "--callback", "110", "--key", pub_path, "--kid", "py-1",
    )
    good = pyjwt_token(key)
    v = check_cases(bin_, data, [case_file(work / "good.json", good)])[str(work / "good.json")]
    check(
        v.get("verified_identity") == {"org": "hz-police", "name": NAME},
        "check --data-dir reports verified_identity",
        json.dumps(v, ensure_ascii=False)[:400],
    )
    labels = [d for d in v.get("directives", []) if d["code"] == "label_caller"]
    check(
        bool(labels) and labels[0]["verified"] is True and NAME in labels[0]["label"],
        "the callee sees the verified name",
        json.dumps(labels, ensure_ascii=False),
    )
    check(v["action"] == "allow", "a verified call is allowed", v["action"])
    without = run(bin_, "check", work / "good.json").stdout
    check(failure_code(json.loads(without)) == "unknown_key", "without --data-dir there is no registry")

    print("(c) every broken or hostile token is refused with its reason")
    other = ec.generate_private_key(ec.SECP256R1())
    head, payload, sig = good.split(".")
    pem = pub_path.read_bytes()
    hs_head = b64url(json.dumps({"alg": "HS256", **PASSPORT_HEADER}).encode())
    hs_body = b64url(json.dumps(claims()).encode())
    hs_sig = b64url(hmac.new(pem, f"{hs_head}.{hs_body}".encode(), hashlib.sha256).digest())
    tampered = claims()
    tampered["rcd"]["nam"] = "Hangzhou Public Security Bureau"
    fresh = pyjwt_token(key)
    cases = [
        # (name, token, caller, callee, expected code)
        ("malformed", "this is not a token", CALLER, CALLEE, "malformed"),
        ("garbage parts", "e30.e30.e30", CALLER, CALLEE, "unsupported_algorithm"),
        ("not base64", f"{head}.%%%.{sig}", CALLER, CALLEE, "malformed"),
        ("truncated signature", good[:-12], CALLER, CALLEE, "bad_signature"),
        ("truncated to two parts", f"{head}.{payload}", CALLER, CALLEE, "malformed"),
        ("re-signed with another key", pyjwt_token(other), CALLER, CALLEE, "bad_signature"),
        ("payload changed after signing", f"{head}.{b64url(json.dumps(tampered).encode())}.{sig}", CALLER, CALLEE, "bad_signature"),
        ("alg none", jwt.encode(claims(), None, algorithm="none", headers=PASSPORT_HEADER), CALLER, CALLEE, "unsupported_algorithm"),
        ("HS256 keyed with the public key", f"{hs_head}.{hs_body}.{hs_sig}", CALLER, CALLEE, "unsupported_algorithm"),
        ("wrong typ", pyjwt_token(key, headers={"typ": "JWT", "ppt": "rcd", "kid": "py-1"}), CALLER, CALLEE, "wrong_header"),
        ("no kid", pyjwt_token(key, headers={"typ": "passport", "ppt": "rcd"}), CALLER, CALLEE, "missing_key_id"),
        ("unknown kid", pyjwt_token(key, headers={**PASSPORT_HEADER, "kid": "nobody"}), CALLER, CALLEE, "unknown_key"),
        ("expired (stale iat)", pyjwt_token(key, claims(iat=int(time.time()) - 3600)), CALLER, CALLEE, "stale"),
        ("signed in the future", pyjwt_token(key, claims(iat=int(time.time()) + 3600)), CALLER, CALLEE, "from_future"),
        ("claims of the wrong shape", pyjwt_token(key, {"orig": "x", "iat": "soon"}), CALLER, CALLEE, "invalid_claims"),
        ("wrong caller", fresh, "+1 213 555 0147", CALLEE, "caller_mismatch"),
        ("wrong callee", pyjwt_token(key), CALLER, "+86 139 1111 2222", "callee_not_in_dest"),
        ("name not allowed", pyjwt_token(key, claims(rcd={"nam": "国家反诈中心"})), CALLER, CALLEE, "name_not_allowed"),
    ]
    paths, expected = [], {}
    for i, (what, token, caller, callee, code) in enumerate(cases):
        p = case_file(work / f"bad-{i:02}.json", token, caller, callee)
        paths.append(p)
        expected[str(p)] = (what, code)
    replay = pyjwt_token(key)
    first = case_file(work / "replay-1.json", replay)
    second = case_file(work / "replay-2.json", replay)
    verdicts = check_cases(bin_, data, paths + [first, second])
    for p, (what, code) in expected.items():
        v = verdicts[p][0]
        got = failure_code(v)
        check(
            got == code and v.get("verified_identity") is None,
            f"{what} -> {code}",
            f"got {got}: {json.dumps(v.get('signals'), ensure_ascii=False)[:300]}",
        )
    check(verdicts[str(first)][0].get("verified_identity") is not None, "a token verifies once")
    check(failure_code(verdicts[str(second)][0]) == "replayed", "replayed -> replayed")
    check(verdicts[str(second)][0]["action"] == "block", "a replayed police token is blocked")

    # The organisation's status and its keys' validity count too.
    run(bin_, "registry", "suspend", "hz-police", "--data-dir", data, "--reason", "interop test")
    v = check_cases(bin_, data, [case_file(work / "suspended.json", pyjwt_token(key))])
    check(failure_code(next(iter(v.values()))) == "organisation_not_active", "suspended -> organisation_not_active")
    run(bin_, "registry", "activate", "hz-police", "--data-dir", data)
    run(bin_, "registry", "revoke-key", "py-1", "--data-dir", data)
    v = check_cases(bin_, data, [case_file(work / "revoked.json", pyjwt_token(key))])
    check(failure_code(next(iter(v.values()))) == "key_not_valid", "revoked key -> key_not_valid")
    return data


def part_d(bin_, work, data):
    print("(d) the registry as a signed document")
    run(bin_, "signing-key", "generate", "--out", work / "operator")
    op_priv, op_pub = work / "operator" / "private.pem", work / "operator" / "public.pem"
    doc = run(
        bin_, "registry", "export", "--data-dir", data, "--signing-key", op_priv, "--kid", "op-1",
    ).stdout.strip()
    header = jwt.get_unverified_header(doc)
    check(header == {"alg": "ES256", "typ": "scamguard-registry", "kid": "op-1"}, "export header", json.dumps(header))
    try:
        body = jwt.decode(doc, op_pub.read_text(), algorithms=["ES256"])
    except jwt.PyJWTError as e:
        check(False, "PyJWT verifies the export", repr(e))
        return
    check(body["version"] == 1 and abs(body["exported_at"] - time.time()) < 60, "version and exported_at")
    orgs = body["organisations"]
    check([o["id"] for o in orgs] == ["hz-police"] and orgs[0]["keys"][0]["revoked"] is True, "organisations with keys and revocations")

    # A document signed by PyJWT with another operator's key imports where that key is trusted.
    peer = ec.generate_private_key(ec.SECP256R1())
    peer_pub = work / "peer-public.pem"
    peer_pub.write_text(public_pem(peer))
    bank_key = ec.generate_private_key(ec.SECP256R1())
    bank = {
        "id": "icbc-hz", "legal_name": "中国工商银行杭州分行", "category": "bank",
        "names": {"zh_hans": ["工商银行杭州分行"], "zh_hant": [], "en": ["ICBC Hangzhou"]},
        "handles": ["+86 571 9558 8000"], "callback_numbers": ["95588"], "domains": ["icbc.com.cn"],
        "keys": [{"kid": "icbc-1", "public_key_pem": public_pem(bank_key), "not_before": int(time.time()) - 60,
                  "not_after": int(time.time()) + 86400, "revoked": False}],
        "status": "active",
    }
    payload = {"version": 1, "exported_at": int(time.time()), "organisations": [bank]}
    peer_doc = jwt.encode(payload, peer, algorithm="ES256", headers={"typ": "scamguard-registry", "kid": "peer-1"})
    (work / "peer.jws").write_text(peer_doc)
    target = work / "data2"
    untrusted = run(bin_, "registry", "import", "--data-dir", target, "--trust", op_pub, work / "peer.jws", expect_ok=False)
    check(untrusted.returncode != 0 and "does not verify" in untrusted.stderr, "an untrusted signer is refused", untrusted.stderr)
    bad = json.loads(json.dumps(payload))
    bad["organisations"].append({**bank, "id": "bad id", "category": "wizards", "handles": []})
    bad_doc = jwt.encode(bad, peer, algorithm="ES256", headers={"typ": "scamguard-registry", "kid": "peer-1"})
    (work / "bad.jws").write_text(bad_doc)
    invalid = run(bin_, "registry", "import", "--data-dir", target, "--trust", peer_pub, work / "bad.jws", expect_ok=False)
    every = all(s in invalid.stderr for s in ["organisations[1] (bad id).id", ".category", ".handles", ".keys[0].kid"])
    check(invalid.returncode != 0 and every, "every invalid organisation is reported", invalid.stderr)
    ok = run(bin_, "registry", "import", "--data-dir", target, "--trust", peer_pub, work / "peer.jws", expect_ok=False)
    check(ok.returncode == 0 and "1 added" in ok.stdout, "a trusted document imports", ok.stderr + ok.stdout)
    token = jwt.encode(
        claims(orig={"uri": "+86 571 9558 8000"}, rcd={"nam": "ICBC Hangzhou"}), bank_key,
        algorithm="ES256", headers={"typ": "passport", "ppt": "rcd", "kid": "icbc-1"},
    )
    v = check_cases(bin_, target, [case_file(work / "bank.json", token, caller="+86 571 9558 8000", name="ICBC Hangzhou")])
    v = next(iter(v.values()))
    check((v.get("verified_identity") or {}).get("org") == "icbc-hz", "an imported organisation's calls verify",
          json.dumps(v, ensure_ascii=False)[:300])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, type=Path)
    ap.add_argument("--work", required=True, type=Path)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    part_a(args.bin, args.work)
    data = part_b_and_c(args.bin, args.work)
    part_d(args.bin, args.work, data)
    if FAILURES:
        print(f"\n{len(FAILURES)} check(s) failed:", *FAILURES, sep="\n  ")
        return 1
    print("\nall interoperability checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
