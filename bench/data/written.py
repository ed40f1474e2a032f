"""What the written-message generators (write_en_messages.py, write_zh_messages.py) share: the
record format of ../shared/datasets, the split of a text, and how the file is written."""

import hashlib
import json
import os


def split_of(text):
    """70/15/15 train/dev/test by a hash of the text (case and spacing ignored), so that a
    text's split never depends on what else the generator wrote."""
    h = int(hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()[:8], 16) % 100
    return "train" if h < 70 else "dev" if h < 85 else "test"


def unique_texts(gen, n, seen, key=lambda t: t):
    """Up to `n` texts from `gen()` whose `key` is not in `seen` (each is added to it), asking
    `gen` at most 50 times per text wanted. `seen` may grow between texts: callers add the
    variants they derive."""
    made = 0
    for _ in range(n * 50):
        if made == n:
            return
        t = gen()
        k = key(t)
        if k in seen:
            continue
        seen.add(k)
        made += 1
        yield t


def record(dataset, lang, index, text, label, category):
    """One record in the ../shared/datasets format."""
    return {"id": f"{dataset}-{index:06d}", "text": text, "label": label, "lang": lang,
            "split": split_of(text), "dataset": dataset, "category": category}


def write(rows, file_name):
    """Writes `rows` as JSON Lines next to this script and prints the counts per label and split."""
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), file_name)
    with open(out_path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = {}
    for r in rows:
        counts[(r["label"], r["split"])] = counts.get((r["label"], r["split"]), 0) + 1
    print(f"wrote {len(rows)} records to {out_path}: {sorted(counts.items())}")
