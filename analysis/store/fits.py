"""Fits: saving one atomically with its topics, themes and lineage; the active fit, its corpus and centroids."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

from analysis.config import MODELS_DIR_NAME
from analysis.errors import NotFound
from analysis.store.base import Family, utcnow


class ThemeSet(Protocol):
    """Themes to store (as analysis.enrich.themes.Themes holds them): keyed by the fit's own theme numbers."""

    @property
    def of_topic(self) -> dict[int, int]: ...
    @property
    def keywords(self) -> dict[int, list[tuple[str, float]]]: ...
    @property
    def labels(self) -> dict[int, str]: ...
    @property
    def sizes(self) -> dict[int, int]: ...
    @property
    def centroids(self) -> dict[int, np.ndarray]: ...


class TopicFit(Protocol):
    """A fit's topics to store (as analysis.enrich.topic_model.FitResult holds them), aligned with the corpus."""

    @property
    def topics(self) -> np.ndarray: ...
    @property
    def probabilities(self) -> np.ndarray: ...
    @property
    def coords(self) -> np.ndarray: ...
    @property
    def keywords(self) -> dict[int, list[tuple[str, float]]]: ...
    @property
    def labels(self) -> dict[int, str]: ...
    @property
    def centroids(self) -> dict[int, np.ndarray]: ...
    @property
    def sizes(self) -> dict[int, int]: ...
    @property
    def params(self) -> Any: ...  # a dataclass of the fit's settings
    @property
    def theme_set(self) -> ThemeSet | None: ...
    @property
    def outlier_share(self) -> float: ...


class TopicIds(Protocol):
    """The stable id of each topic of a fit and how they came about (analysis.enrich.lineage.Lineage)."""

    @property
    def mapping(self) -> dict[int, int]: ...
    @property
    def events(self) -> list[dict[str, Any]]: ...
    @property
    def next_id(self) -> int: ...


class NoFit(NotFound):
    """No topic model has been fitted yet."""


def fingerprint(content_hashes: pd.Series) -> str:
    """A short hash of the set of documents a fit saw."""
    import hashlib

    h = hashlib.sha1()
    for x in sorted(content_hashes):
        h.update(x.encode())
    return h.hexdigest()[:16]


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


class Fits(Family):
    """Fits: saving one atomically with its topics, themes and lineage; the active fit, its corpus and centroids."""

    def models_dir(self) -> Path | None:
        folder = self.db.local_dir
        return None if folder is None else folder / MODELS_DIR_NAME

    def corpus_frame(
        self,
        exclude_ids: set[str] | None = None,
        unassigned_in: int | None = None,
        *,
        with_text: bool = True,
        lead_chars: int | None = None,
    ) -> pd.DataFrame:
        """Articles to model: id, content hash, title, text, outlet, published, published_precision
        (near-duplicates left out).
        unassigned_in: only the articles without a topic in that fit (what `fit --update` works on);
        with_text False: no text column (a read of
        headlines and dates only); lead_chars: a `lead` column of each text's first characters instead."""
        cols = set(self.db.columns("articles"))
        clauses = ["duplicate_of IS NULL"] if "duplicate_of" in cols else []
        params: list[Any] = []
        if unassigned_in is not None:
            clauses.append("id NOT IN (SELECT article_id FROM article_topics WHERE fit_id = ?)")
            params.append(unassigned_in)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        precision = "published_precision" if "published_precision" in cols else "NULL AS published_precision"
        text = f"substr(text, 1, {int(lead_chars)}) AS lead, " if lead_chars else "text, " if with_text else ""
        df = self.db.frame(
            f"SELECT id, content_hash, title, {text}outlet, published, {precision} FROM articles {where}",
            params,
        )
        if exclude_ids:
            df = df[~df["id"].isin(exclude_ids)]
        # by id in code-point order on every backend (a database's collation may order text otherwise)
        return df.sort_values("id", kind="stable").reset_index(drop=True)

    def rows_of(self, ids: list[str], lead_chars: int | None = None) -> pd.DataFrame:
        """corpus_frame's columns (text included) for these articles, in the order given; lead_chars: a `lead`
        column of each text's first characters instead of the text (200,000 whole texts take ~4 GB)."""
        text = f"substr(text, 1, {int(lead_chars)}) AS lead" if lead_chars else "text"
        parts = []
        step = self.db.dialect.max_params
        for i in range(0, len(ids), step):
            part = ids[i : i + step]
            parts.append(
                self.db.frame(
                    f"SELECT id, content_hash, title, {text}, outlet, published, published_precision FROM articles"
                    f" WHERE id IN ({','.join('?' * len(part))})",
                    part,
                )
            )
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["id"])
        have = set(df["id"])  # once: built per id, this made 200,000 ids take hours
        return df.set_index("id").reindex([i for i in ids if i in have]).reset_index()

    def hashes_of(self, ids: list[str]) -> dict[str, str]:
        """The content hash of each of these articles (those in the store)."""
        out: dict[str, str] = {}
        step = self.db.dialect.max_params
        for i in range(0, len(ids), step):
            part = ids[i : i + step]
            rows = self.db.tuples(
                f"SELECT id, content_hash FROM articles WHERE id IN ({','.join('?' * len(part))})", part
            )
            out.update({str(a): str(h) for a, h in rows})
        return out

    def corpus_ids(self) -> list[str]:
        """The ids of the articles to model (near-duplicates left out), in the one order every run reads them."""
        clause = " WHERE duplicate_of IS NULL" if "duplicate_of" in self.db.columns("articles") else ""
        return sorted(str(r[0]) for r in self.db.tuples(f"SELECT id FROM articles{clause}"))  # code-point order

    def texts_of(self, ids: list[str]) -> dict[str, tuple[str, str]]:
        """(title, text) of the given articles."""
        out: dict[str, tuple[str, str]] = {}
        step = self.db.dialect.max_params
        for i in range(0, len(ids), step):
            part = ids[i : i + step]
            rows = self.db.execute(
                f"SELECT id, title, text FROM articles WHERE id IN ({','.join('?' * len(part))})", part
            )
            out.update({r[0]: (r[1], r[2]) for r in rows})
        return out

    def save_model(self, model: Any) -> str | None:
        """Write the BERTopic model (c-TF-IDF, vectorizer, representations) to a new folder; returns its path."""
        root = self.models_dir()
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

    def save_fit(
        self,
        *,
        result: TopicFit,
        corpus: pd.DataFrame,
        lineage: TopicIds,
        theme_ids: TopicIds | None = None,
        embedding_model: str,
        model_path: str | None,
        words_over_time: pd.DataFrame | None,
        timings: dict[str, float],
        kind: str = "full",
        fail_after_topics: bool = False,
    ) -> int:
        """Write a fit and make it the active one in one transaction; the previous fit stays usable
        until the commit. theme_ids: the stable id of each of the fit's themes. Returns the new fit id."""
        stable = np.array([lineage.mapping.get(int(t), -1) if t >= 0 else -1 for t in result.topics])
        ids = corpus["id"].to_numpy()
        outlets = corpus["outlet"].to_numpy()
        try:
            with self.db.transaction():
                cur = self.db.execute(
                    "INSERT INTO fits(created, kind, embedding_model, params, fingerprint, n_articles, n_topics,"
                    " outlier_share, model_path, timings) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
                    (
                        utcnow(),
                        kind,
                        embedding_model,
                        json.dumps(asdict(result.params)),
                        fingerprint(corpus["content_hash"]),
                        len(corpus),
                        len(result.sizes),
                        result.outlier_share,
                        model_path,
                        json.dumps(timings),
                    ),
                )
                fit_id = int(cur.fetchone()[0])
                themes = result.theme_set
                stable_theme = theme_ids.mapping if themes and theme_ids else {}
                if theme_ids is not None:
                    self.db.set_meta("next_theme_id", str(theme_ids.next_id))
                rows = []
                for t, stable_id in lineage.mapping.items():
                    members = result.topics == t
                    theme = themes.of_topic.get(t) if themes else None
                    rows.append(
                        (
                            fit_id,
                            stable_id,
                            result.labels[t],
                            json.dumps(result.keywords.get(t, [])),
                            int(members.sum()),
                            json.dumps(representative_articles(ids, outlets, result.topics, result.probabilities, t)),
                            result.centroids[t].astype(np.float32).tobytes(),
                            float(result.coords[members, 0].mean()),
                            float(result.coords[members, 1].mean()),
                            stable_theme.get(theme) if theme is not None else None,
                        )
                    )
                self.db.executemany(
                    "INSERT INTO topics(fit_id, topic, label, keywords, size, representative, centroid, x, y, theme)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?)",
                    rows,
                )
                if themes:
                    self._save_themes(fit_id, themes, stable_theme)
                if fail_after_topics:
                    raise RuntimeError("simulated crash while writing the fit")
                self.db.executemany(
                    "INSERT INTO article_topics(fit_id, article_id, topic, probability, x, y) VALUES (?,?,?,?,?,?)",
                    [
                        (fit_id, str(a), int(s), float(p), float(xy[0]), float(xy[1]))
                        for a, s, p, xy in zip(ids, stable, result.probabilities, result.coords, strict=True)
                    ],
                )
                now = utcnow()
                self.db.executemany(
                    "INSERT INTO topic_lineage(fit_id, created, event, topic, previous, similarity)"
                    " VALUES (?,?,?,?,?,?)",
                    [
                        (fit_id, now, e["event"], e["topic"], json.dumps(e["previous"]), e["similarity"])
                        for e in lineage.events
                    ],
                )
                if words_over_time is not None and not words_over_time.empty:
                    self.db.executemany(
                        self.db.dialect.insert(
                            "topic_words_over_time",
                            ("fit_id", "topic", "period", "words", "frequency"),
                            conflict="replace",
                            keys=("fit_id", "topic", "period"),
                        ),
                        [
                            (fit_id, lineage.mapping[int(r.topic)], str(r.period), r.words, int(r.frequency))
                            for r in words_over_time.itertuples()
                            if int(r.topic) in lineage.mapping
                        ],
                    )
                self.db.set_meta("active_fit", str(fit_id))
                self.db.set_meta("next_topic_id", str(lineage.next_id))
                # Older fits keep their summary rows (history); their per-article rows go.
                self.db.execute("DELETE FROM article_topics WHERE fit_id != ?", (fit_id,))
                self.db.execute("DELETE FROM topic_words_over_time WHERE fit_id != ?", (fit_id,))
                self.db.bump_version()
        except BaseException:
            if model_path:
                shutil.rmtree(model_path, ignore_errors=True)
            raise
        self._remove_stale_models(keep={model_path} if model_path else set())
        return fit_id

    def theme_centroids(self, fit_id: int | None) -> dict[int, np.ndarray]:
        """The centroid of each theme of a fit (none for no fit)."""
        if fit_id is None:
            return {}
        rows = self.db.execute("SELECT theme, centroid FROM themes WHERE fit_id = ?", (fit_id,))
        return {int(t): np.frombuffer(c, dtype=np.float32).copy() for t, c in rows if c is not None}

    def _save_themes(self, fit_id: int, themes: ThemeSet, theme_ids: dict[int, int]) -> None:
        self.db.executemany(
            "INSERT INTO themes(fit_id, theme, label, keywords, size, centroid) VALUES (?,?,?,?,?,?)",
            [
                (
                    fit_id,
                    stable,
                    themes.labels.get(th, f"Theme {stable}"),
                    json.dumps(themes.keywords.get(th, [])),
                    themes.sizes.get(th, 0),
                    themes.centroids[th].astype(np.float32).tobytes() if th in themes.centroids else None,
                )
                for th, stable in theme_ids.items()
            ],
        )

    def topics_without_themes(
        self,
    ) -> tuple[int, dict[int, np.ndarray], dict[int, int], dict[int, list[tuple[str, float]]]] | None:
        """(fit id, centroids, sizes, keywords) of the active fit's topics when it was made before themes existed;
        None when it has themes, has no topic with a centroid or there is no fit."""
        fit_id = self.db.active_fit
        if fit_id is None or self.db.execute("SELECT 1 FROM themes WHERE fit_id = ?", (fit_id,)).fetchone():
            return None
        rows = self.db.execute(
            "SELECT topic, keywords, size, centroid FROM topics WHERE fit_id = ?", (fit_id,)
        ).fetchall()
        cents = {int(r[0]): np.frombuffer(r[3], dtype=np.float32).copy() for r in rows if r[3] is not None}
        if not cents:
            return None
        sizes = {int(r[0]): int(r[2]) for r in rows}
        keywords = {int(r[0]): [(w, float(x)) for w, x in json.loads(r[1])] for r in rows}
        return fit_id, cents, sizes, keywords

    def add_themes(self, fit_id: int, themes: ThemeSet, theme_ids: TopicIds) -> None:
        """Themes for a fit's stored topics, in one transaction."""
        with self.db.transaction():
            self.db.set_meta("next_theme_id", str(theme_ids.next_id))
            self.db.executemany(
                "UPDATE topics SET theme = ? WHERE fit_id = ? AND topic = ?",
                [(theme_ids.mapping[th], fit_id, t) for t, th in themes.of_topic.items()],
            )
            self._save_themes(fit_id, themes, theme_ids.mapping)
            self.db.bump_version()

    def _remove_stale_models(self, keep: set[str]) -> None:
        root = self.models_dir()
        if root is None or not root.exists():
            return
        for d in root.iterdir():
            if d.is_dir() and str(d) not in keep:
                shutil.rmtree(d, ignore_errors=True)

    def active_fit_row(self) -> dict[str, Any]:
        fit_id = self.db.active_fit
        if fit_id is None:
            raise NoFit("No topic model yet; run `python -m analysis fit` first.")
        row = self.db.execute("SELECT * FROM fits WHERE id = ?", (fit_id,)).fetchone()
        out = dict(row)
        for k in ("params", "timings", "extra"):
            out[k] = json.loads(out[k] or "{}")
        return out

    def topic_centroids(self, fit_id: int) -> dict[int, np.ndarray]:
        rows = self.db.execute("SELECT topic, centroid FROM topics WHERE fit_id = ?", (fit_id,))
        return {int(t): np.frombuffer(c, dtype=np.float32).copy() for t, c in rows if c is not None}

    def has_unprocessed(self) -> bool:
        """Whether any article lacks a topic row in the active fit (no model needed)."""
        row = self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_topics t"
            " WHERE t.fit_id = ? AND t.article_id = a.id))",
            (self.db.active_fit,),
        ).fetchone()
        return bool(row[0])

    def add_assignments(self, fit_id: int, rows: Iterable[tuple[str, int, float, float, float]]) -> None:
        """Topics of articles placed into an existing fit by `fit --update`: (article, topic, similarity, x, y)."""
        with self.db.transaction():
            self.db.executemany(
                self.db.dialect.insert(
                    "article_topics",
                    ("fit_id", "article_id", "topic", "probability", "x", "y", "assigned_by"),
                    conflict="replace",
                    keys=("fit_id", "article_id"),
                ),
                [(fit_id, a, int(t), float(p), float(x), float(y), "update") for a, t, p, x, y in rows],
            )
            self.db.bump_version()

    def placed_vectors(self, fit_id: int, model: str) -> tuple[np.ndarray, np.ndarray]:
        """Map positions (n, 2) and unit vectors (n, dim) of the fit's articles whose vectors are cached."""
        rows = self.db.execute(
            "SELECT at.x, at.y, e.vector FROM article_topics at JOIN articles a ON a.id = at.article_id"
            " JOIN embeddings e ON e.model = ? AND e.content_hash = a.content_hash WHERE at.fit_id = ?",
            (model, fit_id),
        ).fetchall()
        if not rows:
            return np.zeros((0, 2), dtype=np.float32), np.zeros((0, 0), dtype=np.float32)
        xy = np.array([(r[0], r[1]) for r in rows], dtype=np.float32)
        mat = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float16).reshape(len(rows), -1).astype(np.float32)
        return xy, mat

    def assigned_count(self) -> int:
        """Articles with a topic row in the active fit."""
        if self.db.active_fit is None:
            return 0
        return int(
            self.db.execute("SELECT count(*) FROM article_topics WHERE fit_id = ?", (self.db.active_fit,)).fetchone()[0]
        )
