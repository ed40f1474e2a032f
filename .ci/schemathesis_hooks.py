"""Realistic values for schemathesis (loaded by .ci/suites/schemathesis.sh).

`from.verified_org` must name an identity the engine knows: a protected identity or an
organisation enrolled in the registry, which changes while the service runs, so no JSON Schema
can list them and the document describes the rule in words. A request generated as valid gets
the id of a built-in identity there; requests generated as invalid are sent as they are.
"""

import schemathesis

KNOWN_IDENTITY = "cn_icbc"


@schemathesis.hook
def before_call(context, case, kwargs):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("from"), dict):
        if isinstance(body["from"].get("verified_org"), str):
            body["from"]["verified_org"] = KNOWN_IDENTITY
