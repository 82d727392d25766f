"""Outlet metadata: CSV import, edits with ratings, and the sentences bad input gets."""

from __future__ import annotations

import json

import pytest

from analysis.cli import main
from analysis.ingest.outlet_files import OutletFileError, parse_rating, read_outlet_file


def test_import_updates_known_outlets_and_adds_new_ones(fixture_db_copy, tmp_path):
    from analysis.store import Store

    f = tmp_path / "outlets.csv"
    f.write_text(
        "Outlet,Country,Bias,Owner,rating,rating_source,rating_date\n"
        "Daily Planet,US,Left,Planet Media,Mostly factual,MBFC,2024-05-01\n"
        "Brand New Wire,UK,,,,,\n"
    )
    with Store(fixture_db_copy) as s:
        counts = s.outlets.upsert_outlets(read_outlet_file(f))
        assert counts == {"updated": 1, "added": 1}
        row = s.execute("SELECT country, bias, owner, ratings FROM outlets WHERE name = 'Daily Planet'").fetchone()
        assert tuple(row)[:3] == ("US", "Left", "Planet Media")
        assert json.loads(row[3]) == {"MBFC": {"value": "Mostly factual", "date": "2024-05-01"}}
        assert s.execute("SELECT country FROM outlets WHERE name = 'Brand New Wire'").fetchone()[0] == "UK"
        table = s.outlets.listing()
        assert table.loc[table["name"] == "Daily Planet", "ratings"].iloc[0] == "MBFC: Mostly factual (2024-05-01)"


def test_set_adds_a_rating_and_keeps_others(fixture_db_copy):
    from analysis.store import Store

    with Store(fixture_db_copy) as s:
        s.outlets.set_outlet("Gotham Gazette", ratings=dict([parse_rating("AllSides=Right@2023-01-02")]), owner="Wayne")
        s.outlets.set_outlet("Gotham Gazette", ratings=dict([parse_rating("MBFC=High@2024-02-03")]))
        row = s.execute("SELECT owner, ratings FROM outlets WHERE name = 'Gotham Gazette'").fetchone()
        assert row[0] == "Wayne"
        assert set(json.loads(row[1])) == {"AllSides", "MBFC"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "title,bias\nx,Left\n",
            "has no outlet name column (looked for name, outlet, source, publisher; it has title, bias)",
        ),
        ("name,colour\nDaily Planet,red\n", "has no outlet field to import"),
        ("", "could not be read as CSV"),
    ],
)
def test_bad_outlet_files_get_one_sentence(fixture_db_copy, tmp_path, content, message):

    f = tmp_path / "bad.csv"
    f.write_text(content)
    with pytest.raises(OutletFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_outlet_file(f)


def test_cli_set_unknown_outlet_and_bad_rating(fixture_db_copy, capsys):
    assert main(["outlets", "set", "Nowhere Times", "--bias", "Left", "--db", str(fixture_db_copy)]) == 1
    assert "No outlet named 'Nowhere Times' in the store" in capsys.readouterr().err
    assert main(["outlets", "set", "Daily Planet", "--rating", "MBFC", "--db", str(fixture_db_copy)]) == 1
    assert "A rating is written SOURCE=VALUE[@DATE]" in capsys.readouterr().err
    assert (
        main(["outlets", "set", "Daily Planet", "--rating", "MBFC=High@yesterday", "--db", str(fixture_db_copy)]) == 1
    )
    assert "is not a YYYY-MM-DD date" in capsys.readouterr().err
    assert main(["outlets", "set", "Daily Planet", "--country", "US", "--db", str(fixture_db_copy)]) == 0
    assert main(["outlets", "list", "--db", str(fixture_db_copy)]) == 0
    out = capsys.readouterr().out
    assert "Daily Planet" in out and "US" in out
