#!/usr/bin/env python3
"""How high can F1 go, given how consistently the data is labelled? Train and dev only.

Measures, for en_mendeley_smishing.jsonl (the `scam` class F1, three classes ham/spam/scam) and
en_uci_sms.jsonl (`spam` vs `ham` F1), using ONLY the `train` and `dev` splits. Rows of the
`test` split are dropped when the files are read, so nothing here ever sees, tunes on or reports
test data.

Usage (from the repository root; needs scikit-learn and numpy, e.g. `pip install scikit-learn`):
  python3 bench/label_ceiling.py ../shared/datasets/messages
Runs in under a minute on two cores. Deterministic (fixed seeds).

What it prints
--------------
1. Duplicates and near-duplicates whose labels conflict, within train (train x train pairs) and
   between dev and train (dev x train pairs). Three relations, each a "near-identical copy":
     key    the normalised text is equal (lowercase, every digit -> 0, punctuation, symbols
            and whitespace removed), so "X29"/"X49" or "+447797706008"/"...009" coincide;
     jac    Jaccard similarity of the sets of character 5-grams (of the lowercased text, digits
            -> 0, runs of non-alphanumerics -> one space) is >= 0.8;
     cos    cosine of word 1-2-gram TF-IDF vectors (sublinear tf, IDF from train+dev text, no
            labels) is >= 0.9;
     any    any of the three.
   A pair "conflicts" when its two labels differ; conflicts are broken down by label pair.

2. Three simple label-consistency ceilings, one per relation:
   a. pair agreement F1. Take every near-identical pair (train x train and dev x train) in which
      at least one text carries the positive label (scam for Mendeley, spam for UCI); call A the
      pairs where both do and D the pairs where exactly one does. Reading one side as gold and the
      other as a prediction gives F1 = 2A / (2A + D): how well the dataset's labelling agrees with
      itself on the same content. A model that labels the same content the same way cannot be
      expected to agree with the labels better than the labels agree with themselves (on this
      templated, near-duplicated part of the data, which is where the check is possible).
   b. dev ceiling (train-consistent). For each dev text, take its most similar train text among
      those related to it (ties: majority label). If that "train twin" carries another label, a
      model that reproduces train's labelling on near-identical content is wrong on this dev
      text; every other dev text is assumed predicted correctly. The F1 of that prediction is the
      ceiling. It is an upper bound only for predictors that copy train's label on near-copies
      (which is what a model fitted on train tends to do); a predictor could instead be right on
      dev and "wrong" on the train copy, hence (c).
   c. pooled cluster ceiling. Join train and dev, link related texts, and take connected
      components (clusters of near-identical texts). Any predictor that gives one label to one
      cluster must miss every member of a mixed cluster that carries another label. The best
      F1 over train+dev over all such cluster-consistent labellings (each unmixed text correct,
      each mixed cluster labelled positive or not, chosen exactly by Dinkelbach iteration) is the
      ceiling. This is a true upper bound for cluster-consistent predictors, evaluated on
      train+dev.
   Then, for Mendeley only, a sweep of looser TF-IDF cosine thresholds (0.95 ... 0.6) to show
   how conflicts grow when "similar offer" rather than "same text" is required; below ~0.8 two
   texts may legitimately deserve different labels, so those rows are indications, not bounds.
   Also, Mendeley texts (train+dev) whose near-identical copy is a UCI spam text (train+dev):
   Mendeley's scam/spam split of UCI's single "spam" class.

3. Conventional models, fitted on train, evaluated on dev: TF-IDF word 1-2-grams + char_wb
   2-5-grams (sublinear tf) feeding LinearSVC (C in 0.1, 0.3, 1, 3) or one-vs-rest
   LogisticRegression (liblinear; C in 3, 10, 30, 100), each with and without balanced class
   weights.
   "CV-chosen" = the configuration with the best 5-fold cross-validated F1 on train, then scored
   once on dev (an honest dev figure, with a 95 % bootstrap interval over dev texts).
   "best on dev" = the maximum dev F1 over the whole grid (optimistic: selected on dev itself).
   Also the F1 of "unwanted" (spam or scam vs ham) and the confusion of the CV-chosen model, to
   show where the scam errors go (to ham, or to spam); and how many of its errors touching the
   positive class are "explained" by a related train text (the model predicted exactly the label
   that a near-identical, or cos >= 0.7 similar, train text carries), with the F1 it would have
   if those errors were forgiven: the part of the model's gap that label conflicts account for.

4. One Markdown summary table of all figures, and 10 conflicting near-identical pairs from
   Mendeley train/dev, texts truncated to 100 characters.

Nothing is written to disk.
"""

import os
import re
import sys
import time
from collections import Counter, defaultdict

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from records import load

SETS = {
    # file: (short name, positive class for the F1 of the target)
    "en_mendeley_smishing.jsonl": ("Mendeley", "scam"),
    "en_uci_sms.jsonl": ("UCI", "spam"),
}
JAC_T, COS_T = 0.8, 0.9
RELS = ("key", "jac", "cos", "any")
SEED = 0


# ----------------------------------------------------------------------------- data

def key_norm(t):
    return re.sub(r"[\W_]+", "", re.sub(r"\d", "0", t.lower()))


def light_norm(t):
    return " ".join(re.sub(r"[\W_]+", " ", re.sub(r"\d", "0", t.lower())).split())


def f1_counts(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def f1(gold, pred, pos):
    gold, pred = np.asarray(gold), np.asarray(pred)
    tp = int(np.sum((gold == pos) & (pred == pos)))
    fp = int(np.sum((gold != pos) & (pred == pos)))
    fn = int(np.sum((gold == pos) & (pred != pos)))
    return f1_counts(tp, fp, fn)


# ----------------------------------------------------------------------------- similarity

def similarity_pairs(recs):
    """All related pairs (i < j) over train+dev records, with their relations and similarities.

    Returns {(i, j): {"key": bool, "jac": float, "cos": float}} for pairs passing any relation.
    """
    texts = [r["text"] for r in recs]
    pairs = defaultdict(dict)

    # exact normalised key
    groups = defaultdict(list)
    for i, t in enumerate(texts):
        groups[key_norm(t)].append(i)
    for g in groups.values():
        for a in range(len(g)):
            for b in range(a + 1, len(g)):
                pairs[(g[a], g[b])]["key"] = True

    # character 5-gram Jaccard
    cv = CountVectorizer(analyzer="char", ngram_range=(5, 5), binary=True, lowercase=False,
                         preprocessor=light_norm)
    X = cv.fit_transform(texts).astype(np.float32).tocsr()
    sizes = np.asarray(X.sum(axis=1)).ravel()
    inter = (X @ X.T).tocoo()
    m = inter.row < inter.col
    r, c, v = inter.row[m], inter.col[m], inter.data[m]
    jac = v / (sizes[r] + sizes[c] - v)
    keep = jac >= JAC_T - 0.25  # lower ones kept only to rank pairs ("sim"); relations use JAC_T
    for i, j, s in zip(r[keep], c[keep], jac[keep]):
        pairs[(int(i), int(j))]["jac"] = float(s)

    # word 1-2-gram TF-IDF cosine (IDF from the unlabelled train+dev text)
    tv = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=light_norm)
    T = tv.fit_transform(texts)
    sim = (T @ T.T).tocoo()
    m = (sim.row < sim.col) & (sim.data >= 0.6 - 1e-9)
    for i, j, s in zip(sim.row[m], sim.col[m], sim.data[m]):
        pairs[(int(i), int(j))]["cos"] = float(s)

    out = {}
    for p, d in pairs.items():
        d.setdefault("key", False)
        d.setdefault("jac", 0.0)
        d.setdefault("cos", 0.0)
        out[p] = d
    return out


def related(d, rel, cos_t=COS_T):
    if rel == "key":
        return d["key"]
    if rel == "jac":
        return d["jac"] >= JAC_T
    if rel == "cos":
        return d["cos"] >= cos_t - 1e-9
    return d["key"] or d["jac"] >= JAC_T or d["cos"] >= cos_t - 1e-9


def strength(d):
    """One number to rank how similar a pair is (for the twin and the examples)."""
    return max(1.0 if d["key"] else 0.0, d["jac"], d["cos"])


# ----------------------------------------------------------------------------- ceilings

def best_cluster_f1(fixed_tp, fixed_fp, fixed_fn, mixed):
    """Exact max of F1 = 2TP/(2TP+FP+FN) when each mixed cluster (s positives, o others) is
    labelled wholly positive (TP+=s, FP+=o) or wholly not (FN+=s). Dinkelbach iteration."""
    lam = 0.0
    for _ in range(100):
        tp, fp, fn = fixed_tp, fixed_fp, fixed_fn
        for s, o in mixed:
            if s * (2 - lam) > lam * o:
                tp, fp = tp + s, fp + o
            else:
                fn += s
        new = f1_counts(tp, fp, fn)
        if abs(new - lam) < 1e-12:
            break
        lam = new
    return lam


def analyse_relation(recs, pairs, pos, rel, cos_t=COS_T):
    """Conflict counts and the three ceilings for one relation."""
    labels = [r["label"] for r in recs]
    split = [r["split"] for r in recs]
    res = {"tt": 0, "tt_conf": Counter(), "dt": 0, "dt_conf": Counter(), "A": 0, "D": 0,
           "examples": []}
    twin = {}  # dev index -> list of (strength, train label)
    parent = list(range(len(recs)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (i, j), d in pairs.items():
        if not related(d, rel, cos_t):
            continue
        si, sj = split[i], split[j]
        parent[find(i)] = find(j)
        if si == "dev" and sj == "dev":
            continue  # dev x dev pairs: not part of the train/dev comparison
        kind = "tt" if si == sj == "train" else "dt"
        res[kind] += 1
        li, lj = labels[i], labels[j]
        if li != lj:
            res[kind + "_conf"]["/".join(sorted((li, lj)))] += 1
            res["examples"].append((strength(d), kind, i, j))
        if pos in (li, lj):
            if li == lj:
                res["A"] += 1
            else:
                res["D"] += 1
        if kind == "dt":
            dv, tr = (i, j) if si == "dev" else (j, i)
            twin.setdefault(dv, []).append((strength(d), labels[tr]))

    res["pair_f1"] = f1_counts(res["A"], res["D"], 0) if res["A"] + res["D"] else None
    # (2A / (2A + D): one side gold, the other a prediction; the D disagreements are FP or FN)

    # b. dev ceiling: dev texts whose most similar train twin carries another label are wrong
    dev_idx = [k for k in range(len(recs)) if split[k] == "dev"]
    gold, pred = [], []
    res["dev_twin"] = 0
    res["dev_pos_twin"] = 0
    res["dev_conf"] = Counter()
    for k in dev_idx:
        g = labels[k]
        p = g
        if k in twin:
            res["dev_twin"] += 1
            res["dev_pos_twin"] += g == pos
            top = max(s for s, _ in twin[k])
            cand = Counter(lab for s, lab in twin[k] if s >= top - 1e-9)
            t = cand.most_common(1)[0][0]
            if t != g:
                p = t
                res["dev_conf"][f"{g}->{t}"] += 1
        gold.append(g)
        pred.append(p)
    res["dev_ceiling"] = f1(gold, pred, pos)
    res["dev_n_pos"] = sum(g == pos for g in gold)

    # c. pooled cluster ceiling over train+dev
    clusters = defaultdict(list)
    for k in range(len(recs)):
        clusters[find(k)].append(labels[k])
    tp = fp = fn = 0
    mixed = []
    for labs in clusters.values():
        s = sum(lab == pos for lab in labs)
        if len(set(labs)) == 1:
            tp += s  # unmixed cluster: labelled correctly
        elif s == 0:
            pass  # mixed among non-positive labels only: irrelevant to this F1
        else:
            mixed.append((s, len(labs) - s))
    res["mixed_clusters"] = len(mixed)
    res["cluster_ceiling"] = best_cluster_f1(tp, fp, fn, mixed)
    return res


# ----------------------------------------------------------------------------- models

def features():
    return FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                 min_df=2)),
    ])


GRID = ([("LinearSVC", c, w) for c in (0.1, 0.3, 1.0, 3.0) for w in (None, "balanced")]
        + [("LogReg", c, w) for c in (3.0, 10.0, 30.0, 100.0) for w in (None, "balanced")])


def model(kind, c, w):
    if kind == "LinearSVC":
        return LinearSVC(C=c, class_weight=w, max_iter=20000, random_state=SEED)
    # one-vs-rest liblinear: as accurate here as multinomial lbfgs, and ~20 times faster
    return OneVsRestClassifier(LogisticRegression(C=c, class_weight=w, solver="liblinear"))


def run_models(train, dev, pos):
    xt = [r["text"] for r in train]
    yt = np.array([r["label"] for r in train])
    xd = [r["text"] for r in dev]
    yd = np.array([r["label"] for r in dev])

    # 5-fold CV on train: features refitted inside each fold
    cv_scores = defaultdict(list)
    skf = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    for tr_i, va_i in skf.split(xt, yt):
        fe = features()
        Xa = fe.fit_transform([xt[i] for i in tr_i])
        Xb = fe.transform([xt[i] for i in va_i])
        for cfg in GRID:
            m = model(*cfg).fit(Xa, yt[tr_i])
            cv_scores[cfg].append(f1(yt[va_i], m.predict(Xb), pos))
    cv_mean = {cfg: float(np.mean(v)) for cfg, v in cv_scores.items()}

    fe = features()
    Xt = fe.fit_transform(xt)
    Xd = fe.transform(xd)
    dev_pred = {}
    dev_f1 = {}
    for cfg in GRID:
        p = model(*cfg).fit(Xt, yt).predict(Xd)
        dev_pred[cfg] = p
        dev_f1[cfg] = f1(yd, p, pos)
    chosen = max(GRID, key=lambda g: (cv_mean[g], -GRID.index(g)))
    best = max(GRID, key=lambda g: (dev_f1[g], -GRID.index(g)))

    # bootstrap 95 % interval of the CV-chosen model's dev F1
    rng = np.random.default_rng(SEED)
    p = dev_pred[chosen]
    boots = []
    for _ in range(2000):
        idx = rng.integers(0, len(yd), len(yd))
        boots.append(f1(yd[idx], p[idx], pos))
    lo, hi = np.percentile(boots, [2.5, 97.5])

    labels = sorted(set(yt) | set(yd), key=["ham", "spam", "scam"].index)
    conf = Counter(zip(yd, p))
    unwanted = f1(np.where(yd == "ham", "ham", "unw"), np.where(p == "ham", "ham", "unw"), "unw")
    return {"cv_mean": cv_mean, "dev_f1": dev_f1, "chosen": chosen, "best": best,
            "ci": (lo, hi), "labels": labels, "conf": conf, "unwanted": unwanted,
            "n_dev": len(yd), "pred": p, "gold": yd}


# ----------------------------------------------------------------------------- report

def pct(x):
    return "-" if x is None else f"{100 * x:.2f}"


def cfg_name(cfg):
    kind, c, w = cfg
    return f"{kind} C={c:g}{' balanced' if w else ''}"


def cut(t, n=100):
    t = " ".join(t.split())
    return t if len(t) <= n else t[: n - 1] + "…"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 bench/label_ceiling.py DATASETS_DIR (e.g. /work/shared/datasets/messages)")
    root = sys.argv[1]
    t0 = time.time()
    summary = []
    sweep_rows = []
    examples = []
    model_rows = []
    data = {}

    for fname, (name, pos) in SETS.items():
        # train and dev only: test rows are dropped as the file is read and never used
        recs = load(os.path.join(root, fname), {"train", "dev"})
        data[name] = recs
        n = Counter((r["split"], r["label"]) for r in recs)
        print(f"{name}: train {sum(v for (s, _), v in n.items() if s == 'train')} "
              f"({', '.join(f'{l} {v}' for (s, l), v in sorted(n.items()) if s == 'train')}), "
              f"dev {sum(v for (s, _), v in n.items() if s == 'dev')} "
              f"({', '.join(f'{l} {v}' for (s, l), v in sorted(n.items()) if s == 'dev')}); "
              f"test rows not loaded", file=sys.stderr)
        pairs = similarity_pairs(recs)
        for rel in RELS:
            res = analyse_relation(recs, pairs, pos, rel)
            summary.append((name, pos, rel, res))
            if name == "Mendeley" and rel == "any":
                examples = [e + (True,) for e in res["examples"]]
        if name == "Mendeley":
            for t in (0.95, 0.9, 0.85, 0.8, 0.7, 0.6):
                res = analyse_relation(recs, pairs, pos, "cos", cos_t=t)
                sweep_rows.append((t, res))
                if t == 0.7:  # fills the examples up if there are few near-identical ones
                    seen = {(e[2], e[3]) for e in examples}
                    examples += [e + (False,) for e in res["examples"]
                                 if (e[2], e[3]) not in seen]

        train = [r for r in recs if r["split"] == "train"]
        dev = [r for r in recs if r["split"] == "dev"]
        mr = run_models(train, dev, pos)
        # errors of the CV-chosen model that a near-identical (or similar) train text "explains":
        # the model predicted exactly the label that a related train text carries
        dev_k = [k for k, r in enumerate(recs) if r["split"] == "dev"]
        pos_in_dev = {k: n_ for n_, k in enumerate(dev_k)}
        for tag, rel, ct in (("any", "any", COS_T), ("cos>=0.7", "cos", 0.7)):
            twin_labels = defaultdict(set)
            for (i, j), d in pairs.items():
                if related(d, rel, ct) and {recs[i]["split"], recs[j]["split"]} == {"dev", "train"}:
                    dv_, tr_ = (i, j) if recs[i]["split"] == "dev" else (j, i)
                    twin_labels[pos_in_dev[dv_]].add(recs[tr_]["label"])
            g, p = mr["gold"], mr["pred"].copy()
            err = [n_ for n_ in range(len(g)) if g[n_] != p[n_] and pos in (g[n_], p[n_])]
            expl = [n_ for n_ in err if p[n_] in twin_labels.get(n_, ())]
            for n_ in expl:
                p[n_] = g[n_]
            mr.setdefault("explained", []).append((tag, len(err), len(expl), f1(g, p, pos)))
        model_rows.append((name, pos, mr))
        print(f"{name}: done after {time.time() - t0:.0f} s", file=sys.stderr)

    # Mendeley spam/scam texts that are near-copies of UCI spam (train+dev of both)
    men = [r for r in data["Mendeley"] if r["label"] != "ham"]
    uci = [r for r in data["UCI"]]
    both = [dict(r, src="M") for r in men] + [dict(r, src="U") for r in uci]
    cp = similarity_pairs(both)
    linked = defaultdict(set)
    for (i, j), d in cp.items():
        if related(d, "any") and both[i]["src"] != both[j]["src"]:
            m_, u_ = (i, j) if both[i]["src"] == "M" else (j, i)
            linked[m_].add(both[u_]["label"])
    cross = Counter()
    for m_, labs in linked.items():
        cross[(both[m_]["label"], "UCI spam" if "spam" in labs else "UCI ham")] += 1

    # ------------------------------------------------------------------ output
    print("## 1. Near-identical pairs with conflicting labels (train and dev only)\n")
    print(f"Relations: key = equal after normalisation (lowercase, digits->0, no punctuation or "
          f"spaces); jac = char 5-gram Jaccard >= {JAC_T}; cos = word 1-2-gram TF-IDF cosine "
          f">= {COS_T}; any = union.\n")
    print("| set | rel | train×train pairs | conflicting | by labels | dev×train pairs | "
          "conflicting | by labels |")
    print("|---|---|---:|---:|---|---:|---:|---|")
    for name, pos, rel, r in summary:
        print(f"| {name} | {rel} | {r['tt']} | {sum(r['tt_conf'].values())} | "
              f"{', '.join(f'{k} {v}' for k, v in sorted(r['tt_conf'].items())) or '-'} | "
              f"{r['dt']} | {sum(r['dt_conf'].values())} | "
              f"{', '.join(f'{k} {v}' for k, v in sorted(r['dt_conf'].items())) or '-'} |")

    print("\n## 2. Label-consistency ceilings\n")
    print("pair agreement = 2A/(2A+D) over near-identical train×train and dev×train pairs "
          "touching the positive class; dev ceiling = F1 on dev if exactly the dev texts whose "
          "nearest near-identical train text has another label are wrong; cluster ceiling = best "
          "F1 on train+dev of any labelling giving one label per near-identical cluster.\n")
    print("| set (F1 of) | rel | pos pairs agree / disagree | pair agreement F1 | dev texts with "
          "a train twin (pos) | dev conflicts | dev ceiling F1 | mixed clusters | "
          "cluster ceiling F1 |")
    print("|---|---|---:|---:|---:|---|---:|---:|---:|")
    for name, pos, rel, r in summary:
        print(f"| {name} ({pos}) | {rel} | {r['A']} / {r['D']} | {pct(r['pair_f1'])} | "
              f"{r['dev_twin']} ({r['dev_pos_twin']} of {r['dev_n_pos']}) | "
              f"{', '.join(f'{k} {v}' for k, v in sorted(r['dev_conf'].items())) or '-'} | "
              f"{pct(r['dev_ceiling'])} | {r['mixed_clusters']} | {pct(r['cluster_ceiling'])} |")

    print("\nMendeley, looser TF-IDF cosine thresholds (below ~0.8 texts are similar, not the "
          "same: indications, not bounds):\n")
    print("| cos >= | train×train conflicts | dev×train conflicts | scam pairs agree / disagree "
          "| pair agreement F1 | dev conflicts | dev ceiling F1 | cluster ceiling F1 |")
    print("|---:|---:|---:|---:|---:|---|---:|---:|")
    for t, r in sweep_rows:
        print(f"| {t} | {sum(r['tt_conf'].values())} | {sum(r['dt_conf'].values())} | "
              f"{r['A']} / {r['D']} | {pct(r['pair_f1'])} | "
              f"{', '.join(f'{k} {v}' for k, v in sorted(r['dev_conf'].items())) or '-'} | "
              f"{pct(r['dev_ceiling'])} | {pct(r['cluster_ceiling'])} |")

    print("\nMendeley spam/scam texts (train+dev) with a near-identical ('any') copy in UCI "
          "(train+dev):\n")
    print("| Mendeley label | texts (train+dev) | copy of a UCI spam text | copy of UCI ham only |")
    print("|---|---:|---:|---:|")
    for lab in ("spam", "scam"):
        tot = sum(1 for r in men if r["label"] == lab)
        print(f"| {lab} | {tot} | {cross[(lab, 'UCI spam')]} | {cross[(lab, 'UCI ham')]} |")

    print("\n## 3. Conventional models, train -> dev\n")
    print("Features: TF-IDF word 1-2-grams + char_wb 2-5-grams (sublinear tf). Grid: LinearSVC "
          "C 0.1/0.3/1/3, one-vs-rest LogisticRegression C 3/10/30/100, each with/without balanced weights.\n")
    print("| set (F1 of) | CV-chosen config (5-fold on train) | train CV F1 | dev F1 "
          "[95 % bootstrap] | best dev F1 over grid (optimistic) | its config | "
          "dev unwanted F1 (CV-chosen) |")
    print("|---|---|---:|---:|---:|---|---:|")
    for name, pos, mr in model_rows:
        ch, be = mr["chosen"], mr["best"]
        print(f"| {name} ({pos}) | {cfg_name(ch)} | {pct(mr['cv_mean'][ch])} | "
              f"{pct(mr['dev_f1'][ch])} [{pct(mr['ci'][0])}, {pct(mr['ci'][1])}] | "
              f"{pct(mr['dev_f1'][be])} | {cfg_name(be)} | {pct(mr['unwanted'])} |")
    print("\nErrors of the CV-chosen model that touch the positive class (gold or predicted), and "
          "how many of them a related train text explains (the model predicted the label that a "
          "near-identical, or cos >= 0.7 similar, train text carries); F1 if those were forgiven:\n")
    print("| set (F1 of) | relation | errors touching the class | explained by a train twin | "
          "dev F1 | F1 with explained errors forgiven |")
    print("|---|---|---:|---:|---:|---:|")
    for name, pos, mr in model_rows:
        for tag, ne, nx, fx in mr["explained"]:
            print(f"| {name} ({pos}) | {tag} | {ne} | {nx} | {pct(mr['dev_f1'][mr['chosen']])} | "
                  f"{pct(fx)} |")
    for name, pos, mr in model_rows:
        labs = mr["labels"]
        print(f"\n{name} dev confusion of the CV-chosen model (rows gold, columns predicted):\n")
        print("| gold \\ pred | " + " | ".join(labs) + " |")
        print("|---|" + "---:|" * len(labs))
        for g in labs:
            print(f"| {g} | " + " | ".join(str(mr["conf"][(g, p)]) for p in labs) + " |")
    print("\nAll grid points (train CV F1 / dev F1):\n")
    print("| config | " + " | ".join(f"{n} CV | {n} dev" for n, _, _ in model_rows) + " |")
    print("|---|" + "---:|---:|" * len(model_rows))
    for cfg in GRID:
        print(f"| {cfg_name(cfg)} | " + " | ".join(
            f"{pct(mr['cv_mean'][cfg])} | {pct(mr['dev_f1'][cfg])}" for _, _, mr in model_rows)
            + " |")

    print("\n## 4. Summary\n")
    print("| set (F1 of) | pair agreement F1 (any) | dev ceiling F1 (any) | cluster ceiling F1 "
          "(any) | dev ceiling F1 (cos >= 0.7) | model dev F1, CV-chosen | model dev F1, best on "
          "dev | model dev F1, conflict-explained errors forgiven (any / cos >= 0.7) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    loose = dict(sweep_rows).get(0.7)
    for name, pos, mr in model_rows:
        r = next(r for n, _, rel, r in summary if n == name and rel == "any")
        lc = pct(loose["dev_ceiling"]) if name == "Mendeley" and loose else "-"
        print(f"| {name} ({pos}) | {pct(r['pair_f1'])} | {pct(r['dev_ceiling'])} | "
              f"{pct(r['cluster_ceiling'])} | {lc} | {pct(mr['dev_f1'][mr['chosen']])} | "
              f"{pct(mr['dev_f1'][mr['best']])} | "
              f"{' / '.join(pct(e[3]) for e in mr['explained'])} |")

    print("\n## 5. Mendeley: 10 conflicting near-identical pairs (train/dev)\n")
    print("sim = max(key match 1.0, char 5-gram Jaccard, word TF-IDF cosine). near-identical = "
          "'any' relation; rows marked 'cos>=0.7' only fill the list up when there are fewer "
          "than 10 near-identical conflicts with distinct texts.\n")
    recs = data["Mendeley"]
    # near-identical first, then pairs involving scam, then the most similar; one per text
    examples.sort(key=lambda e: (not e[4],
                                 "scam" not in (recs[e[2]]["label"], recs[e[3]]["label"]),
                                 -e[0]))
    used = set()
    shown = 0
    print("| sim | relation | splits | label A | text A | label B | text B |")
    print("|---:|---|---|---|---|---|---|")
    for s, kind, i, j, near in examples:
        if i in used or j in used:
            continue
        used |= {i, j}
        a, b = recs[i], recs[j]
        esc = lambda t: cut(t).replace("|", "\\|")  # noqa: E731
        print(f"| {s:.2f} | {'near-identical' if near else 'cos>=0.7'} | {a['split']}/{b['split']} | {a['label']} | {esc(a['text'])} | "
              f"{b['label']} | {esc(b['text'])} |")
        shown += 1
        if shown == 10:
            break
    print(f"\n(ran in {time.time() - t0:.0f} s; train and dev splits only)")


if __name__ == "__main__":
    main()
