#!/usr/bin/env python3
"""The edit-distance look-alike rule of MetaMask's eth-phishing-detect, on our URL and domain sets.

That detector keeps a "fuzzylist" of often-phished domains and flags a host when, after
dropping a leading "www." and the last label (its approximate top-level domain), it is within
a Levenshtein distance `tolerance` of a fuzzylist entry treated the same way; hosts on the
allowlist (or under it) pass. We run that rule with our own protected brands
(crates/core/data/brand_domains.txt) as both the fuzzylist and the allowlist, so that it and
`scamguard eval --mode rules` look for the same brands, and report per file the share of
positives flagged and the share of benign records flagged.

It reads the `../shared/datasets` format (`text`, label `benign` against the rest) and the
form of bench/data/crypto_domains.jsonl (`host`, label `legitimate` against `phishing`).
`--brands FILE` gives another fuzzylist and allowlist, one domain a line: the crypto brands'
own domains (bench/data/crypto_brand_domains.txt) are what eth-phishing-detect itself keeps.

Usage (from the repository root; standard library only):
  python3 bench/edit_distance_baseline.py --split dev --tolerance 1 2 3 \
      ../shared/datasets/urls ../shared/datasets/domains
  python3 bench/edit_distance_baseline.py --split dev --tolerance 1 2 3 \
      --brands bench/data/crypto_brand_domains.txt bench/data/crypto_domains.jsonl
Deterministic. Written for this project from the published description of the rule.
"""
import argparse
import json
import os
import sys
from urllib.parse import urlsplit


def levenshtein(a, b, limit):
    """Edit distance of a and b, or limit + 1 once it is certainly above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        best = i
        for j, cb in enumerate(b, 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            cur.append(v)
            best = min(best, v)
        if best > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def host_of(text):
    t = text.strip()
    if "://" not in t:
        t = "http://" + t
    try:
        h = urlsplit(t).hostname or ""
    except ValueError:
        return ""
    return h.rstrip(".").lower()


def fuzzy_form(host):
    parts = host.split(".")
    if parts and parts[0] == "www":
        parts = parts[1:]
    return ".".join(parts[:-1]) if len(parts) > 1 else host


# Labels of the records that should not be flagged.
BENIGN = ("benign", "legitimate", "ham")


def load_brands(path):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip().lower()
        if line:
            out.append(line)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--tolerance", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--brands", default="crates/core/data/brand_domains.txt")
    a = ap.parse_args()
    if a.split == "test":
        print("note: reading test; report only, never tune on it", file=sys.stderr)
    brands = load_brands(a.brands)
    fuzz = sorted({fuzzy_form(b) for b in brands})
    files = []
    for p in a.paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(".jsonl"))
        else:
            files.append(p)
    print(f"split {a.split}; fuzzylist and allowlist: {len(brands)} brand domains ({a.brands})")
    print("| file | tolerance | positives flagged % | benign flagged % |")
    print("|---|---:|---:|---:|")
    for f in files:
        recs = [json.loads(l) for l in open(f, encoding="utf-8")]
        recs = [r for r in recs if r.get("split") == a.split]
        hosts = [(host_of(r["text"] if "text" in r else r["host"]), r["label"] in BENIGN)
                 for r in recs]
        for tol in a.tolerance:
            pos = neg = fp = tp = 0
            for h, benign in hosts:
                allowed = any(h == b or h.endswith("." + b) for b in brands)
                form = fuzzy_form(h)
                hit = (not allowed) and bool(h) and any(
                    levenshtein(form, t, tol) <= tol for t in fuzz)
                if benign:
                    neg += 1
                    fp += hit
                else:
                    pos += 1
                    tp += hit
            pr = f"{100 * tp / pos:.2f}" if pos else "-"
            nr = f"{100 * fp / neg:.2f}" if neg else "-"
            print(f"| {os.path.basename(f)} | {tol} | {pr} | {nr} |")


if __name__ == "__main__":
    main()
