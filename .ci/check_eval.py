"""Floors for the dataset evaluation in .ci/run: a regression below these fails CI.

The floors sit a little under the figures recorded in docs/evaluation.md, so that CI catches a
real drop without failing on noise. Raise them when the engine improves.

`check_eval.py EVAL.json` checks the shipped engine; `check_eval.py --train-defaults EVAL.json`
checks a model trained with `scamguard train`'s defaults on the train splits of five sets
(`--mode model`, test splits; docs/evaluation.md, "`scamguard train` defaults against the
baseline").
"""
import json
import sys

FLOORS = {
    # file: (metric path, minimum) — "ham_flagged" is a maximum
    "en_nus_sms_ham.jsonl": [("ham_flagged", "max", 0.005)],
    # Recall 61.3 -> 57.3 on 2026-12-06: 4 points had come from organisations misread as the
    # sender's self-introduction several clauses after "我是" (docs/evaluation.md).
    "zh_telecom_fraud5.jsonl": [("classes.scam.precision", "min", 0.95), ("classes.scam.recall", "min", 0.55)],
    "en_smishtank.jsonl": [("unwanted.recall", "min", 0.65)],
    "en_uci_sms.jsonl": [("unwanted.recall", "min", 0.90)],
    # Genuine Chinese dialogue (Apache-2.0): 1 of 4,717 test turns flagged (0.02 %) on 2026-12-07.
    "zh_dialogue_ham.jsonl": [("ham_flagged", "max", 0.001)],
}

# `scamguard train` defaults: about a point under the test figures of 2026-12-07 (UCI 95.57,
# Mendeley scam 86.62, ExAIS 81.60, fraud scam 99.84, mudou 95.04, NUS ham flagged 0.69 %).
# Training is deterministic (seed 1), so a drop here is a change in the trainer or features.
TRAIN_FLOORS = {
    "en_uci_sms.jsonl": [("unwanted.f1", "min", 0.945)],
    "en_mendeley_smishing.jsonl": [("classes.scam.f1", "min", 0.855)],
    "en_exais_sms.jsonl": [("unwanted.f1", "min", 0.805)],
    "zh_telecom_fraud5.jsonl": [("classes.scam.f1", "min", 0.99)],
    "zh_mudou_sms.jsonl": [("unwanted.f1", "min", 0.94)],
    "en_nus_sms_ham.jsonl": [("ham_flagged", "max", 0.01)],
}

def metric(result, path):
    node = result
    for part in path.split("."):
        node = node[part]
    if isinstance(node, dict):  # Counts: compute the ratio named by the last part
        raise KeyError(path)
    return node


def counts_metric(result, path):
    *head, name = path.split(".")
    node = result
    for part in head:
        node = node[part]
    tp, fp, fn = node["tp"], node["fp"], node["fn_"]
    if name == "precision":
        return tp / (tp + fp) if tp + fp else None
    if name == "recall":
        return tp / (tp + fn) if tp + fn else None
    if name == "f1":
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    raise KeyError(path)


def main():
    args = sys.argv[1:]
    floors = FLOORS
    if args and args[0] == "--train-defaults":
        floors = TRAIN_FLOORS
        args = args[1:]
    data = json.load(open(args[0]))
    files = data["files"]
    failed = False
    for name, checks in floors.items():
        if name not in files:
            print(f"missing {name} in the evaluation", file=sys.stderr)
            failed = True
            continue
        for path, kind, bound in checks:
            try:
                value = metric(files[name], path)
            except (KeyError, TypeError):
                value = counts_metric(files[name], path)
            ok = value is not None and (value <= bound if kind == "max" else value >= bound)
            print(f"{'ok  ' if ok else 'FAIL'} {name}: {path} = {value} ({kind} {bound})")
            failed |= not ok
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
