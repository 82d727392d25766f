"""Stories (the same event across outlets): the table of stories, one story and its articles, and writing
them all at once when they are regrouped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis.store.base import Family


class Stories(Family):
    """Stories (the same event across outlets): reads, and writing them all at once when regrouped."""

    def story_of_articles(self) -> dict[str, int]:
        """The current story of every article in one."""
        return dict(self.db.execute("SELECT article_id, story_id FROM story_members").fetchall())

    def replace_stories(
        self, stories: Sequence[tuple[Any, ...]], members: Sequence[tuple[Any, ...]], next_id: int
    ) -> None:
        """All stories at once, in one transaction. stories: (story_id, title, first_published, first_outlet,
        articles, outlets, outlet_list JSON, bias JSON, tied, precision); members: (article_id, story_id,
        lag_hours, first, lag_days)."""
        with self.db.transaction():
            self.db.execute("DELETE FROM stories")
            self.db.execute("DELETE FROM story_members")
            self.db.executemany(
                "INSERT INTO stories(story_id, title, first_published, first_outlet, articles, outlets,"
                " outlet_list, bias,"
                " tied, precision) VALUES (?,?,?,?,?,?,?,?,?,?)",
                stories,
            )
            self.db.executemany(
                "INSERT INTO story_members(article_id, story_id, lag_hours, first, lag_days) VALUES (?,?,?,?,?)",
                members,
            )
            self.db.set_meta("next_story_id", str(next_id))
            self.db.delete_meta("stories_stale")
            self.db.bump_version()

    def count(self, min_outlets: int = 1) -> int:
        """How many stories have articles from at least min_outlets outlets."""
        return int(self.db.execute("SELECT count(*) FROM stories WHERE outlets >= ?", (min_outlets,)).fetchone()[0])

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
        lag_hours, lag_days, first, bias, tone, country (of the outlet), url."""
        return self.db.frame(
            "SELECT a.id, a.outlet, a.title, a.published, a.published_precision AS precision, m.lag_hours, m.lag_days,"
            " m.first, o.bias, t.tone, o.country, a.url"
            " FROM story_members m"
            " JOIN articles a ON a.id = m.article_id LEFT JOIN outlets o ON o.name = a.outlet"
            " LEFT JOIN article_tone t ON t.article_id = a.id WHERE m.story_id = ? ORDER BY a.published, a.id",
            (story_id,),
        )

    def member_rows(self, story_ids: list[int]) -> pd.DataFrame:
        """story_id, article id, outlet, title, published and summary of the articles of these stories."""
        if not story_ids:
            return pd.DataFrame(columns=["story_id", "id", "outlet", "title", "published", "summary"])
        step = self.db.dialect.max_params
        parts = [
            self.db.frame(
                "SELECT m.story_id, a.id, a.outlet, a.title, a.published, s.summary FROM story_members m"
                " JOIN articles a ON a.id = m.article_id LEFT JOIN article_summaries s ON s.article_id = a.id"
                f" WHERE m.story_id IN ({','.join('?' * len(story_ids[k : k + step]))})",
                story_ids[k : k + step],
            )
            for k in range(0, len(story_ids), step)
        ]
        return pd.concat(parts, ignore_index=True)
