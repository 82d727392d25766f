"""Who is quoted, read back: speakers linked to the entities the articles name, a selection's most quoted,
who each outlet quotes, and `export quotes`."""

from __future__ import annotations

import csv

import pytest

from analysis.cli import main
from analysis.explore.quotes import article_quotes, quoted, quoted_by_outlet, quotes_of
from analysis.explore.selection import Selection
from analysis.pipeline.load import import_file
from analysis.pipeline.regroup import group_entities
from analysis.pipeline.stages import run_named
from analysis.store import Store
from tests.support.fixtures import write_csv

ROWS = [
    {
        "title": f"Merkel defends the budget ({i})",
        "text": (
            f"Angela Merkel spoke in Berlin on day {i}. "
            '"The budget will pass and the country will be stronger for it," Merkel told reporters. '
            '"We do not expect any delay at all," a spokesman for the finance ministry said.'
        ),
        "outlet": "Daily Planet" if i < 3 else "Gotham Gazette",
        "url": f"https://planet.test/q{i}",
        "published": f"2024-05-0{i + 1}",
    }
    for i in range(4)
] + [
    {
        "title": "Storm warning",
        "text": 'Heavy rain is expected. "=cmd|calc!A1 is not a forecast we like," Angela Merkel said in Berlin.',
        "outlet": "Gotham Gazette",
        "url": "https://gotham.test/storm",
        "published": "2024-05-06",
    }
]


@pytest.fixture(scope="module")
def quoted_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("quoted") / "news.db"
    with Store(db) as store:
        import_file(store, write_csv(db.parent / "rows.csv", ROWS))
        run_named(store, ("entities", "quotes"))
        group_entities(store)
        merkel = int(store.entities.entity_table().set_index("name").loc["Angela Merkel", "entity_id"])
    return db, merkel


def test_a_speaker_named_by_surname_is_linked_to_the_person_the_article_names(quoted_db):
    db, merkel = quoted_db
    with Store(db, readonly=True) as store:
        df = quotes_of(store)
    assert len(df) == 9  # two in each of four articles, one in the fifth
    named = df[df["speaker"].notna()]
    assert set(named["speaker"]) == {"Angela Merkel"} and set(named["entity_id"]) == {merkel}
    unnamed = df[df["speaker"].isna()]
    assert len(unnamed) == 4 and unnamed["entity_id"].isna().all()  # "a spokesman ... said": nobody named


def test_an_article_shows_its_quotations_in_reading_order(quoted_db):
    db, _ = quoted_db
    with Store(db, readonly=True) as store:
        aid = store.execute("SELECT id FROM articles WHERE url = 'https://planet.test/q0'").fetchone()[0]
        said = article_quotes(store, aid)
    assert said["speaker"].tolist()[0] == "Angela Merkel" and said["speaker"].isna().tolist() == [False, True]
    assert said["quote"].iloc[1].startswith("We do not expect any delay")


def test_the_most_quoted_and_who_each_outlet_quotes(quoted_db):
    db, merkel = quoted_db
    with Store(db, readonly=True) as store:
        q = quoted(store, Selection(), merkel)
        ids = [str(a) for (a,) in store.execute("SELECT id FROM articles ORDER BY id").fetchall()]
        by_outlet = quoted_by_outlet(store, ids)
        only_planet = quoted(store, Selection.parse({"outlet": ["Daily Planet"]}), merkel)
    row = q.table.iloc[0]
    assert (row["speaker"], int(row["articles"]), int(row["outlets"])) == ("Angela Merkel", 5, 2)
    assert row["by"] == "Daily Planet (3); Gotham Gazette (2)" and q.of == 5 and q.with_quotes == 5
    assert int(only_planet.table.iloc[0]["articles"]) == 3  # the selection narrows what is counted
    assert by_outlet.set_index("outlet")["quotations"].to_dict() == {"Daily Planet": 3, "Gotham Gazette": 2}


def test_export_quotes_writes_the_contract_columns_and_neutralises_formulas(quoted_db, tmp_path, capsys):
    db, merkel = quoted_db
    out = tmp_path / "quotes.csv"
    assert main(["export", "quotes", "--out", str(out), "--db", str(db)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["article_id", "speaker", "entity_id", "quote"] and len(rows) == 9
    assert {r["entity_id"] for r in rows if r["speaker"]} == {str(merkel)}
    assert all(r["entity_id"] == "" for r in rows if not r["speaker"])
    storm = next(r for r in rows if "calc" in r["quote"])
    assert storm["quote"].startswith("'=")  # a spreadsheet never runs it
    chosen = tmp_path / "chosen.csv"
    assert main(["export", "quotes", "--out", str(chosen), "--source", "Gotham Gazette", "--db", str(db)]) == 0
    assert len(list(csv.DictReader(chosen.open(encoding="utf-8")))) == 3
    assert main(["export", "stories", "--out", str(chosen), "--search", "budget", "--db", str(db)]) != 0
    assert "export quotes" in capsys.readouterr().err


def test_a_surname_or_a_shared_form_links_to_the_person_who_dominates_it():
    from analysis.explore.quotes import _link

    names = {"trump": {1, 2}, "donald trump": {1}, "donald trump jr.": {2}, "nadler": {3}}
    last = {1: "trump", 2: "jr.", 3: "nadler", 4: "pence", 5: "pence"}
    size = {1: 900, 2: 40, 3: 50, 4: 300, 5: 3}
    assert _link("Trump", set(), names, last, size) == 1  # not Donald Trump Jr.
    assert _link("Trump", {2}, names, last, size) == 2  # the article names only the son
    assert _link("Pence", set(), names, last, size) == 4  # a surname alone: the person of that surname
    assert _link("Smith", set(), names, last, size) is None
    last[6], size[6] = "pence", 250
    assert _link("Pence", set(), names, last, size) is None  # two of that surname, neither dominates: unlinked
