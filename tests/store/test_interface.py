"""The store's interface: what a second backend must implement, and the SQLite dialect behind it."""

from __future__ import annotations

import inspect
import re
import sqlite3
from pathlib import Path

import pytest

from analysis.filters import Filters
from analysis.ingest.schema import Article
from analysis.store import Database, Store
from analysis.store.base import Backend, Family
from analysis.store.sqlite import SQLiteDialect

STORE = Path(__file__).resolve().parents[2] / "analysis" / "store"
ENGINE_SQL = re.compile(r"INSERT OR|\bMATCH\b|\bPRAGMA\b|bm25\(|\bsqlite3\b|articles_fts|lastrowid|total_changes")


def _article(i: int, title: str, text: str) -> Article:
    return Article(title=title, text=text, outlet="Daily Planet", url=f"https://planet.test/{i}",
                   published="2024-05-01").finalise()  # fmt: skip


def test_the_sqlite_store_is_a_database_with_every_family_bound_to_it(store):
    assert isinstance(store, Database)
    for name, kind in inspect.get_annotations(Database).items():
        family = getattr(store, name)
        assert isinstance(family, Family) and family.db is store, name
        assert type(family).__name__ == kind


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_interface_names_everything_the_stores_offer(backend):
    """Code written against Database has the whole list: nothing public is one engine's only, except the
    connection and the PostgreSQL store's pool."""
    from analysis.store.postgres import PgStore

    offered = {n for n in dir(Store if backend == "sqlite" else PgStore) if not n.startswith("_")} - {"conn"}
    declared = {n for n in dir(Database) if not n.startswith("_")} | set(inspect.get_annotations(Database))
    declared |= set(inspect.get_annotations(Backend))
    assert offered - declared == set()


def test_the_families_speak_only_sql_both_engines_accept():
    """Engine-specific SQL lives in the backends (sqlite.py, postgres.py), their DDL (migrations.py and its
    translation pg_schema.py) and the SQLite snapshot file reader; the families reach FTS5, INSERT OR and
    PRAGMA only through the dialect."""
    allowed = {"sqlite.py", "migrations.py", "snapshot.py", "base.py", "interface.py", "__init__.py", "postgres.py",
               "pg_schema.py"}  # fmt: skip
    found = {p.name: ENGINE_SQL.findall(p.read_text()) for p in STORE.glob("*.py") if p.name not in allowed}
    assert {k: v for k, v in found.items() if v} == {}


def test_inserts_fail_skip_or_replace_on_a_clash():
    d = SQLiteDialect()
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
    conn.execute(d.insert("t", ("k", "v")), ("a", 1))
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(d.insert("t", ("k", "v")), ("a", 2))
    conn.execute(d.insert("t", ("k", "v"), conflict="ignore", keys=("k",)), ("a", 3))
    assert conn.execute("SELECT v FROM t").fetchall() == [(1,)]
    conn.execute(d.insert("t", ("k", "v"), conflict="replace", keys=("k",)), ("a", 4))
    assert conn.execute("SELECT v FROM t").fetchall() == [(4,)]


def test_a_search_the_engine_cannot_parse_is_run_as_plain_words(store):
    store.add_articles([_article(1, "Storm hits coast", "A storm hit the coast."),
                        _article(2, "Budget vote", "The senate voted on the budget.")])  # fmt: skip
    assert SQLiteDialect().plain_terms('storm AND "coast') == '"storm" "coast"'
    for search in ('"storm', "storm AND", "coast)"):  # FTS5 refuses each of these; PostgreSQL reads any text
        if store.dialect.name == "sqlite":
            with pytest.raises(sqlite3.OperationalError) as refused:
                store.execute(store.dialect.search_ranked(), (search,)).fetchall()
            assert store.dialect.is_search_syntax_error(refused.value)
        ids = store.articles.matching_ids(Filters(search=search))
        assert [store.get_article(i)["title"] for i in ids] == ["Storm hits coast"]
        assert list(store.filtering.search_ranks(search).index) == list(ids)


def test_an_error_that_is_not_search_syntax_is_not_hidden(store):
    with pytest.raises(Exception, match="no such column|no_col does not exist"):
        store.filtering.query("SELECT a.no_col FROM articles a WHERE {where}", Filters(search="storm"))
    assert not store.dialect.is_search_syntax_error(sqlite3.OperationalError("no such table: x"))


def test_any_word_ranks_articles_with_either_word(store):
    store.add_articles([_article(1, "Storm hits coast", "A storm hit."), _article(2, "Budget vote", "Senate vote."),
                        _article(3, "Weather", "Sunny all week.")])  # fmt: skip
    rows = store.execute(store.dialect.search_ranked(limit=5), (store.dialect.any_word(["storm", "senate"]),))
    assert sorted(store.get_article(r[0])["title"] for r in rows) == ["Budget vote", "Storm hits coast"]


def test_columns_and_frames_come_from_the_primitives(store):
    assert store.columns("meta") == ["key", "value"]
    df = store.frame("SELECT key FROM meta WHERE key = ?", ("active_fit",))
    assert list(df["key"]) == ["active_fit"]


@pytest.mark.parametrize("many", [0, 10_000])
def test_search_ranks_by_row_number_give_the_joined_searchs_ids_and_order(store, monkeypatch, many):
    from analysis.store import filtering

    monkeypatch.setattr(filtering, "MANY_ROWS", many)  # 0: through one scan of the id index; else row by row
    store.add_articles([_article(i, f"Storm {'storm ' * (i % 4)}report {i}", f"Wind and rain, day {i}.")
                        for i in range(1, 13)] + [_article(99, "Budget vote", "The senate voted.")])  # fmt: skip
    ranks = store.filtering.search_ranks("storm")
    joined = store.execute(store.dialect.search_ranked(), ("storm",)).fetchall()
    assert len(ranks) == 12 and [store.get_article(i)["title"].startswith("Storm") for i in ranks.index] == [True] * 12
    assert sorted(zip(ranks.index, ranks.round(9), strict=True)) == sorted((i, round(r, 9)) for i, r in joined)
    assert ranks.is_monotonic_increasing  # best first, as the joined search orders them
