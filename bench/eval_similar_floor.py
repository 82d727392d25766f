"""The similarity floor of "related coverage" on the Article page: for 3,000 demo articles, their nearest articles
from other outlets within 14 days (as the Article page finds them), by cosine bin: how many share the article's
AllSides topic (103 fine topics, a strict proxy for "on the same subject") and how many are its own story. The
floor (analysis.explore.article.RELATED_FLOOR) is where a listed article outside the story becomes about as likely
on the subject as off it."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import ROOT, report


def run() -> None:
    from analysis.explore.article import RELATED_FLOOR
    from analysis.explore.similar import similar_from_other_outlets
    from analysis.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        subprocess.run(
            [sys.executable, "-m", "analysis", "demo", "--db", str(db)], cwd=ROOT, check=True, capture_output=True
        )
        with Store(db, readonly=True) as s:
            df = s.frame(
                "SELECT id, outlet, published, content_hash, extra FROM articles WHERE duplicate_of IS NULL ORDER BY id"
            )
            blobs = s.vectors.cached("all-MiniLM-L6-v2", df["content_hash"].tolist())
            stories = dict(s.execute("SELECT article_id, story_id FROM story_members").fetchall())
    df = df[df["content_hash"].isin(blobs)].reset_index(drop=True)
    emb = np.stack([np.frombuffer(blobs[h], dtype=np.float16).astype(np.float32) for h in df["content_hash"]])
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    topic = np.array([json.loads(x or "{}").get("allsides_topic") or "" for x in df["extra"]])
    published = pd.to_datetime(df["published"], utc=True, format="ISO8601")
    days = ((published - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds() / 86400).to_numpy()
    labels = np.array([stories.get(a, -1) for a in df["id"]])
    rows = []
    for i in np.random.default_rng(0).choice(len(df), 3000, replace=False):
        if topic[i]:
            for r, sim, _ in similar_from_other_outlets(i, emb, df["outlet"].to_numpy(), labels=labels, k=8, days=days):
                rows.append((sim, topic[r] == topic[i], labels[i] >= 0 and labels[r] == labels[i]))
    t = pd.DataFrame(rows, columns=["sim", "same_topic", "same_story"])
    t["bin"] = pd.cut(t["sim"], [0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 1.0])
    out = []
    for b, part in t.groupby("bin", observed=True):
        other = part[~part["same_story"]]
        out.append(
            {
                "cosine": str(b),
                "listed": len(part),
                "same story": round(float(part["same_story"].mean()), 3),
                "not the story": len(other),
                "of those, same AllSides topic": round(float(other["same_topic"].mean()), 3) if len(other) else "",
            }
        )
    report("similar_floor", out, [__doc__.replace("\n", " "), f"floor in use: {RELATED_FLOOR}"])


if __name__ == "__main__":
    run()
