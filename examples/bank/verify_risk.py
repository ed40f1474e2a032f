#!/usr/bin/env python3
"""Verifies a scamguard risk assertion as a bank would, with PyJWT (pip install 'pyjwt[crypto]').

    python3 verify_risk.py JWKS_URL ISSUER AUDIENCE < assertion.jwt

ISSUER is the operator's name (`serve --assertion-issuer`), AUDIENCE the bank's own API key id.
Prints the verified claims as JSON; exits 1 with the reason when the assertion is refused.
"""

import json
import sys
import urllib.request

import jwt

TYP = "scamguard-risk+jwt"


def verify(token, jwks, issuer, audience):
    """The claims of `token` after every check, or jwt.InvalidTokenError."""
    header = jwt.get_unverified_header(token)
    if header.get("typ") != TYP:
        raise jwt.InvalidTokenError(f"typ is {header.get('typ')!r}, not {TYP!r}")
    try:
        key = jwt.PyJWKSet.from_dict(jwks)[header.get("kid", "")]
    except KeyError:
        # A new key: fetch the JWKS again before giving up (see docs/risk-assertions.md).
        raise jwt.InvalidTokenError(f"unknown key {header.get('kid')!r}")
    claims = jwt.decode(
        token,
        key,
        algorithms=["ES256"],  # never take the algorithm from the token
        issuer=issuer,
        audience=audience,
        leeway=5,
        options={"require": ["iss", "aud", "iat", "exp", "jti", "sub"]},
    )
    if claims["exp"] - claims["iat"] > 300:
        raise jwt.InvalidTokenError("lives longer than 300 s")
    return claims


def main():
    jwks_url, issuer, audience = sys.argv[1:4]
    with urllib.request.urlopen(jwks_url, timeout=10) as r:
        jwks = json.load(r)
    try:
        claims = verify(sys.stdin.read().strip(), jwks, issuer, audience)
    except jwt.InvalidTokenError as e:
        print(f"refused: {e}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(claims, ensure_ascii=False))


if __name__ == "__main__":
    main()
