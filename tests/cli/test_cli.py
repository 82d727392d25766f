import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.store import Store
from tests.support.fixtures import fixture_rows, write_csv

ROOT = Path(__file__).resolve().parents[2]


def test_import_stats_export_round_trip(tmp_path, capsys):
    db = tmp_path / "n.db"
    src = write_csv(tmp_path / "a.csv", fixture_rows(4))
    assert main(["import", str(src), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "stored" in out and "columns: title <- title" in out
    n = len(fixture_rows(4))
    assert f"Indexed {n:,} articles for search" in out  # rows committed first, their search index after
    with Store(db) as s:
        assert s.search_pending() == 0 and len(s.search.matches(fixture_rows(4)[0]["title"].split()[0]))
    assert main(["stats", "--json", "--db", str(db)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["articles"] == len(fixture_rows(4)) and info["outlets"] == 4 and info["undated"] == 2
    csv_out = tmp_path / "articles.csv"
    assert main(["export", "articles", "--out", str(csv_out), "--db", str(db)]) == 0
    df = pd.read_csv(csv_out)
    assert len(df) == info["articles"]
    assert list(df.columns[:5]) == ["id", "url", "title", "outlet", "published"]


def test_bad_file_gives_one_line_and_nonzero_exit(tmp_path, capsys):
    db = tmp_path / "n.db"
    good = write_csv(tmp_path / "good.csv", fixture_rows(2))
    assert main(["import", str(good), "--db", str(db)]) == 0
    capsys.readouterr()
    bad = tmp_path / "bad.json"
    bad.write_text("title,text\nA,B\n")
    assert main(["import", str(bad), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: bad.json is named .json but does not contain JSON")
    assert err.count("\n") == 1 and "Traceback" not in err
    with Store(db) as s:
        assert s.count() == len(fixture_rows(2))


def test_outlet_option_and_map_option(tmp_path, capsys):
    db = tmp_path / "n.db"
    src = tmp_path / "x.csv"
    src.write_text("h,b\nHello,World body\n")
    assert main(["import", str(src), "--db", str(db), "--map", "title=h", "--map", "text=b", "--outlet", "Mine"]) == 0
    with Store(db) as s:
        assert s.outlets.records()[0]["name"] == "Mine"
    assert main(["import", str(src), "--db", str(db), "--map", "title"]) == 1
    assert "--map takes FIELD=COLUMN" in capsys.readouterr().err


def test_stats_on_missing_store(tmp_path, capsys):
    assert main(["stats", "--db", str(tmp_path / "none.db")]) == 1
    assert "No store at" in capsys.readouterr().err


def test_demo_loads_once_and_if_empty_skips(tmp_path):
    """Runs as a user would: a subprocess, real demo files, no traceback."""
    db = tmp_path / "demo.db"
    run = [sys.executable, "-m", "analysis", "demo", "--if-empty", "--db", str(db)]
    first = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "articles have no usable date" in first.stdout
    with Store(db) as s:
        n = s.count()
        outlets = {o["name"]: o for o in s.outlets.records()}
    assert 7500 <= n <= 8000
    assert 20 <= len(outlets) <= 30
    assert outlets["Fox News"]["bias"] == "right" and outlets["Fox News"]["bias_source"] == "AllSides"
    second = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0 and "demo not loaded" in second.stdout


def test_fit_on_a_tiny_store_says_how_many_articles_are_needed(tmp_path, capsys):
    db = tmp_path / "n.db"
    src = write_csv(tmp_path / "a.csv", fixture_rows(1))
    assert main(["import", str(src), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["fit", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Topic modelling needs at least 60 articles with text; this store has")
    assert main(["fit", "--update", "--db", str(db)]) == 1
    assert "No topic model yet; run `python -m analysis fit` first." in capsys.readouterr().err


def test_a_user_error_is_one_sentence_and_a_bug_keeps_its_traceback(tmp_path, capsys, monkeypatch):
    import analysis.explore.export as export

    db = tmp_path / "news.db"
    src = write_csv(tmp_path / "a.csv", fixture_rows()[:5])
    assert main(["import", str(src), "--db", str(db)]) == 0
    capsys.readouterr()
    # a path the user gave that cannot be written: one sentence, exit 1, no half-written file
    assert main(["export", "articles", "--out", str(tmp_path), "--db", str(db)]) == 1
    assert (
        capsys.readouterr().err.strip()
        == f"error: {tmp_path} is a folder; give the file to write, e.g. {tmp_path / 'articles.csv'}."
    )
    missing = tmp_path / "no" / "such" / "dir"
    missing.parent.parent.write_text("a file where a folder should be")
    assert main(["export", "articles", "--out", str(missing / "x.csv"), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: Cannot write {missing / 'x.csv'}:") and err.count("\n") == 1

    # a programming error is not dressed up as a user error
    def broken(store, out):
        raise ValueError("a bug")

    monkeypatch.setattr(export, "export_articles", broken)
    with pytest.raises(ValueError, match="a bug"):
        main(["export", "articles", "--out", str(tmp_path / "x.csv"), "--db", str(db)])


@pytest.mark.parametrize(
    ("command", "said"),
    [
        ("import", "interrupted: the unfinished import was removed; nothing stored before it was touched."),
        ("fit", "interrupted: the fit was stopped; each stage is saved whole or not at all"),
        ("collect", "interrupted: collection stopped; pages already fetched are stored and the rest stay queued"),
    ],
)
def test_ctrl_c_says_what_was_interrupted(tmp_path, capsys, monkeypatch, command, said):
    from dataclasses import replace

    import analysis.cli as cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, command, replace(cli.COMMANDS[command], run=interrupted))
    argv = {"import": ["import", "x.csv"], "fit": ["fit"], "collect": ["collect", "https://example.com/a"]}
    assert main([*argv[command], "--db", str(tmp_path / "news.db")]) == 130
    assert capsys.readouterr().err.startswith(said)


def test_ctrl_c_while_the_search_index_catches_up_keeps_the_articles(tmp_path, capsys, monkeypatch):
    from analysis.store.sqlite import Store as SQLiteStore

    def interrupted(self, progress=None, batch=5000, stop=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(SQLiteStore, "index_search", interrupted)
    db = tmp_path / "news.db"
    assert main(["import", str(write_csv(tmp_path / "a.csv", fixture_rows(4))), "--db", str(db)]) == 130
    err = capsys.readouterr().err
    assert "interrupted: the articles are stored; the search index keeps the batches it finished" in err
    n = len(fixture_rows(4))
    with Store(db) as s:
        assert s.execute("SELECT count(*) FROM articles").fetchone()[0] == s.search_pending() == n
    monkeypatch.undo()
    assert main(["stats", "--db", str(db)]) == 0  # a read does not index; the next import does
    assert main(["import", str(write_csv(tmp_path / "b.csv", fixture_rows(1))), "--db", str(db)]) == 0
    assert f"Indexed {n:,} articles for search" in capsys.readouterr().out
    with Store(db) as s:
        assert s.search_pending() == 0


@pytest.fixture(scope="module")
def dated_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("dated")
    rows = [
        {
            "title": f"Story {i}",
            "text": "Text about the budget.",
            "outlet": "Planet",
            "url": f"https://p.test/{i}",
            "published": f"2019-0{i + 1}-15",
        }
        for i in range(4)
    ]
    db = root / "n.db"
    assert main(["import", str(write_csv(root / "d.csv", rows)), "--db", str(db)]) == 0
    return db


@pytest.mark.parametrize("day", ["2019-02-30", "2019-13-01", "yesterday", "03/01/2019", ""])
def test_a_day_that_does_not_exist_is_an_error_not_the_whole_store(dated_db, tmp_path, capsys, day):
    out = tmp_path / "x.csv"
    code = main(["export", "articles", "--out", str(out), "--from", day, "--db", str(dated_db)])
    if day == "":
        assert code == 0  # no --from given: the whole store
        return
    assert code != 0 and not out.exists()
    err = capsys.readouterr().err
    assert "--from" in err and "YYYY-MM-DD" in err and "Traceback" not in err


def test_a_reversed_range_is_read_as_the_app_reads_it(dated_db, tmp_path, capsys):
    out = tmp_path / "x.csv"
    args = ["export", "articles", "--out", str(out), "--db", str(dated_db)]
    assert main([*args, "--from", "2019-03-31", "--to", "2019-02-01"]) == 0
    assert len(pd.read_csv(out)) == 2  # February and March
    captured = capsys.readouterr()
    assert "read as 2019-02-01 to 2019-03-31" in captured.err and "Wrote 2 articles" in captured.out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=14) | st.dates().map(str))
def test_any_typed_day_gives_a_file_or_one_sentence(dated_db, tmp_path, capsys, day):
    out = tmp_path / "x.csv"
    out.unlink(missing_ok=True)
    code = main(["export", "articles", "--out", str(out), "--from", day, "--db", str(dated_db)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (code == 0 and out.exists()) or (code != 0 and not out.exists() and len(err.strip().splitlines()) == 1)


@pytest.mark.parametrize("mention", ["abc", "Robert Mueller", "12x", " "])
def test_a_mention_that_is_not_an_entity_id_is_an_error_not_the_whole_store(dated_db, tmp_path, capsys, mention):
    out = tmp_path / "x.csv"
    code = main(["export", "articles", "--out", str(out), "--mention", mention, "--db", str(dated_db)])
    assert code != 0 and not out.exists()
    err = capsys.readouterr().err
    assert "--mention takes entity ids" in err and "Traceback" not in err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=16).filter(lambda s: not s.startswith("-")) | st.integers(0, 10**9).map(str))
def test_any_typed_mention_gives_a_file_or_one_sentence(dated_db, tmp_path, capsys, mention):
    out = tmp_path / "m.csv"
    out.unlink(missing_ok=True)
    code = main(["export", "articles", "--out", str(out), "--mention", mention, "--db", str(dated_db)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if mention.strip().isdecimal():
        assert code == 0 and out.exists()  # an id, known or not (an unknown one gets a note)
    else:
        assert code != 0 and not out.exists() and "--mention takes entity ids" in err
        assert len(err.strip().splitlines()) == 1
