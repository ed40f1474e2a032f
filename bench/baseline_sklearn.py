#!/usr/bin/env python3
"""The baseline people would pick: TF-IDF + logistic regression (scikit-learn), side by side
with scamguard's own classifier on the same splits, quality and throughput measured in one run.

What it does:
  1. reads the `train` and `dev` splits of the training datasets (JSON Lines, the
     ../shared/datasets format); a text that occurs twice keeps its most specific label (scam
     over spam over ham), exactly as `scamguard train` does;
  2. fits, per language, the usual pipeline: character 1-3-gram TF-IDF for Chinese, word
     1-2-gram plus character 3-5-gram (within word boundaries) TF-IDF for everything else, both
     with sublinear tf, then multinomial logistic regression; C and class weighting are chosen
     on dev (mean F1 of the unwanted classes);
  3. predicts the `test` split of every evaluation dataset, timing vectorisation plus
     prediction on one core (the process is pinned to one CPU, BLAS/OpenMP to one thread);
  4. runs `scamguard eval --mode model` and `--mode both` on the same test files with the given
     model, which report their own quality and single-thread throughput;
  5. prints one Markdown table: F1 (or recall, or false-positive rate) of both systems and the
     throughput ratio per set.

Usage (from the repository root, after `cargo build --release`):
  python3 -m venv bench/.venv && bench/.venv/bin/pip install scikit-learn
  bench/.venv/bin/python bench/baseline_sklearn.py \
      --datasets ../shared/datasets/messages \
      --train en_uci_sms.jsonl en_mendeley_smishing.jsonl \
      --model crates/core/data/model.bin

--train defaults to every file in --datasets; --eval (the test files) likewise.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
import unicodedata

# One core, one thread, before numpy is imported.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
try:
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
except (AttributeError, OSError):
    pass

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import FeatureUnion, make_pipeline  # noqa: E402

from records import load  # noqa: E402

CLASSES = ["ham", "spam", "scam"]
SEVERITY = {c: i for i, c in enumerate(CLASSES)}


def fold(label):
    """The three message classes, as scamguard's eval folds dataset labels."""
    if label in ("ham", "benign", "normal"):
        return "ham"
    if label == "spam":
        return "spam"
    return "scam"


def is_zh(r):
    return r.get("lang") == "zh"


def merge(records):
    """One record per normalised text, keeping the most specific label."""
    seen = {}
    out = []
    for r in records:
        key = " ".join(unicodedata.normalize("NFKC", r["text"]).lower().split())
        c = fold(r["label"])
        if key in seen:
            kept = out[seen[key]]
            if SEVERITY[c] > SEVERITY[kept["class"]]:
                kept["class"] = c
            continue
        seen[key] = len(out)
        out.append({"text": r["text"], "class": c, "zh": is_zh(r)})
    return out


def vectoriser(zh):
    if zh:
        return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    return FeatureUnion(
        [
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)),
        ]
    )


def metrics(gold, pred):
    """Counts and rates as `scamguard eval` reports them."""
    res = {}
    unwanted = [0, 0, 0, 0]  # tp fp fn tn
    for g, p in zip(gold, pred):
        pu, gu = p != "ham", g != "ham"
        unwanted[0 if pu and gu else 1 if pu else 2 if gu else 3] += 1

    def prf(tp, fp, fn):
        p = tp / (tp + fp) if tp + fp else None
        r = tp / (tp + fn) if tp + fn else None
        f = (2 * p * r / (p + r) if p + r else 0.0) if p is not None and r is not None else None
        return p, r, f

    res["unwanted"] = prf(unwanted[0], unwanted[1], unwanted[2])
    res["ham_flagged"] = unwanted[1] / (unwanted[1] + unwanted[3]) if unwanted[1] + unwanted[3] else None
    for c in ("spam", "scam"):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        res[c] = prf(tp, fp, fn) if tp + fn else (None, None, None)
    return res


def macro_f1(gold, pred):
    fs = []
    for c in ("spam", "scam"):
        if c not in gold:
            continue
        f = metrics(gold, pred)[c][2]
        fs.append(f or 0.0)
    return sum(fs) / len(fs) if fs else 0.0


def fit(train, dev, zh):
    """The best pipeline on dev over C and class weighting."""
    xs = [r["text"] for r in train]
    ys = [r["class"] for r in train]
    dx = [r["text"] for r in dev]
    dy = [r["class"] for r in dev]
    best = None
    for weight in (None, "balanced"):
        for c in (1.0, 10.0, 100.0):
            pipe = make_pipeline(
                vectoriser(zh), LogisticRegression(C=c, class_weight=weight, max_iter=2000)
            )
            pipe.fit(xs, ys)
            score = macro_f1(dy, list(pipe.predict(dx))) if dx else 0.0
            print(f"  {'zh' if zh else 'other'} C={c} class_weight={weight}: dev macro-F1 {score:.4f}",
                  file=sys.stderr)
            if best is None or score > best[0]:
                best = (score, pipe, c, weight)
    return best


def timed(fn, min_seconds):
    n, start = 0, time.perf_counter()
    while True:
        out = fn()
        n += 1
        el = time.perf_counter() - start
        if el >= min_seconds:
            return out, n, el


def ours(binary, mode, model, files, min_seconds, split):
    cmd = [binary, "eval", "--quiet", "--json", "--split", split, "--mode", mode,
           "--min-seconds", str(min_seconds)]
    if model:
        cmd += ["--model", model]
    cmd += files
    # The child inherits this process's affinity: the same single core as the baseline.
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["files"], " ".join(cmd)


def pct(x):
    return "-" if x is None else f"{x * 100:.2f}"


def write_fold(spec, out_dir, paths):
    """The copies of --write-fold: a train row is in fold K when a stable hash of its
    normalised text (as `merge` keys it, so that copies of one text share a fold) is K modulo
    N. The real test rows are dropped as the file is read (records.load)."""
    k, n = (int(x) for x in spec.split("/"))
    if not 0 <= k < n or not out_dir:
        sys.exit("--write-fold K/N needs 0 <= K < N and --fold-dir")
    os.makedirs(out_dir, exist_ok=True)
    for p in paths:
        held = 0
        with open(os.path.join(out_dir, os.path.basename(p)), "w", encoding="utf-8") as f:
            for r in load(p, {"train", "dev"}):
                key = " ".join(unicodedata.normalize("NFKC", r["text"]).lower().split())
                h = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")
                if r["split"] == "train" and h % n == k:
                    r = dict(r, split="test")
                    held += 1
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{os.path.basename(p)}: fold {k}/{n}: {held} train rows held out", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--datasets", required=True, help="directory of message datasets")
    ap.add_argument("--train", nargs="*",
                    help="training files: names in --datasets, or paths; default every file there")
    ap.add_argument("--eval", nargs="*",
                    help="test files: names in --datasets, or paths; default every file there")
    ap.add_argument("--scamguard", default="target/release/scamguard")
    ap.add_argument("--model", help="scamguard model file (default: the built-in model)")
    ap.add_argument("--min-seconds", type=float, default=0.5,
                    help="time each file's predictions for at least this long")
    ap.add_argument("--json", help="also write the results as JSON to this file")
    ap.add_argument("--baseline-only", action="store_true",
                    help="print the baseline's figures alone, without running scamguard")
    ap.add_argument("--split", default="test",
                    help="split to report on: test (the default), or dev while developing")
    ap.add_argument("--predictions",
                    help="write the baseline's class for every record of --split to this JSON "
                         "Lines file (file, id, label, predicted), for error analysis")
    ap.add_argument("--write-fold", metavar="K/N",
                    help="write, into --fold-dir, a copy of each --eval file for fold K of N of "
                         "its train split: its test rows dropped, the train rows of fold K "
                         "relabelled `test` (held out), everything else unchanged; then exit. "
                         "Both systems then train on the copies and report with --split test: a "
                         "k-fold estimate on train, more texts than dev, without reading test")
    ap.add_argument("--fold-dir", help="where --write-fold writes its copies")
    args = ap.parse_args()

    names = sorted(f for f in os.listdir(args.datasets) if f.endswith(".jsonl"))

    def path(n):
        # A bare name is a file of --datasets; anything else is a path.
        return n if os.sep in n else os.path.join(args.datasets, n)

    if args.write_fold:
        write_fold(args.write_fold, args.fold_dir, [path(n) for n in (args.eval or names)])
        return

    train_names = args.train or names
    # (file name, path) of each test file
    evals = [(os.path.basename(n), path(n)) for n in (args.eval or names)]

    train_recs, dev_recs = [], []
    for n in train_names:
        for r in load(path(n), {"train", "dev"}):
            (train_recs if r["split"] == "train" else dev_recs).append(r)
    train, dev = merge(train_recs), merge(dev_recs)
    print(f"baseline: {len(train)} train and {len(dev)} dev texts from {', '.join(train_names)}",
          file=sys.stderr)

    pipes = {}
    for zh in (False, True):
        tr = [r for r in train if r["zh"] == zh]
        dv = [r for r in dev if r["zh"] == zh]
        if len({r["class"] for r in tr}) < 2:
            continue
        score, pipe, c, weight = fit(tr, dv, zh)
        pipes[zh] = pipe
        print(f"  chose C={c} class_weight={weight} (dev macro-F1 {score:.4f})", file=sys.stderr)

    base = {}
    out = open(args.predictions, "w", encoding="utf-8") if args.predictions else None
    for n, p in evals:
        recs = load(p, {args.split})
        if not recs:
            continue
        gold = [fold(r["label"]) for r in recs]
        zh = is_zh(recs[0])
        texts = [r["text"] for r in recs]
        if zh in pipes:
            pipe = pipes[zh]
            pred, runs, secs = timed(lambda: list(pipe.predict(texts)), args.min_seconds)
            rate = runs * len(texts) / secs
        else:
            pred, rate = ["ham"] * len(texts), None  # no model for this language: all ham
        base[n] = {"metrics": metrics(gold, pred), "per_second": rate, "records": len(texts)}
        if out:
            for r, g in zip(recs, pred):
                out.write(json.dumps({"file": n, "id": r.get("id"), "label": r["label"],
                                      "predicted": str(g)}, ensure_ascii=False) + "\n")
    if out:
        out.close()

    if args.baseline_only:
        print("| test set | records | metric | sklearn TF-IDF+LR | unwanted F1 % | sklearn msg/s |")
        print("|---|---:|---|---:|---:|---:|")
        for n, p in evals:
            if n not in base:
                continue
            what, val = headline(base[n]["metrics"], set(fold(r["label"]) for r in load(p, {args.split})))
            rate = "-" if base[n]["per_second"] is None else f"{base[n]['per_second']:,.0f}"
            uf1 = base[n]["metrics"]["unwanted"][2]
            print(f"| {n} | {base[n]['records']} | {what} | {pct(val)} | {pct(uf1)} | {rate} |")
        return

    files = [p for n, p in evals if n in base]
    model_res, model_cmd = ours(args.scamguard, "model", args.model, files, args.min_seconds,
                                args.split)
    both_res, both_cmd = ours(args.scamguard, "both", args.model, files, 0, args.split)

    rows = []
    for n, p in evals:
        if n not in base:
            continue
        b = base[n]["metrics"]
        m, bo = model_res.get(n), both_res.get(n)
        labels = set(fold(r["label"]) for r in load(p, {args.split}))
        if labels == {"ham"}:
            what = "ham flagged % (lower is better)"
            vals = (b["ham_flagged"], m["ham_flagged"], bo["ham_flagged"])
        elif "ham" not in labels:
            what = "recall % (unwanted)"
            vals = (b["unwanted"][1], rate_of(m, "unwanted", 1), rate_of(bo, "unwanted", 1))
        elif "scam" in labels:
            what = "F1 % (scam)"
            vals = (b["scam"][2], rate_of(m, "scam", 2), rate_of(bo, "scam", 2))
        else:
            what = "F1 % (unwanted)"
            vals = (b["unwanted"][2], rate_of(m, "unwanted", 2), rate_of(bo, "unwanted", 2))
        ours_rate = m["messages_per_second"]
        ratio = ours_rate / base[n]["per_second"] if base[n]["per_second"] else None
        rows.append({
            "file": n, "records": base[n]["records"], "metric": what,
            "baseline": vals[0], "model": vals[1], "both": vals[2],
            "baseline_per_second": base[n]["per_second"], "model_per_second": ours_rate,
            "ratio": ratio,
        })

    print(f"\n# {model_cmd}\n# {both_cmd}\n")
    print("| test set | records | metric | sklearn TF-IDF+LR | scamguard model | scamguard rules+model "
          "| sklearn msg/s | scamguard model msg/s | speed-up |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        rate = "-" if r["baseline_per_second"] is None else f"{r['baseline_per_second']:,.0f}"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.0f}×"
        print(f"| {r['file']} | {r['records']} | {r['metric']} | {pct(r['baseline'])} | "
              f"{pct(r['model'])} | {pct(r['both'])} | {rate} | {r['model_per_second']:,.0f} | {ratio} |")
    tb = sum(r["records"] for r in rows if r["baseline_per_second"])
    sb = sum(r["records"] / r["baseline_per_second"] for r in rows if r["baseline_per_second"])
    so = sum(r["records"] / r["model_per_second"] for r in rows if r["baseline_per_second"])
    if sb and so:
        print(f"\nall sets: sklearn {tb / sb:,.0f} msg/s, scamguard {tb / so:,.0f} msg/s, "
              f"speed-up {sb / so:.0f}× (one core each)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "commands": [model_cmd, both_cmd]}, f, indent=2)


def headline(m, labels):
    """The figure a set is judged by, from the baseline's metrics: ham flagged for ham-only
    sets, recall for sets without ham, scam F1 where there is a scam class, else unwanted F1."""
    if labels == {"ham"}:
        return "ham flagged % (lower is better)", m["ham_flagged"]
    if "ham" not in labels:
        return "recall % (unwanted)", m["unwanted"][1]
    if "scam" in labels:
        return "F1 % (scam)", m["scam"][2]
    return "F1 % (unwanted)", m["unwanted"][2]


def rate_of(res, key, which):
    """Precision (0), recall (1) or F1 (2) from scamguard's JSON counts."""
    counts = res["unwanted"] if key == "unwanted" else res["classes"].get(key)
    if counts is None:
        return None
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn_"]
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    if which == 0:
        return p
    if which == 1:
        return r
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
