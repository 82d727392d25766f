"""Tone classifier quality on NewsMTSC's held-out 20% (the split scripts/train_sentiment.py never
trains on), beside VADER with its default thresholds and the majority class of the training side.
Also the classifier's speed on news sentences and the per-class scores."""

from __future__ import annotations

import sys
import time

import numpy as np

from bench.common import ROOT, SHARED, report

sys.path.insert(0, str(ROOT / "scripts"))


def run() -> None:
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
    from train_sentiment import load

    from analysis.enrich.tone import ToneClassifier
    from analysis.enrich.tone_scores import vader_features, vader_label

    path = SHARED / "eval" / "newsmtsc" / "train.jsonl"
    if not path.exists():
        report("sentiment", [], [f"skipped: data not present ({path})"])
        return
    texts, y, test = load(path)
    held = [t for t, h in zip(texts, test, strict=True) if h]
    gold = y[test]
    unique = sorted(set(held))
    clf = ToneClassifier()
    clf.proba(["warm-up"])  # export or load the ONNX graph before timing
    t = time.perf_counter()
    proba = clf.proba(unique)
    secs = time.perf_counter() - t
    index = {s: i for i, s in enumerate(unique)}
    ours = proba[[index[s] for s in held]].argmax(axis=1)
    from analysis.enrich.tone_scores import THRESHOLD, tone

    _, labels = tone(proba[[index[s] for s in held]])
    rule = np.array([{"negative": 0, "neutral": 1, "positive": 2}[x] for x in labels])
    vader = vader_label(vader_features(held)[:, 3])
    majority = np.full(len(held), np.bincount(y[~test]).argmax())
    rows = []
    methods = (
        ("MiniLM distilled from a fine-tuned MPNet (shipped), most probable class", ours),
        (f"the same, label read off the score (|P(pos) - P(neg)| > {THRESHOLD}; shown in the app)", rule),
        ("VADER, default thresholds", vader),
        ("majority class", majority),
    )
    for name, pred in methods:
        f = precision_recall_fscore_support(gold, pred, labels=[0, 1, 2], zero_division=0)[2]
        rows.append(
            {
                "method": name,
                "examples": len(held),
                "accuracy": round(accuracy_score(gold, pred), 3),
                "macro_f1": round(f1_score(gold, pred, average="macro"), 3),
                "f1_neg_neu_pos": " / ".join(f"{v:.2f}" for v in f),
            }
        )
    notes = [
        f"held-out: {len(held)} sentence-target pairs ({len(unique)} sentences), 20% of train.jsonl by sentence id",
        f"classifier speed: {len(unique) / secs:.0f} sentences/s ({len(unique)} sentences, {secs:.1f} s)",
        f"weights: {clf.path.name} ({clf.key})",
    ]
    report("sentiment", rows, notes)


if __name__ == "__main__":
    run()
