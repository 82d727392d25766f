"""Reading articles: the app's per-article frame, ids matching the filters, outlets and date bounds,
headline-and-lead samples, short rows by id."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analysis.store.base import Family


class ArticleReads(Family):
    """Reading articles: the app's frame, ids in the filters, outlets, date bounds, samples, rows by id."""

    def frame_parts(self) -> dict[str, pd.DataFrame]:
        """The narrow reads the article frame is merged from (each served by a covering index; joining in SQL
        made SQLite read every row's text pages, 1.3 s against 0.4 s at 100,000 articles): articles, outlets,
        tone, stories, and topics (of the active fit; empty without one)."""
        return {
            "articles": self.db.frame(
                "SELECT id AS article_id, published, published_precision AS precision, outlet, title, rid"
                " FROM articles",
            ),
            "outlets": self.db.frame("SELECT name AS outlet, bias, country FROM outlets"),
            "tone": self.db.frame("SELECT article_id, tone FROM article_tone"),
            "stories": self.db.frame("SELECT article_id, story_id, first, lag_hours, lag_days FROM story_members"),
            "topics": self.db.frame(
                "SELECT article_id, topic, x, y FROM article_topics WHERE fit_id = ?",
                (self.db.active_fit,),
            ),
        }

    def outlet_names(self) -> list[str]:
        """Outlet names, most articles first."""
        rows = self.db.execute("SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC, outlet")
        return [r[0] for r in rows]

    def date_bounds(self) -> tuple[date | None, date | None]:
        """The first and last publication day in the store (None, None when nothing is dated)."""
        # Two queries: each of min and max alone is read from the date index; together they scan every row.
        first = self.db.execute("SELECT min(published) FROM articles").fetchone()
        last = self.db.execute("SELECT max(published) FROM articles").fetchone()
        if not first or not first[0]:
            return None, None
        return pd.Timestamp(first[0]).date(), pd.Timestamp(last[0]).date()

    def leads(self, ids: list[str], chars: int) -> list[str]:
        """Headline and the first `chars` characters of the text of these articles (in no particular order)."""
        step = self.db.dialect.max_params
        out: list[str] = []
        for i in range(0, len(ids), step):
            part = ids[i : i + step]
            out += [
                r[0]
                for r in self.db.tuples(
                    f"SELECT a.title || '. ' || substr(a.text, 1, {int(chars)}) FROM articles a"
                    f" WHERE a.id IN ({','.join('?' * len(part))})",
                    part,
                )
            ]
        return out

    def short_rows(self, ids: list[str]) -> pd.DataFrame:
        """id, title, outlet, published (day), tone_label, summary of the given ids, in that order (the one
        "article rows by id" every list of articles uses)."""
        if not ids:
            return pd.DataFrame(columns=["id", "title", "outlet", "published", "tone_label", "summary"])
        df = self.db.frame(
            "SELECT a.id, a.title, a.outlet, substr(a.published, 1, 10) AS published, t.tone_label, s.summary"
            " FROM articles a LEFT JOIN article_tone t ON t.article_id = a.id"
            " LEFT JOIN article_summaries s ON s.article_id = a.id WHERE a.id IN"
            f" ({','.join('?' * len(ids))})",
            ids,
        )
        order = {a: i for i, a in enumerate(ids)}
        return df.sort_values("id", key=lambda s: s.map(order)).reset_index(drop=True)

    def article_row(self, article_id: str) -> dict[str, Any] | None:
        """One article with its outlet's metadata, tone, summary, tags (JSON) and story place."""
        row = self.db.execute(
            "SELECT a.id, a.url, a.title, a.text, a.outlet, a.published, a.published_precision AS precision,"
            " a.authors, a.language, o.country, o.bias,"
            " o.owner, t.tone, t.tone_label, t.headline_tone, t.headline_label, s.summary, g.tags,"
            " m.story_id, m.lag_hours, m.lag_days, m.first, a.duplicate_of FROM articles a"
            " LEFT JOIN outlets o ON o.name = a.outlet LEFT JOIN article_tone t ON t.article_id = a.id"
            " LEFT JOIN article_summaries s ON s.article_id = a.id LEFT JOIN article_tags g ON g.article_id = a.id"
            " LEFT JOIN story_members m ON m.article_id = a.id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return dict(row) if row else None

    def raw_topic_of(self, article_id: str) -> int | None:
        """The article's topic id in the active fit (before edits), None when it has none."""
        if self.db.active_fit is None:
            return None
        row = self.db.execute(
            "SELECT topic FROM article_topics WHERE fit_id = ? AND article_id = ?", (self.db.active_fit, article_id)
        ).fetchone()
        return None if row is None else int(row[0])

    def brief(self, article_id: str) -> dict[str, Any] | None:
        """id, title, outlet, published of one article."""
        row = self.db.execute(
            "SELECT id, title, outlet, published FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return dict(row) if row else None

    def copies_of(self, article_id: str) -> list[dict[str, Any]]:
        """id, title, outlet, published of the near-duplicates of an article, oldest first."""
        rows = self.db.execute(
            "SELECT id, title, outlet, published FROM articles WHERE duplicate_of = ? ORDER BY published, id",
            (article_id,),
        )
        return [dict(r) for r in rows]

    def vectors_in_window(self, model: str, start: str, end: str) -> tuple[pd.DataFrame, np.ndarray]:
        """(id, outlet, published, story_id) and unit vectors of the articles published from start to end (ISO
        times) whose vectors are cached. The articles_window index covers the scan."""
        return self._vectors(model, "a.published BETWEEN ? AND ?", (start, end))

    def vectors_sharing_words(self, model: str, article_id: str, words: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
        """The same for an article and the (at most 2,000) articles whose text best matches any of the words."""
        ids = [article_id, *self.db.search.best_ids(words, 2000)]
        return self._vectors(model, f"a.id IN ({','.join('?' * len(ids))})", tuple(ids))

    def vectors_near(self, model: str, article_id: str, n: int) -> tuple[pd.DataFrame, np.ndarray] | None:
        """The same for an article, the articles whose vectors are the n nearest to its own by the store's
        nearest-neighbour index, and the members of its story (column exhaustive: the index has no more);
        None when the store has no such index (or the article no vector)."""
        row = self.db.execute(
            "SELECT e.vector FROM articles a JOIN embeddings e ON e.model = ? AND e.content_hash = a.content_hash"
            " WHERE a.id = ?",
            (model, article_id),
        ).fetchone()
        if row is None:
            return None
        hashes = self.db.nearest_hashes(model, bytes(row[0]), n)
        if hashes is None:
            return None
        if not hashes:
            hashes = [""]
        story = (
            "SELECT article_id FROM story_members"
            " WHERE story_id = (SELECT story_id FROM story_members WHERE article_id = ?)"
        )
        cand, emb = self._vectors(
            model,
            f"(a.id = ? OR a.content_hash IN ({','.join('?' * len(hashes))}) OR a.id IN ({story}))",
            (article_id, *hashes, article_id),
        )
        cand = cand.assign(exhaustive=len(hashes) < n)  # the index gave every vector it has
        return cand, emb

    def _vectors(self, model: str, where: str, params: tuple[Any, ...]) -> tuple[pd.DataFrame, np.ndarray]:
        rows = self.db.execute(
            "SELECT a.id, a.outlet, a.published, e.vector FROM articles a"
            f" {self.db.dialect.ordered_join} embeddings e ON e.model = ? AND e.content_hash = a.content_hash"
            f" WHERE {where}",
            (model, *params),
        ).fetchall()
        ids = [r[0] for r in rows]
        story: dict[str, int] = {}
        step = self.db.dialect.max_params
        for i in range(0, len(ids), step):
            part = ids[i : i + step]
            ph = ",".join("?" * len(part))
            story.update(
                self.db.execute(
                    f"SELECT article_id, story_id FROM story_members WHERE article_id IN ({ph})", part
                ).fetchall()
            )
        out = pd.DataFrame(
            {
                "id": ids,
                "outlet": [r[1] for r in rows],
                "published": [r[2] for r in rows],
                "story_id": [story.get(a, -1) for a in ids],
            }
        )
        if not rows:
            return out, np.zeros((0, 0), dtype=np.float32)
        emb = np.frombuffer(b"".join(r[3] for r in rows), dtype=np.float16).reshape(len(rows), -1).astype(np.float32)
        emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
        return out, emb
