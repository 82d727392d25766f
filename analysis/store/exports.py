"""Streaming reads for the CSV exports: every article, story and outlet in the contract's order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from analysis.store.base import Family


class Exports(Family):
    """Streaming reads for the CSV exports: every article, story and outlet in the contract's order."""

    def extra_keys(self) -> list[str]:
        """Every extra field in the store, in order of first appearance."""
        rows = self.db.execute(
            f"SELECT j.key FROM articles a, {self.db.dialect.json_keys('a.extra')} GROUP BY j.key"
            " ORDER BY min(a.rid), min(j.id)"
        ).fetchall()
        return [r[0] for r in rows]

    def output_rows(self) -> Iterator[tuple[str, float | None, str | None, float | None, str | None, str | None]]:
        """(article_id, tone, tone_label, headline_tone, summary, tags JSON) of every article with a tone, a
        summary or tags."""
        yield from self.db.execute(
            "SELECT a.id, t.tone, t.tone_label, t.headline_tone, s.summary, g.tags FROM articles a"
            " LEFT JOIN article_tone t ON t.article_id = a.id LEFT JOIN article_summaries s ON s.article_id = a.id"
            " LEFT JOIN article_tags g ON g.article_id = a.id"
            " WHERE t.article_id IS NOT NULL OR s.article_id IS NOT NULL OR g.article_id IS NOT NULL"
        )

    def article_rows(self) -> Iterator[dict[str, Any]]:
        """id, url, title, outlet, published, extra (JSON) of every article, oldest first (undated last)."""
        cur = self.db.execute(
            "SELECT id, url, title, outlet, published, extra FROM articles ORDER BY published IS NULL, published, rid"
        )
        for row in cur:
            yield dict(row)

    def story_rows(self) -> Iterator[tuple[Any, ...]]:
        """(story_id, title, first_published, first_outlet, articles, outlets, outlet_list JSON, bias JSON, tied,
        precision) of every story, newest first."""
        yield from self.db.execute(
            "SELECT story_id, title, first_published, first_outlet, articles, outlets, outlet_list, bias,"
            " tied, precision"
            " FROM stories ORDER BY first_published DESC, story_id"
        )

    def outlet_rows(self) -> tuple[list[str], Iterator[list[Any]]]:
        """The outlets table with article counts and first/last dates: (header, rows)."""
        cur = self.db.execute(
            "SELECT o.name AS outlet, o.domain, o.country, o.bias, o.bias_source, o.owner, o.ratings,"
            " count(a.rid) AS articles, min(a.published) AS first_published, max(a.published) AS last_published"
            " FROM outlets o LEFT JOIN articles a ON a.outlet = o.name GROUP BY o.name ORDER BY articles DESC, o.name"
        )
        return [d[0] for d in cur.description], (list(r) for r in cur)
