#!/usr/bin/env python3
"""Chooses the policy's model knobs on the dev splits: how much the classifier's opinion weighs
next to the rules.

The knobs are `settings.model_scam_min` and `settings.model_spam_min` (the calibrated score
above which a signal is raised; 0.5 is the model's own dev-tuned threshold), the weights of
`model_scam` and `model_spam`, and the cap of the `model` group. Each candidate policy is the
built-in one with those values replaced; `scamguard eval --mode both --split dev` scores it.

Objective (dev only, never test): the mean of F1 (unwanted) on UCI, F1 (scam) on Mendeley and
F1 (unwanted) on Mendeley, subject to at most --max-fpr of NUS ham flagged. Prints the best
candidates; the scenario cases (`cargo test -p scamguard-core --test cases`) must still pass
with the chosen values, which is checked by hand.

Usage:
  python3 bench/tune_model_policy.py --datasets ../shared/datasets/messages [--model FILE]
"""

import argparse
import itertools
import json
import os
import re
import subprocess
import sys
import tempfile


def replace(policy, table, key, value):
    """Sets `key = value` inside `[table]` of a TOML text (the key must exist there)."""
    pat = re.compile(r"(\[" + re.escape(table) + r"\][^\[]*?\n" + re.escape(key) + r"\s*=\s*)[^\n]*")
    out, n = pat.subn(lambda m: m.group(1) + repr(value), policy, count=1)
    if n != 1:
        sys.exit(f"cannot find {table}.{key} in the policy")
    return out


def f1(c):
    tp, fp, fn = c["tp"], c["fp"], c["fn_"]
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasets", required=True)
    ap.add_argument("--scamguard", default="target/release/scamguard")
    ap.add_argument("--policy", default="crates/core/data/policy.toml")
    ap.add_argument("--model")
    ap.add_argument("--max-fpr", type=float, default=0.003)
    ap.add_argument("--top", type=int, default=15)
    args = ap.parse_args()

    base = open(args.policy, encoding="utf-8").read()
    files = [os.path.join(args.datasets, f) for f in
             ("en_uci_sms.jsonl", "en_mendeley_smishing.jsonl", "en_nus_sms_ham.jsonl")]
    grid = itertools.product(
        (0.3, 0.4, 0.45),                    # model_scam_min
        (8.0, 12.0, 16.0, 24.0, 32.0),       # model_scam weight
        (5.0,),                              # model group cap: below warn + an identity claim
        (0.4, 0.5, 0.6),                     # model_spam_min
        (2.0, 3.0),                          # model_spam weight (below warn: spam never warns)
    )
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "policy.toml")
        for scam_min, scam_w, cap, spam_min, spam_w in grid:
            p = replace(base, "settings", "model_scam_min", scam_min)
            p = replace(p, "settings", "model_spam_min", spam_min)
            p = replace(p, "signals.model_scam", "weight", scam_w)
            p = replace(p, "signals.model_spam", "weight", spam_w)
            p = replace(p, "groups.model", "max", cap)
            open(path, "w", encoding="utf-8").write(p)
            cmd = [args.scamguard, "eval", "--quiet", "--json", "--split", "dev", "--mode", "both",
                   "--policy", path] + (["--model", args.model] if args.model else []) + files
            out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            r = out["files"]
            uci = f1(r["en_uci_sms.jsonl"]["unwanted"])
            men_scam = f1(r["en_mendeley_smishing.jsonl"]["classes"]["scam"])
            men_unw = f1(r["en_mendeley_smishing.jsonl"]["unwanted"])
            fpr = r["en_nus_sms_ham.jsonl"]["ham_flagged"] or 0.0
            score = (uci + men_scam + men_unw) / 3
            results.append((fpr <= args.max_fpr, score, uci, men_scam, men_unw, fpr,
                            (scam_min, scam_w, cap, spam_min, spam_w)))
            print(f"{(scam_min, scam_w, cap, spam_min, spam_w)}: score {score:.4f} "
                  f"uci {uci:.4f} mendeley scam {men_scam:.4f} unwanted {men_unw:.4f} "
                  f"nus fpr {fpr * 100:.2f}%", file=sys.stderr)
    results.sort(key=lambda x: (x[0], x[1]), reverse=True)
    print("| scam_min | scam weight | group cap | spam_min | spam weight | dev score | UCI F1 "
          "| Mendeley scam F1 | Mendeley unwanted F1 | NUS flagged % |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for ok, score, uci, ms, mu, fpr, knobs in results[: args.top]:
        print("| " + " | ".join(str(k) for k in knobs) +
              f" | {score * 100:.2f} | {uci * 100:.2f} | {ms * 100:.2f} | {mu * 100:.2f} | "
              f"{fpr * 100:.2f}{'' if ok else ' (over)'} |")


if __name__ == "__main__":
    main()
