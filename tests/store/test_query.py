"""The search syntax, read once: what a user types becomes a query tree both backends search alike; reading never
fails, and whatever was read otherwise than typed is said in a sentence."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.store.postgres import tsquery
from analysis.store.query import All, Either, Phrase, Word, matches_text, plain, read, words_of
from analysis.store.sqlite import fts5_query

SIGNS = ["AND", "OR", "NOT", "NEAR", "NEAR(", "(", ")", '"', "*", "-", ",", ":", "'", "\\", "\x00", "🙂", "10"]
texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(SIGNS), st.text(min_size=1, max_size=5)), max_size=12).map(" ".join),
    st.lists(st.one_of(st.sampled_from(SIGNS), st.text(min_size=1, max_size=5)), max_size=12).map("".join),
)


@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize='porter unicode61')")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?)",
        [("COVID-19 cases rise", "New cases in the U.S."), ("Storm hits coast", "A storm hit the coast.")],
    )
    yield conn
    conn.close()


@settings(max_examples=1500, deadline=None)
@given(text=texts)
def test_reading_never_fails_and_sqlite_accepts_whatever_is_read(fts, text):
    q = read(text)
    assert all(isinstance(n, str) and n for n in q.notes)
    if q.node is None:
        assert q.notes or not q.text  # nothing to search for is always said, unless nothing printable was typed
        return
    fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts5_query(q.node),)).fetchone()
    sql, params = tsquery(q.node)
    assert sql.count("?") == len(params) and all("\x00" not in p for p in params)
    assert words_of(q.node)
    assert isinstance(matches_text(q.node, text), bool)


@pytest.mark.parametrize(
    ("typed", "node"),
    [
        ("COVID-19", Phrase(("covid", "19"), "COVID-19")),
        ("covid -ward", All((Word("covid"),), (Word("ward"),))),
        ("climate OR weather", Either((Word("climate"), Word("weather")))),
        ('"supreme court" abortion', All((Phrase(("supreme", "court"), "supreme court"), Word("abortion")))),
        ("trump*", Word("trump", prefix=True)),
        ("the storm", Word("storm")),  # a common word left out, as PostgreSQL leaves it out
        ("title:trump", Word("trump")),  # a field prefix from other tools: the word, in the whole article
        ('-title:"white house" storm', All((Word("storm"),), (Phrase(("white", "house"), "white house"),))),
        ("x:y", Phrase(("x", "y"), "x:y")),  # never a column filter
        ("storm -", Word("storm")),
    ],
)
def test_what_a_user_types_reads_as_they_mean_it(typed, node):
    assert read(typed).node == node


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("storm AND", "could not be read as written (AND with nothing after it)"),
        ("(storm", "a bracket left open"),
        ("storm)", "a closing bracket without an opening one"),
        ("the of", "has only common words (the, of)"),
        ("-storm", "at least one word to find"),
        ("!!!", "has no word to search for"),
        ('"open phrase', "A closing quote was missing"),
        ("storm NOT", "NOT with nothing after it"),
        ("title:trump", "Fields (title:) are not searched on their own"),
        ("storm -", "A minus sign with no word after it was ignored"),
        ("OR", "has no word to search for (OR with nothing after it)"),
        ("C++", "“C++” was searched as “c”"),
        ('"AT&T merger"', "“AT&T merger” was searched as “at t merger”"),
    ],
)
def test_a_search_read_otherwise_than_typed_says_how(typed, said):
    assert any(said in n for n in read(typed).notes), read(typed).notes


@pytest.mark.parametrize("typed", ["OR", "AND", "((", "NOT", ")", "the OR"])
def test_a_search_with_nothing_to_find_says_so_once(typed):
    q = read(typed)
    assert q.node is None and len(q.notes) == 1 and "plain words" not in q.notes[0], q.notes


def test_plain_words_are_the_fallback_and_say_so():
    q = plain('storm AND ("coast')
    assert q.node == All((Word("storm"), Word("coast"))) and "plain words" in q.notes[0]


def test_a_very_long_search_is_cut_and_says_so():
    q = read(" ".join(f"word{i}" for i in range(200)))
    assert len(words_of(q.node)) == 64 and "Only the first 64" in q.notes[0]


def test_headlines_match_word_for_word():
    assert matches_text(read("covid-19").node, "New COVID-19 cases")
    assert not matches_text(read("trump -kim").node, "Trump meets Kim")
    assert matches_text(read("supre*").node, "Supreme Court rules")
    assert not matches_text(None, "anything")
