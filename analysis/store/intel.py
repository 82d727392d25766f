"""Per-article results (tone, summary, tags) and the stories they are grouped into."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis.store.sqlite import Store

# article_id, head score, head label, body score, body label, summary, tags (JSON), computed
IntelRow = tuple[str, float | None, str, float | None, str, str, str, str]


def processed_ids(store: Store) -> set[str]:
    """Articles that have tone, summary and tags."""
    return {r[0] for r in store.conn.execute("SELECT article_id FROM article_intel")}


def processed_count(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM article_intel").fetchone()[0])


def save_intel(store: Store, rows: Sequence[IntelRow]) -> None:
    with store.transaction():
        store.conn.executemany("INSERT OR REPLACE INTO article_intel VALUES (?,?,?,?,?,?,?,?)", rows)
        store.bump_version()


def outlet_biases(store: Store) -> dict[str, str]:
    """Each outlet's bias rating ('' when unrated)."""
    return dict(store.conn.execute("SELECT name, coalesce(bias, '') FROM outlets").fetchall())


def story_of_articles(store: Store) -> dict[str, int]:
    """The current story of every article in one."""
    return dict(store.conn.execute("SELECT article_id, story_id FROM story_members").fetchall())


def replace_stories(
    store: Store, stories: Sequence[tuple[Any, ...]], members: Sequence[tuple[Any, ...]], next_id: int
) -> None:
    """All stories at once, in one transaction. stories: (story_id, title, first_published, first_outlet,
    articles, outlets, outlet_list JSON, bias JSON, tied, precision); members: (article_id, story_id,
    lag_hours, first, lag_days)."""
    with store.transaction():
        store.conn.execute("DELETE FROM stories")
        store.conn.execute("DELETE FROM story_members")
        store.conn.executemany(
            "INSERT INTO stories(story_id, title, first_published, first_outlet, articles, outlets, outlet_list, bias,"
            " tied, precision) VALUES (?,?,?,?,?,?,?,?,?,?)",
            stories,
        )
        store.conn.executemany(
            "INSERT INTO story_members(article_id, story_id, lag_hours, first, lag_days) VALUES (?,?,?,?,?)", members
        )
        store.set_meta("next_story_id", str(next_id))
        store.delete_meta("stories_stale")
        store.bump_version()


def term_stats(store: Store) -> tuple[int, dict[str, int]] | None:
    """(documents, term -> documents holding it) of the corpus the tags were made against; None when no
    full run has recorded them (a store from before they were kept)."""
    docs = store.meta("tag_docs", "")
    if not docs:
        return None
    return int(docs), dict(store.conn.execute("SELECT term, docs FROM tag_terms").fetchall())


def save_term_stats(store: Store, docs: int, df: dict[str, int]) -> None:
    with store.transaction():
        store.conn.execute("DELETE FROM tag_terms")
        store.conn.executemany("INSERT INTO tag_terms(term, docs) VALUES (?, ?)", df.items())
        store.set_meta("tag_docs", str(docs))
