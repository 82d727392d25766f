"""Stories on same-event sets nobody tuned for: the grouping's precision and recall on each, side by side.

Three sets, each a corpus with some articles labelled by event and the rest as distractors:
- BASIL 2010-2014 (Fan et al. 2019; the development set the thresholds were first chosen on): 50 events, each
  covered by Fox News, The New York Times and HuffPost, among 1,346 AllSides articles of the same weeks;
- international, Dec 2016 to Mar 2017 (bench/devsets/stories_intl.jsonl, hand-labelled for issue 31): events
  covered by Al Jazeera, TASS, ABC News, RTE, HuffPost, DW, China Daily, BBC and CNN, among the other articles
  of the 3,824-article corpus;
- AllSides 2015-2020 (bench/devsets/stories_allsides.jsonl, hand-labelled for issue 31, none from the demo):
  events from other years than BASIL's, among every AllSides article published within a week of them.
Both labelled sets include near-neighbour events (two attacks, storms or rulings in one week; successive
developments of one saga) as separate events. Pairwise precision and recall are computed over labelled
articles only. Every setting of the grid is scored on every set; the rule is chosen by its worst set (the
lowest F1 over the sets), not by its best cell on one.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench.common import ALLSIDES, RESULTS, report
from bench.devset_articles import DEVSETS, INTL
from bench.eval_stories import BASIL

DISTRACTOR_DAYS = 7  # AllSides articles this close to a labelled one are its distractors
EDGES = (0.35, 0.375, 0.4, 0.425, 0.45)
LINKS = (0.15, 0.2, 0.25, 0.3)
WINDOWS = (2, 3, 4)
WEIGHTS = (0.3, 0.5, 0.7)


def _labels(name: str) -> dict[str, str]:
    path = DEVSETS / f"stories_{name}.jsonl"
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return {r["id"]: r["event"] for r in rows}


def _days(dates: pd.Series) -> np.ndarray:
    when = pd.to_datetime(dates, errors="coerce", format="mixed", utc=True)
    return ((when - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds() / 86400).to_numpy(dtype=float)


def basil() -> pd.DataFrame | None:
    if not BASIL.exists():
        return None
    df = pd.DataFrame([json.loads(line) for line in BASIL.open(encoding="utf-8")])
    return pd.DataFrame(
        {
            "id": [f"basil:{i}" for i in range(len(df))],
            "title": df["title"].fillna(""),
            "text": df["text"].fillna(""),
            "days": _days(df["date"]),
            "event": df["triplet_uuid"].fillna(""),
        }
    )


def intl() -> pd.DataFrame | None:
    labels = _labels("intl")
    if not labels or not INTL.exists():
        return None
    with gzip.open(INTL, "rt") as fh:
        rows = list(csv.DictReader(fh))
    ids = [f"intl:{r['article_id']}" for r in rows]
    out = pd.DataFrame(
        {
            "id": ids,
            "title": [r.get("title") or "" for r in rows],
            "text": [r.get("text") or "" for r in rows],
            "days": _days(pd.Series([r["publish_date"].replace("/", "-") for r in rows])),
            "event": [labels.get(i, "") for i in ids],
        }
    )
    out.attrs["family"], out.attrs["sagas"] = _families("intl")
    return out


def allsides() -> pd.DataFrame | None:
    labels = _labels("allsides")
    if not labels or not ALLSIDES.exists():
        return None
    with gzip.open(ALLSIDES, "rt") as fh:
        rows = [json.loads(line) for line in fh]
    df = pd.DataFrame(
        {
            "id": [f"allsides:{r['id']}" for r in rows],
            "title": [r.get("title") or "" for r in rows],
            "text": [r.get("text") or "" for r in rows],
            "days": _days(pd.Series([r.get("date") or "" for r in rows])),
        }
    )
    df["event"] = df["id"].map(labels).fillna("")
    labelled = df.loc[df["event"] != "", "days"].dropna().to_numpy()
    near = np.zeros(len(df), dtype=bool)
    for d in np.unique(labelled):
        near |= np.abs(df["days"].to_numpy() - d) <= DISTRACTOR_DAYS
    out = df[near | (df["event"] != "")].drop_duplicates("id").reset_index(drop=True)
    out.attrs["family"], out.attrs["sagas"] = _families("allsides")
    return out


def vectors(name: str, df: pd.DataFrame) -> np.ndarray:
    """Unit headline + lead embeddings, as the pipeline makes them (cached in bench/results, not in git)."""
    from analysis.enrich.embeddings import embedding_text, get_embedder

    key = hashlib.sha1("\n".join(df["id"]).encode()).hexdigest()[:10]
    cache = RESULTS / f"story_set_{name}_{key}.npy"
    if cache.exists():
        emb = np.load(cache)
    else:
        emb = get_embedder().encode([embedding_text(t, x) for t, x in zip(df["title"], df["text"], strict=True)])
        RESULTS.mkdir(parents=True, exist_ok=True)
        np.save(cache, emb)
    return emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)


def sets() -> list[tuple[str, pd.DataFrame, np.ndarray, Any]]:
    from analysis.enrich.lexical import lexical_vectors

    out = []
    for name, load in (("BASIL 2010-2014", basil), ("international 2016-17", intl), ("AllSides 2015-20", allsides)):
        df = load()
        if df is None:
            continue
        out.append((name, df, vectors(name.split()[0].lower(), df), lexical_vectors(df["title"], df["text"])))
    return out


def _families(name: str) -> tuple[dict[str, str], set[str]]:
    """event -> family, and the families that are one saga (successive developments of one subject)."""
    path = DEVSETS / f"stories_{name}.jsonl"
    kinds = DEVSETS / f"stories_{name}_families.json"
    if not path.exists():
        return {}, set()
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    sagas = {f for f, k in json.loads(kinds.read_text()).items() if k == "saga"} if kinds.exists() else set()
    return {r["event"]: r.get("family") or "" for r in rows}, sagas


def scores(labels: np.ndarray, df: pd.DataFrame) -> dict[str, float]:
    """Pairwise precision and recall over the labelled articles; with families, also the precision that does not
    count two developments of one saga in one story as wrong."""
    from analysis.enrich.similarity import pair_scores

    gold = df["event"].to_numpy()
    s = {k: float(v) for k, v in pair_scores(labels, gold, gold != "").items()}
    family = df.attrs.get("family", {})
    sagas = df.attrs.get("sagas", set())
    if sagas:
        saga = np.array([family.get(e, "") if family.get(e, "") in sagas else e for e in gold], dtype=object)
        s["saga precision"] = pair_scores(labels, saga, gold != "")["precision"]
    return s


def describe(name: str, df: pd.DataFrame) -> dict[str, Any]:
    events = df.loc[df["event"] != "", "event"].value_counts()
    return {
        "set": name,
        "articles": len(df),
        "labelled": int(events.sum()),
        "events": len(events),
        "events with 2+ articles": int((events >= 2).sum()),
        "same-event pairs": int((events * (events - 1) // 2).sum()),
    }


def run() -> None:
    from analysis.enrich.similarity import (
        EDGE_THRESHOLD,
        LEXICAL_WEIGHT,
        LINK_THRESHOLD,
        WINDOW_DAYS,
        StoryParams,
        group_stories,
    )

    loaded = sets()
    if len(loaded) < 2:
        report("story_sets", [], ["skipped: data not present (../shared and bench/devsets/stories_*.jsonl)"])
        return
    default = (WINDOW_DAYS, EDGE_THRESHOLD, LINK_THRESHOLD, LEXICAL_WEIGHT)
    grid: dict[tuple[int, float, float, float], dict[str, dict[str, float]]] = {}
    for window in WINDOWS:
        for edge in EDGES:
            for link in LINKS:
                for weight in WEIGHTS:
                    params = StoryParams(window, edge, link, weight)
                    cell = grid.setdefault((window, edge, link, weight), {})
                    for name, df, emb, lex in loaded:
                        labels = group_stories(df["days"].to_numpy(), emb, params, lex=lex)
                        cell[name] = scores(labels, df)

    def f1(s: dict[str, float]) -> float:
        p, r = s["precision"], s["recall"]
        return 2 * p * r / (p + r) if p + r else 0.0

    def worst(key: tuple[int, float, float, float]) -> float:
        return min(f1(s) for s in grid[key].values())

    ranked = sorted(grid, key=lambda k: (-worst(k), -sum(f1(s) for s in grid[k].values())))
    best = ranked[0]
    rows = []
    for key in [default, *[k for k in ranked if k != default][:9]]:
        row: dict[str, Any] = {
            "rule": "today's default" if key == default else ("best on the worst set" if key == best else ""),
            "window": key[0],
            "edge": key[1],
            "link": key[2],
            "wording": key[3],
        }
        for name, s in grid[key].items():
            row[f"{name} P"] = round(s["precision"], 3)
            if "saga precision" in s:
                row[f"{name} P (sagas one story)"] = round(s["saga precision"], 3)
            row[f"{name} R"] = round(s["recall"], 3)
        row["worst F1"] = round(worst(key), 3)
        rows.append(row)
    notes = ["; ".join(f"{k} {v}" for k, v in describe(name, df).items()) for name, df, _, _ in loaded] + [
        f"grid: window {WINDOWS} days x edge {EDGES} x link {LINKS} x wording weight {WEIGHTS}; "
        "rows: today's default, then the best 9 by the lowest F1 over the sets",
        "P, R: pairwise precision and recall over labelled articles (distractors can join a story without penalty); "
        "P (sagas one story): precision when two developments of one saga (bench/devsets/stories_*_families.json: "
        "the Sessions meetings revealed, then his recusal) in one story are not counted wrong; two events of one "
        "kind (two attacks, two storms) still are",
    ]
    out = report("story_sets", rows, notes)
    payload = json.loads(out.read_text())
    payload["grid"] = [
        {
            "window": k[0],
            "edge": k[1],
            "link": k[2],
            "wording": k[3],
            **{f"{n} {m}": round(x, 4) for n, s in v.items() for m, x in s.items()},
        }
        for k, v in grid.items()
    ]
    Path(out).write_text(json.dumps(payload, indent=2, default=str))


if __name__ == "__main__":
    run()
