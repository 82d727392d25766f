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

    def intel_rows(self) -> Iterator[tuple[str, float | None, str, float | None, str, str]]:
        """(article_id, sentiment, sentiment_label, headline_sentiment, summary, tags JSON) of every processed
        article."""
        yield from self.db.execute(
            "SELECT article_id, sentiment, sentiment_label, headline_sentiment, summary, tags FROM article_intel"
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
