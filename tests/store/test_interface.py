"""The store's interface: what a second backend must implement, and the SQLite dialect behind it."""

from __future__ import annotations

import inspect
import re
import sqlite3
from pathlib import Path

import pytest

from analysis.ingest.schema import Article
from analysis.store import Database, Store
from analysis.store.base import Backend, Family
from analysis.store.sqlite import SQLiteDialect

STORE = Path(__file__).resolve().parents[2] / "analysis" / "store"
ENGINE_SQL = re.compile(r"INSERT OR|\bMATCH\b|\bPRAGMA\b|bm25\(|\bsqlite3\b|articles_fts|lastrowid|total_changes")


def _article(i: int, title: str, text: str) -> Article:
    return Article(
        title=title, text=text, outlet="Daily Planet", url=f"https://planet.test/{i}", published="2024-05-01"
    ).finalise()


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
    allowed = {
        "sqlite.py",
        "migrations.py",
        "snapshot.py",
        "base.py",
        "interface.py",
        "__init__.py",
        "postgres.py",
        "pg_schema.py",
    }
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


def titles(store, text: str) -> list[str]:
    """The titles a search finds, best first."""
    return [store.get_article(i)["title"] for i in store.search.ids_of(store.search.matches(text))]


def test_a_search_that_cannot_be_read_as_written_is_searched_as_plain_words_and_says_so(store):
    store.add_articles(
        [
            _article(1, "Storm hits coast", "A storm hit the coast."),
            _article(2, "Budget vote", "The senate voted on the budget."),
        ]
    )
    for search in ('"storm', "storm AND", "coast)", "AND coast", "storm OR", "(storm"):
        found = store.search.matches(search)
        assert titles(store, search) == ["Storm hits coast"], search
        assert found.notes, search  # one sentence says how it was read
    assert store.search.matches("storm").notes == ()


def test_hyphens_minus_and_common_words_read_as_a_user_means_them(store):
    store.add_articles(
        [
            _article(1, "COVID-19 cases rise", "New COVID-19 cases were counted in the city."),
            _article(2, "Covid ward reopens", "The ward closed in 2019 and reopened."),
            _article(3, "Budget vote", "The senate voted on the budget; 19 voted no."),
        ]
    )
    assert titles(store, "COVID-19") == ["COVID-19 cases rise"]  # the phrase it is, not covid NOT 19
    assert titles(store, "covid -ward") == ["COVID-19 cases rise"]  # a leading minus leaves a word out
    assert sorted(titles(store, "covid OR senate")) == ["Budget vote", "COVID-19 cases rise", "Covid ward reopens"]
    assert titles(store, 'voted -"the budget"') == []
    common = store.search.matches("the of and")
    assert len(common) == 0 and "only common words" in common.notes[0]
    alone = store.search.matches("-covid")
    assert len(alone) == 0 and "at least one word to find" in alone.notes[0]
    assert sorted(titles(store, "title:covid")) == [
        "COVID-19 cases rise",
        "Covid ward reopens",
    ]  # its words, not a column filter
    assert titles(store, "reopen*") == ["Covid ward reopens"]


def test_an_error_that_is_not_search_syntax_is_not_hidden(store, monkeypatch):
    assert not store.dialect.is_search_syntax_error(sqlite3.OperationalError("no such table: x"))
    monkeypatch.setattr(type(store.dialect), "match", lambda self, node: ("SELECT no_col, 1 FROM articles", []))
    with pytest.raises(Exception, match="no such column|does not exist"):  # a bug is not searched as plain words
        store.search.matches("storm")


def test_best_ids_rank_articles_with_either_word(store):
    store.add_articles(
        [
            _article(1, "Storm hits coast", "A storm hit."),
            _article(2, "Budget vote", "Senate vote."),
            _article(3, "Weather", "Sunny all week."),
        ]
    )
    found = store.search.best_ids(["storm", "senate"], 5)
    assert sorted(store.get_article(i)["title"] for i in found) == ["Budget vote", "Storm hits coast"]
    assert len(store.search.best_ids(["storm", "senate"], 1)) == 1


def test_matches_come_best_first_and_their_ids_in_that_order(store):
    store.add_articles(
        [_article(i, f"Storm {'storm ' * (i % 4)}report {i}", f"Wind and rain, day {i}.") for i in range(1, 13)]
        + [_article(99, "Budget vote", "The senate voted.")]
    )
    found = store.search.matches("storm")
    ids = store.search.ids_of(found)
    assert len(ids) == 12 and all(store.get_article(i)["title"].startswith("Storm") for i in ids)
    assert list(found.ranks) == sorted(found.ranks)  # best first
    assert store.search.ids_of(store.search.matches("zzzunfound")) == []


def test_columns_and_frames_come_from_the_primitives(store):
    assert store.columns("meta") == ["key", "value"]
    df = store.frame("SELECT key FROM meta WHERE key = ?", ("active_fit",))
    assert list(df["key"]) == ["active_fit"]
