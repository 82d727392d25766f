"""Reading stories (the same event across outlets): the table of stories, one story and its articles."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.store.base import Family


class Stories(Family):
    """Reading stories (the same event across outlets): the table of stories, one story and its articles."""

    def story_table(self, min_outlets: int) -> pd.DataFrame:
        """Every story with min_outlets outlets, by story id: story_id, title, first_published, first_outlet, tied,
        precision, articles, outlets, outlet_list (JSON), bias (JSON)."""
        return self.db.frame(
            "SELECT story_id, title, first_published, first_outlet, tied, precision, articles, outlets, outlet_list,"
            " bias FROM stories WHERE outlets >= ? ORDER BY story_id",
            (min_outlets,),
        )

    def story_row(self, story_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM stories WHERE story_id = ?", (story_id,)).fetchone()
        return dict(row) if row else None

    def story_articles(self, story_id: int) -> pd.DataFrame:
        """A story's articles, oldest first: id, outlet, title, published, precision (of the date: time or day),
        lag_hours, lag_days, first, bias, sentiment, country (of the outlet), url."""
        return self.db.frame(
            "SELECT a.id, a.outlet, a.title, a.published, a.published_precision AS precision, m.lag_hours, m.lag_days,"
            " m.first, o.bias, i.sentiment, o.country, a.url"
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
