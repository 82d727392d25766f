"""Train the shipped tone classifier on NewsMTSC and report held-out quality.

Usage: python scripts/train_sentiment.py [PATH/TO/newsmtsc/train.jsonl]
Each (sentence, target) pair is one example with its gold polarity (2 negative, 4 neutral,
6 positive). A stable 80/20 split by sentence id keeps every sentence in one side. Features: the
MiniLM embedding of the sentence and VADER's four scores. Writes analysis/resources/sentiment_newsmtsc.npz
and prints accuracy and macro-F1 on the held-out 20% beside VADER and the majority class.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT.parent / "shared" / "data" / "eval" / "newsmtsc" / "train.jsonl"
POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}


def load(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sentences (one per example), labels, and a held-out mask (stable by sentence id)."""
    texts, labels, test = [], [], []
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        sent = row["sentence_normalized"]
        held = int(hashlib.sha1(row["primary_gid"].encode()).hexdigest(), 16) % 5 == 0
        for target in row["targets"]:
            texts.append(sent)
            labels.append(POLARITY[float(target["polarity"])])
            test.append(held)
    return texts, np.array(labels), np.array(test)


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    from analysis.embeddings import get_embedder
    from analysis.sentiment import ToneModel, vader_features, vader_label

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not path.exists():
        sys.exit(f"{path} not found; pass the path of NewsMTSC's train.jsonl.")
    texts, y, test = load(path)
    unique = sorted(set(texts))
    embedder = get_embedder()
    vecs = embedder.encode(unique)
    index = {t: i for i, t in enumerate(unique)}
    emb = vecs[[index[t] for t in texts]]
    x = np.hstack([emb, vader_features(texts)])
    mean, scale = x[~test].mean(axis=0), x[~test].std(axis=0) + 1e-6
    xs = (x - mean) / scale
    best = None
    for c in (0.0003, 0.001, 0.003, 0.01, 0.03):
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        # Choose C on a validation slice of the training side only.
        train_idx = np.where(~test)[0]
        val = train_idx[::5]
        fit_idx = np.setdiff1d(train_idx, val)
        clf.fit(xs[fit_idx], y[fit_idx])
        f1 = f1_score(y[val], clf.predict(xs[val]), average="macro")
        if best is None or f1 > best[0]:
            best = (f1, c)
    clf = LogisticRegression(C=best[1], class_weight="balanced", max_iter=2000).fit(xs[~test], y[~test])
    pred = clf.predict(xs[test])
    vader = vader_label(x[test, -1])
    majority = np.full(test.sum(), np.bincount(y[~test]).argmax())
    print(f"examples: {len(y)} ({(~test).sum()} train, {test.sum()} held out); C = {best[1]}")
    for name, p in (("classifier", pred), ("VADER", vader), ("majority class", majority)):
        acc, f1 = accuracy_score(y[test], p), f1_score(y[test], p, average="macro")
        print(f"{name:>15}: accuracy {acc:.3f}, macro-F1 {f1:.3f}")
    ToneModel(clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32), mean.astype(np.float32),
              scale.astype(np.float32), embedder.name).save()  # fmt: skip
    print("wrote analysis/resources/sentiment_newsmtsc.npz")


if __name__ == "__main__":
    main()
