"""Persisting fits atomically, reading topic tables, and the user's topic edits."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from analysis.config import MODELS_DIR_NAME
from analysis.store import Store, utcnow

if TYPE_CHECKING:  # the app reads fits without importing the topic engine (and scikit-learn)
    from analysis.themes import Themes
    from analysis.topics import FitResult, Lineage


class NoFit(LookupError):
    """No topic model has been fitted yet."""


def models_dir(store: Store) -> Path | None:
    if store.path == ":memory:":
        return None
    return Path(store.path).resolve().parent / MODELS_DIR_NAME


def corpus_frame(store: Store, exclude_ids: set[str] | None = None, unassigned_in: int | None = None) -> pd.DataFrame:
    """Articles to model: id, content hash, title, text, outlet, published, published_precision
    (near-duplicates left out).
    unassigned_in: only the articles without a topic in that fit (what `fit --update` works on)."""
    cols = {r[1] for r in store.conn.execute("PRAGMA table_info(articles)")}
    clauses = ["duplicate_of IS NULL"] if "duplicate_of" in cols else []
    params: list[Any] = []
    if unassigned_in is not None:
        clauses.append("id NOT IN (SELECT article_id FROM article_topics WHERE fit_id = ?)")
        params.append(unassigned_in)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    precision = "published_precision" if "published_precision" in cols else "NULL AS published_precision"
    df = pd.read_sql_query(
        f"SELECT id, content_hash, title, text, outlet, published, {precision} FROM articles {where} ORDER BY rid",
        store.conn,
        params=params,
    )
    if exclude_ids:
        df = df[~df["id"].isin(exclude_ids)]
    return df.reset_index(drop=True)


def fingerprint(content_hashes: pd.Series) -> str:
    """A short hash of the set of documents a fit saw."""
    import hashlib

    h = hashlib.sha1()
    for x in sorted(content_hashes):
        h.update(x.encode())
    return h.hexdigest()[:16]


def save_model(store: Store, model: Any) -> str | None:
    """Write the BERTopic model (c-TF-IDF, vectorizer, representations) to a new folder; returns its path."""
    root = models_dir(store)
    if root is None or model is None:
        return None
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"fit-{utcnow().replace(':', '').replace('-', '')}-{uuid.uuid4().hex[:6]}"
    tmp = root / (final.name + ".tmp")
    import logging

    logging.getLogger("BERTopic").setLevel(logging.ERROR)  # its "no embedding model saved" hint is intended here
    model.save(str(tmp), serialization="safetensors", save_ctfidf=True, save_embedding_model=False)
    tmp.replace(final)
    return str(final)


def representative_articles(
    ids: np.ndarray, outlets: np.ndarray, topics: np.ndarray, sims: np.ndarray, topic: int, k: int = 5
) -> list[str]:
    """The articles closest to a topic's centroid, one per outlet first."""
    idx = np.where(topics == topic)[0]
    order = idx[np.argsort(-sims[idx], kind="stable")]
    picked: list[int] = []
    seen: set[str] = set()
    for i in order:
        if outlets[i] not in seen:
            picked.append(int(i))
            seen.add(outlets[i])
        if len(picked) == k:
            break
    for i in order:
        if len(picked) == k:
            break
        if int(i) not in picked:
            picked.append(int(i))
    return [str(ids[i]) for i in picked]


def save_fit(
    store: Store,
    *,
    result: FitResult,
    corpus: pd.DataFrame,
    lineage: Lineage,
    embedding_model: str,
    model_path: str | None,
    words_over_time: pd.DataFrame | None,
    timings: dict[str, float],
    kind: str = "full",
    fail_after_topics: bool = False,
) -> int:
    """Write a fit and make it the active one in one transaction; the previous fit stays usable
    until the commit. Returns the new fit id."""
    stable = np.array([lineage.mapping.get(int(t), -1) if t >= 0 else -1 for t in result.topics])
    ids = corpus["id"].to_numpy()
    outlets = corpus["outlet"].to_numpy()
    try:
        with store.transaction():
            cur = store.conn.execute(
                "INSERT INTO fits(created, kind, embedding_model, params, fingerprint, n_articles, n_topics,"
                " outlier_share, model_path, timings) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (utcnow(), kind, embedding_model, json.dumps(asdict(result.params)),
                 fingerprint(corpus["content_hash"]),
                 len(corpus), len(result.sizes), result.outlier_share, model_path, json.dumps(timings)),
            )  # fmt: skip
            fit_id = int(cur.lastrowid or 0)
            themes = result.theme_set
            theme_ids = _stable_themes(store, themes) if themes else {}
            rows = []
            for t, stable_id in lineage.mapping.items():
                members = result.topics == t
                theme = themes.of_topic.get(t) if themes else None
                rows.append((
                    fit_id, stable_id, result.labels[t], json.dumps(result.keywords.get(t, [])), int(members.sum()),
                    json.dumps(representative_articles(ids, outlets, result.topics, result.probabilities, t)),
                    result.centroids[t].astype(np.float32).tobytes(),
                    float(result.coords[members, 0].mean()), float(result.coords[members, 1].mean()),
                    theme_ids.get(theme) if theme is not None else None,
                ))  # fmt: skip
            store.conn.executemany(
                "INSERT INTO topics(fit_id, topic, label, keywords, size, representative, centroid, x, y, theme)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            if themes:
                _save_themes(store, fit_id, themes, theme_ids)
            if fail_after_topics:
                raise RuntimeError("simulated crash while writing the fit")
            store.conn.executemany(
                "INSERT INTO article_topics(fit_id, article_id, topic, probability, x, y) VALUES (?,?,?,?,?,?)",
                [
                    (fit_id, str(a), int(s), float(p), float(xy[0]), float(xy[1]))
                    for a, s, p, xy in zip(ids, stable, result.probabilities, result.coords, strict=True)
                ],
            )
            now = utcnow()
            store.conn.executemany(
                "INSERT INTO topic_lineage(fit_id, created, event, topic, previous, similarity) VALUES (?,?,?,?,?,?)",
                [(fit_id, now, e["event"], e["topic"], json.dumps(e["previous"]), e["similarity"])
                 for e in lineage.events],
            )  # fmt: skip
            if words_over_time is not None and not words_over_time.empty:
                store.conn.executemany(
                    "INSERT OR REPLACE INTO topic_words_over_time VALUES (?,?,?,?,?)",
                    [(fit_id, lineage.mapping[int(r.topic)], str(r.period), r.words, int(r.frequency))
                     for r in words_over_time.itertuples() if int(r.topic) in lineage.mapping],
                )  # fmt: skip
            store.set_meta("active_fit", str(fit_id))
            store.set_meta("next_topic_id", str(lineage.next_id))
            # Older fits keep their summary rows (history); their per-article rows go.
            store.conn.execute("DELETE FROM article_topics WHERE fit_id != ?", (fit_id,))
            store.conn.execute("DELETE FROM topic_words_over_time WHERE fit_id != ?", (fit_id,))
            store._bump_version()
    except BaseException:
        if model_path:
            shutil.rmtree(model_path, ignore_errors=True)
        raise
    _remove_stale_models(store, keep={model_path} if model_path else set())
    return fit_id


def _stable_themes(store: Store, themes: Themes) -> dict[int, int]:
    """The stable id of each theme: matched to the active fit's themes by centroid (so renamed themes
    keep their names), new ids for the rest. Updates next_theme_id."""
    from analysis.topics import match_topics

    if not themes.centroids:
        return {}
    previous = store.active_fit
    old: dict[int, np.ndarray] = {}
    if previous is not None:
        rows = store.conn.execute("SELECT theme, centroid FROM themes WHERE fit_id = ?", (previous,))
        old = {int(t): np.frombuffer(c, dtype=np.float32).copy() for t, c in rows if c is not None}
    lineage = match_topics(themes.centroids, old, int(store.meta("next_theme_id", "0") or 0), threshold=0.9)
    store.set_meta("next_theme_id", str(lineage.next_id))
    return lineage.mapping


def _save_themes(store: Store, fit_id: int, themes: Themes, theme_ids: dict[int, int]) -> None:
    store.conn.executemany(
        "INSERT INTO themes(fit_id, theme, label, keywords, size, centroid) VALUES (?,?,?,?,?,?)",
        [(fit_id, stable, themes.labels.get(th, f"Theme {stable}"), json.dumps(themes.keywords.get(th, [])),
          themes.sizes.get(th, 0),
          themes.centroids[th].astype(np.float32).tobytes() if th in themes.centroids else None)
         for th, stable in theme_ids.items()],
    )  # fmt: skip


def backfill_themes(store: Store) -> int:
    """Themes for an active fit made before themes existed, from its stored topics (no refit). Returns how
    many themes were made (0 when the fit has them already or there is no fit)."""
    from analysis.themes import build_themes

    fit_id = store.active_fit
    if fit_id is None or store.conn.execute("SELECT 1 FROM themes WHERE fit_id = ?", (fit_id,)).fetchone():
        return 0
    rows = store.conn.execute(
        "SELECT topic, keywords, size, centroid FROM topics WHERE fit_id = ?", (fit_id,)
    ).fetchall()
    cents = {int(r[0]): np.frombuffer(r[3], dtype=np.float32).copy() for r in rows if r[3] is not None}
    if not cents:
        return 0
    sizes = {int(r[0]): int(r[2]) for r in rows}
    keywords = {int(r[0]): [(w, float(x)) for w, x in json.loads(r[1])] for r in rows}
    themes = build_themes(cents, sizes, keywords)
    with store.transaction():
        ids = _stable_themes(store, themes)
        store.conn.executemany("UPDATE topics SET theme = ? WHERE fit_id = ? AND topic = ?",
                               [(ids[th], fit_id, t) for t, th in themes.of_topic.items()])  # fmt: skip
        _save_themes(store, fit_id, themes, ids)
        store._bump_version()
    return len(ids)


def _remove_stale_models(store: Store, keep: set[str]) -> None:
    root = models_dir(store)
    if root is None or not root.exists():
        return
    for d in root.iterdir():
        if d.is_dir() and str(d) not in keep:
            shutil.rmtree(d, ignore_errors=True)


def active_fit_row(store: Store) -> dict[str, Any]:
    fit_id = store.active_fit
    if fit_id is None:
        raise NoFit("No topic model yet; run `python -m analysis fit` first.")
    row = store.conn.execute("SELECT * FROM fits WHERE id = ?", (fit_id,)).fetchone()
    out = dict(row)
    for k in ("params", "timings", "extra"):
        out[k] = json.loads(out[k] or "{}")
    return out


def topic_centroids(store: Store, fit_id: int) -> dict[int, np.ndarray]:
    rows = store.conn.execute("SELECT topic, centroid FROM topics WHERE fit_id = ?", (fit_id,))
    return {int(t): np.frombuffer(c, dtype=np.float32).copy() for t, c in rows if c is not None}


# -- edits -----------------------------------------------------------------------------------


def _edit(store: Store, topic: int, **fields: Any) -> None:
    _edit_row(store, "topic", topic, **fields)


def _edit_row(store: Store, kind: str, key: int, **fields: Any) -> None:
    """Write a user's edit of a topic or theme (kind) of the active fit into {kind}_edits."""
    fit_id = store.active_fit
    if fit_id is None:
        raise NoFit("No topic model yet; run `python -m analysis fit` first.")
    exists = store.conn.execute(f"SELECT 1 FROM {kind}s WHERE fit_id = ? AND {kind} = ?", (fit_id, key)).fetchone()
    if not exists:
        raise ValueError(f"There is no {kind} {key} in the current model.")
    with store.transaction():
        store.conn.execute(
            f"INSERT INTO {kind}_edits({kind}, updated) VALUES (?, ?) ON CONFLICT({kind}) DO NOTHING", (key, utcnow())
        )
        sets = "".join(f"{k} = ?, " for k in fields)
        store.conn.execute(
            f"UPDATE {kind}_edits SET {sets}updated = ? WHERE {kind} = ?", (*fields.values(), utcnow(), key)
        )
        store._bump_version()


def rename_topic(store: Store, topic: int, label: str) -> None:
    """Give a topic a label of the user's choosing (kept across refits while the topic continues)."""
    label = " ".join((label or "").split())
    if not label:
        raise ValueError("A topic label cannot be empty.")
    if len(label) > 80:
        raise ValueError("A topic label can be at most 80 characters.")
    table = topic_table(store, include_hidden=True)
    clash = table[(table["label"].str.lower() == label.lower()) & (table["topic"] != topic)]
    if not clash.empty:
        other = clash.iloc[0]
        raise ValueError(f"Topic {int(other['topic'])} is already called {other['label']!r}; choose another label.")
    _edit(store, topic, label=label)


def hide_topic(store: Store, topic: int, hidden: bool = True) -> None:
    """Hide a topic from charts and lists (its articles count as unassigned), or show it again."""
    _edit(store, topic, hidden=int(hidden))


def merge_topics(store: Store, source: int, target: int) -> None:
    """Show topic `source` as part of `target` everywhere."""
    if source == target:
        raise ValueError("A topic cannot be merged into itself.")
    _edit(store, target)
    if _resolve({**_merges(store), source: target}, source) != target and _resolve(_merges(store), target) == source:
        raise ValueError(f"Topic {target} is already merged into {source}.")
    _edit(store, source, merged_into=target)


def unmerge_topic(store: Store, topic: int) -> None:
    _edit(store, topic, merged_into=None)


def _merges(store: Store) -> dict[int, int]:
    rows = store.conn.execute("SELECT topic, merged_into FROM topic_edits WHERE merged_into IS NOT NULL")
    return {int(a): int(b) for a, b in rows}


def _resolve(merges: dict[int, int], topic: int) -> int:
    seen = set()
    while topic in merges and topic not in seen:
        seen.add(topic)
        topic = merges[topic]
    return topic


def topic_table(store: Store, include_hidden: bool = False) -> pd.DataFrame:
    """The active fit's topics with the user's edits applied.

    Columns: topic, label, auto_label, keywords (list of words), size, share, representative (ids),
    hidden, merged_into, x, y. Merged topics are folded into their target (sizes added).
    """
    fit_id = store.active_fit
    if fit_id is None:
        raise NoFit("No topic model yet; run `python -m analysis fit` first.")
    df = pd.read_sql_query(
        "SELECT t.topic, t.label AS auto_label, t.keywords, t.representative, t.x, t.y,"
        " (SELECT count(*) FROM article_topics a WHERE a.fit_id = t.fit_id AND a.topic = t.topic) AS size,"
        " e.label AS edited_label, coalesce(e.hidden, 0) AS hidden, e.merged_into"
        " FROM topics t LEFT JOIN topic_edits e ON e.topic = t.topic WHERE t.fit_id = ? ORDER BY t.topic",
        store.conn,
        params=(fit_id,),
    )
    df["label"] = df["edited_label"].where(df["edited_label"].notna() & (df["edited_label"] != ""), df["auto_label"])
    df["keywords"] = df["keywords"].map(lambda s: [w for w, _ in json.loads(s)])
    df["representative"] = df["representative"].map(json.loads)
    merges = _merges(store)
    present = set(df["topic"])
    df["merged_into"] = [
        _resolve(merges, int(t)) if int(t) in merges and _resolve(merges, int(t)) in present else None
        for t in df["topic"]
    ]
    folded = df[df["merged_into"].notna()]
    for _, row in folded.iterrows():
        target = df.index[df["topic"] == int(row["merged_into"])][0]
        df.at[target, "size"] += row["size"]
        df.at[target, "representative"] = df.at[target, "representative"] + row["representative"]
    df = df[df["merged_into"].isna()].copy()
    total = store.conn.execute("SELECT count(*) FROM article_topics WHERE fit_id = ?", (fit_id,)).fetchone()[0]
    df["share"] = df["size"] / total if total else 0.0
    df["hidden"] = df["hidden"].astype(bool)
    if not include_hidden:
        df = df[~df["hidden"]]
    themes = theme_of_topics(store)
    labels = theme_labels(store)
    df["theme"] = [themes.get(int(t), -1) for t in df["topic"]]
    df["theme_label"] = df["theme"].map(labels).fillna("No theme")
    cols = ["topic", "label", "auto_label", "keywords", "size", "share", "representative", "hidden", "x", "y",
            "theme", "theme_label"]  # fmt: skip
    return df.sort_values(["size", "topic"], ascending=[False, True])[cols].reset_index(drop=True)


def article_topics(store: Store) -> pd.DataFrame:
    """article_id, topic (edits applied: merged -> target, hidden -> -1), topic_label, probability, x, y."""
    fit_id = store.active_fit
    if fit_id is None:
        raise NoFit("No topic model yet; run `python -m analysis fit` first.")
    df = pd.read_sql_query(
        "SELECT article_id, topic, probability, x, y FROM article_topics WHERE fit_id = ?", store.conn, params=(fit_id,)
    )
    return apply_edits(store, df)


def apply_edits(store: Store, df: pd.DataFrame) -> pd.DataFrame:
    """Map a frame's `topic` column through merges and hides, and add topic_label."""
    table = topic_table(store, include_hidden=True)
    merges = _merges(store)
    hidden = set(table.loc[table["hidden"], "topic"])
    present = set(table["topic"])
    ids = pd.unique(df["topic"].astype(int))  # a few hundred ids: resolve each once, then map the column
    resolved = {int(t): (_resolve(merges, int(t)) if int(t) in merges else int(t)) for t in ids}
    mapped = df["topic"].astype(int).map(resolved)
    mapped = mapped.where(mapped.isin(present), -1)
    df = df.assign(topic=mapped.where(~mapped.isin(hidden), -1).astype(int))
    labels = dict(zip(table["topic"], table["label"], strict=True))
    df["topic_label"] = df["topic"].map(labels).fillna("Unassigned")
    themes = dict(zip(table["topic"], table["theme"], strict=True))
    df["theme"] = df["topic"].map(themes).fillna(-1).astype(int)
    theme_names = dict(zip(table["theme"], table["theme_label"], strict=True))
    df["theme_label"] = df["theme"].map(theme_names).where(df["theme"] >= 0, "Unassigned").fillna("Unassigned")
    return df


# -- themes ------------------------------------------------------------------------------------


def _theme_merges(store: Store) -> dict[int, int]:
    rows = store.conn.execute("SELECT theme, merged_into FROM theme_edits WHERE merged_into IS NOT NULL")
    return {int(a): int(b) for a, b in rows}


def merged_themes(store: Store) -> dict[int, int]:
    """Themes the user merged away: theme -> the theme it is shown as part of."""
    return _theme_merges(store)


def theme_of_topics(store: Store) -> dict[int, int]:
    """The active fit's topic -> theme (theme merges applied); topics without a theme are left out."""
    fit_id = store.active_fit
    if fit_id is None:
        return {}
    merges = _theme_merges(store)
    present = {int(r[0]) for r in store.conn.execute("SELECT theme FROM themes WHERE fit_id = ?", (fit_id,))}
    out = {}
    for topic, theme in store.conn.execute("SELECT topic, theme FROM topics WHERE fit_id = ? AND theme IS NOT NULL",
                                           (fit_id,)):  # fmt: skip
        target = _resolve(merges, int(theme))
        out[int(topic)] = target if target in present else int(theme)
    return out


def theme_labels(store: Store) -> dict[int, str]:
    """Label of each theme of the active fit, the user's where they renamed it."""
    fit_id = store.active_fit
    if fit_id is None:
        return {}
    rows = store.conn.execute(
        "SELECT t.theme, coalesce(nullif(e.label, ''), t.label) FROM themes t"
        " LEFT JOIN theme_edits e ON e.theme = t.theme WHERE t.fit_id = ?",
        (fit_id,),
    )
    return {int(t): str(label) for t, label in rows}


def theme_table(store: Store) -> pd.DataFrame:
    """The active fit's themes with edits applied: theme, label, auto_label, keywords (words), size, share,
    topics (ids of its topics, after topic and theme merges), biggest first. Empty when the fit has none."""
    fit_id = store.active_fit
    if fit_id is None:
        raise NoFit("No topic model yet; run `python -m analysis fit` first.")
    df = pd.read_sql_query(
        "SELECT t.theme, t.label AS auto_label, t.keywords, e.label AS edited_label FROM themes t"
        " LEFT JOIN theme_edits e ON e.theme = t.theme WHERE t.fit_id = ? ORDER BY t.theme",
        store.conn,
        params=(fit_id,),
    )
    cols = ["theme", "label", "auto_label", "keywords", "size", "share", "topics"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["label"] = df["edited_label"].where(df["edited_label"].notna() & (df["edited_label"] != ""), df["auto_label"])
    df["keywords"] = df["keywords"].map(lambda s: [w for w, _ in json.loads(s)])
    topics = topic_table(store, include_hidden=False)
    members = topics.groupby("theme")["topic"].apply(list).to_dict()
    sizes = topics.groupby("theme")["size"].sum().to_dict()
    df = df[df["theme"].isin(set(topics["theme"]))].copy()  # merged-away themes are folded into their target
    df["topics"] = df["theme"].map(lambda t: members.get(int(t), []))
    df["size"] = df["theme"].map(lambda t: int(sizes.get(int(t), 0)))
    total = store.conn.execute("SELECT count(*) FROM article_topics WHERE fit_id = ?", (fit_id,)).fetchone()[0]
    df["share"] = df["size"] / total if total else 0.0
    return df.sort_values(["size", "theme"], ascending=[False, True])[cols].reset_index(drop=True)


def _theme_edit(store: Store, theme: int, **fields: Any) -> None:
    _edit_row(store, "theme", theme, **fields)


def rename_theme(store: Store, theme: int, label: str) -> None:
    """Give a theme a label of the user's choosing (kept across refits while the theme continues)."""
    label = " ".join((label or "").split())
    if not label:
        raise ValueError("A theme label cannot be empty.")
    if len(label) > 80:
        raise ValueError("A theme label can be at most 80 characters.")
    for other, name in theme_labels(store).items():
        if other != theme and name.lower() == label.lower():
            raise ValueError(f"Theme {other} is already called {name!r}; choose another label.")
    _theme_edit(store, theme, label=label)


def merge_themes(store: Store, source: int, target: int) -> None:
    """Show theme `source` as part of `target` everywhere (its topics move under target)."""
    if source == target:
        raise ValueError("A theme cannot be merged into itself.")
    _theme_edit(store, target)
    if _resolve(_theme_merges(store), target) == source:
        raise ValueError(f"Theme {target} is already merged into {source}.")
    _theme_edit(store, source, merged_into=target)


def unmerge_theme(store: Store, theme: int) -> None:
    _theme_edit(store, theme, merged_into=None)


def raw_topic_ids(store: Store, topics: Iterable[int]) -> tuple[int, ...]:
    """The active fit's topic ids that display as any of `topics` (merged topics included)."""
    fit_id = store.active_fit
    wanted = {int(t) for t in topics}
    if fit_id is None or not wanted:
        return ()
    merges = _merges(store)
    ids = [r[0] for r in store.conn.execute("SELECT topic FROM topics WHERE fit_id = ?", (fit_id,))]
    return tuple(sorted(t for t in ids if _resolve(merges, int(t)) in wanted))


def raw_theme_topic_ids(store: Store, themes: Iterable[int]) -> tuple[int, ...]:
    """The active fit's topic ids whose articles display under any of `themes` (after topic merges,
    hides and theme merges), for filtering by theme."""
    fit_id = store.active_fit
    wanted = {int(t) for t in themes}
    if fit_id is None or not wanted:
        return ()
    table = topic_table(store, include_hidden=True)
    shown = {int(t) for t, th, hidden in zip(table["topic"], table["theme"], table["hidden"], strict=True)
             if int(th) in wanted and not hidden}  # fmt: skip
    return raw_topic_ids(store, shown)
