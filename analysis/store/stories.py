"""Reading stories (the same event across outlets): the list in the filters, one story and its articles."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.filters import Filters
from analysis.store.base import Family


class Stories(Family):
    """Reading stories (the same event across outlets): the list in the filters, one story and its articles."""

    def story_rows(self, filters: Filters, min_outlets: int) -> pd.DataFrame:
        """Stories with min_outlets outlets and at least one article in the filters: story_id, title,
        first_published, first_outlet, tied, precision, articles, outlets, outlet_list (JSON), bias (JSON),
        matching (its articles in the filters)."""
        return self.db.filtering.query(
            "SELECT s.story_id, s.title, s.first_published, s.first_outlet, s.tied, s.precision, s.articles, s.outlets,"
            " s.outlet_list, s.bias, count(*) AS matching FROM story_members m JOIN stories s ON"
            " s.story_id = m.story_id"
            " JOIN articles a ON a.id = m.article_id WHERE {where} AND s.outlets >= ? GROUP BY s.story_id",
            filters,
            [min_outlets],
        )

    def story_table(self, min_outlets: int) -> pd.DataFrame:
        """story_rows' columns but matching, for every story with min_outlets outlets, by story id."""
        return self.db.frame(
            "SELECT story_id, title, first_published, first_outlet, tied, precision, articles, outlets, outlet_list,"
            " bias FROM stories WHERE outlets >= ? ORDER BY story_id",
            (min_outlets,),
        )

    def topic_story_rows(self, topics: tuple[int, ...] | list[int], filters: Filters, limit: int = 15) -> pd.DataFrame:
        """The biggest stories (two or more outlets) with articles of these raw topic ids in the filters."""
        ph = ",".join("?" * len(topics))
        return self.db.filtering.query(
            "SELECT s.story_id, s.title, s.first_published, s.first_outlet, s.articles, s.outlets, count(*) AS in_topic"
            " FROM story_members m JOIN stories s ON s.story_id = m.story_id JOIN articles a ON a.id = m.article_id"
            f" WHERE {{where}} AND a.id IN (SELECT article_id FROM article_topics WHERE fit_id = ? AND topic IN ({ph}))"
            " AND s.outlets >= 2 GROUP BY s.story_id ORDER BY s.articles DESC, s.first_published DESC"
            f" LIMIT {int(limit)}",
            filters,
            [self.db.active_fit, *topics],
        )

    def story_row(self, story_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM stories WHERE story_id = ?", (story_id,)).fetchone()
        return dict(row) if row else None

    def story_articles(self, story_id: int) -> pd.DataFrame:
        """A story's articles, oldest first: id, outlet, title, published, lag_hours, lag_days, first, bias,
        sentiment, country (of the outlet)."""
        return self.db.frame(
            "SELECT a.id, a.outlet, a.title, a.published, m.lag_hours, m.lag_days, m.first, o.bias, i.sentiment,"
            " o.country"
            " FROM story_members m"
            " JOIN articles a ON a.id = m.article_id LEFT JOIN outlets o ON o.name = a.outlet"
            " LEFT JOIN article_intel i ON i.article_id = a.id WHERE m.story_id = ? ORDER BY a.published, a.id",
            (story_id,),
        )

    def member_rows(self, story_ids: list[int]) -> pd.DataFrame:
        """story_id, article id, outlet, title, published and summary of the articles of these stories."""
        if not story_ids:
            return pd.DataFrame(columns=["story_id", "id", "outlet", "title", "published", "summary"])
        step = self.db.dialect.max_params
        parts = [
            self.db.frame(
                "SELECT m.story_id, a.id, a.outlet, a.title, a.published, i.summary FROM story_members m"
                " JOIN articles a ON a.id = m.article_id LEFT JOIN article_intel i ON i.article_id = a.id"
                f" WHERE m.story_id IN ({','.join('?' * len(story_ids[k : k + step]))})",
                story_ids[k : k + step],
            )
            for k in range(0, len(story_ids), step)
        ]
        return pd.concat(parts, ignore_index=True)
