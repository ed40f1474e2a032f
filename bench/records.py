"""Reading the ../shared/datasets JSON Lines files, for the scripts under bench/."""

import json


def load(path, splits):
    """The message records of `path` whose split is in `splits` (URL and domain records are
    skipped). A script that must never see test data passes only {"train", "dev"}: test rows
    are dropped here, as the file is read."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("lang") in ("url", "domain") or r.get("split") not in splits:
                continue
            out.append(r)
    return out
