"""Per-article results (tone, summary, tags) and the stories they are grouped into."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis.store.base import Family

# article_id, head score, head label, body score, body label, summary, tags (JSON), computed
IntelRow = tuple[str, float | None, str, float | None, str, str, str, str]
INTEL_COLUMNS = (
    "article_id",
    "headline_sentiment",
    "headline_label",
    "sentiment",
    "sentiment_label",
    "summary",
    "tags",
    "updated",
)


class Intel(Family):
    """Per-article results (tone, summary, tags) and the stories they are grouped into."""

    def processed_ids(self) -> set[str]:
        """Articles that have tone, summary and tags."""
        return {r[0] for r in self.db.execute("SELECT article_id FROM article_intel")}

    def processed_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM article_intel").fetchone()[0])

    def processed_ids_of(self, ids: Sequence[str]) -> set[str]:
        """Which of these articles have tone, summary and tags."""
        out: set[str] = set()
        step = self.db.dialect.max_params
        for i in range(0, len(ids), step):
            part = list(ids[i : i + step])
            marks = ",".join("?" * len(part))
            rows = self.db.execute(f"SELECT article_id FROM article_intel WHERE article_id IN ({marks})", part)
            out |= {r[0] for r in rows}
        return out

    def save_intel(self, rows: Sequence[IntelRow]) -> None:
        with self.db.transaction():
            sql = self.db.dialect.insert("article_intel", INTEL_COLUMNS, conflict="replace", keys=("article_id",))
            self.db.executemany(sql, rows)
            self.db.bump_version()

    def outlet_biases(self) -> dict[str, str]:
        """Each outlet's bias rating ('' when unrated)."""
        return dict(self.db.execute("SELECT name, coalesce(bias, '') FROM outlets").fetchall())

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

    def term_stats(self) -> tuple[int, dict[str, int]] | None:
        """(documents, term -> documents holding it) of the corpus the tags were made against; None when no
        full run has recorded them (a store from before they were kept)."""
        docs = self.db.meta("tag_docs", "")
        if not docs:
            return None
        return int(docs), dict(self.db.execute("SELECT term, docs FROM tag_terms").fetchall())

    def save_term_stats(self, docs: int, df: dict[str, int]) -> None:
        with self.db.transaction():
            self.db.execute("DELETE FROM tag_terms")
            self.db.executemany("INSERT INTO tag_terms(term, docs) VALUES (?, ?)", df.items())
            self.db.set_meta("tag_docs", str(docs))
