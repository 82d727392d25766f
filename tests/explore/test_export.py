import csv
import io

import pandas as pd

from analysis.explore.export import dataframe_csv, export_articles, export_outlets, safe_cell
from analysis.pipeline.load import import_file


def test_safe_cell_neutralises_formulas_but_not_numbers():
    assert safe_cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert safe_cell("+1+2") == "'+1+2"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-cmd|' /C calc'!A0") == "'-cmd|' /C calc'!A0"
    assert safe_cell("\tTAB") == "'\tTAB"
    assert safe_cell("-5") == "-5" and safe_cell("+3.5e2") == "+3.5e2"
    assert safe_cell(-5) == -5 and safe_cell(0.25) == 0.25
    assert safe_cell(None) == "" and safe_cell("plain") == "plain"


def test_dataframe_csv_neutralises_and_has_bom():
    df = pd.DataFrame({"title": ["=1+1", "ok"], "n": [1, 2]})
    data = dataframe_csv(df)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert rows == [["title", "n"], ["'=1+1", "1"], ["ok", "2"]]


def test_export_articles_contract_and_formula_cells(store, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(
        "title,text,outlet,date,url,bias,score\n"
        '"=cmd()",Body one,Paper,2020-01-02 10:00,https://p.example/1,left,-3\n'
        "Second,Body two,Paper,,https://p.example/2,right,7\n"
    )
    import_file(store, src)
    out = tmp_path / "out.csv"
    assert export_articles(store, out) == 2
    with out.open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "url", "title", "outlet", "published", "bias", "score"]
    assert rows[1][2:] == ["'=cmd()", "Paper", "2020-01-02T10:00:00Z", "left", "-3"]
    assert rows[2][4] == ""  # no date: empty, listed last


def test_export_outlets(store, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("title,text,outlet,bias\nA,B,Paper,left\nC,D,Paper,left\nE,F,Other,right\n")
    import_file(store, src)
    out = tmp_path / "outlets.csv"
    assert export_outlets(store, out) == 2
    df = pd.read_csv(out)
    assert df.loc[0, "outlet"] == "Paper" and df.loc[0, "articles"] == 2 and df.loc[0, "bias"] == "left"


def test_the_selections_articles_download_holds_every_match_with_its_url(store, tmp_path):
    from analysis.explore.export import articles_csv
    from analysis.explore.selection import Selection

    src = tmp_path / "in.csv"
    rows = ["title,text,outlet,date,url"]
    rows += [f"Storm {i},Body {i} about the storm,Paper,2020-01-{i + 1:02d},https://p.example/{i}" for i in range(250)]
    rows += ['"=cmd()",A calm day,Paper,2020-02-01,https://p.example/calm']
    src.write_text("\n".join(rows) + "\n")
    import_file(store, src)
    got = pd.read_csv(io.BytesIO(articles_csv(store, Selection(search="storm"))))
    assert len(got) == 250 and list(got.columns[:5]) == ["id", "url", "title", "outlet", "published"]
    assert set(got["url"]) == {f"https://p.example/{i}" for i in range(250)}  # more than a page of results
    calm = pd.read_csv(io.BytesIO(articles_csv(store, Selection(search="calm"))))
    assert list(calm["title"]) == ["'=cmd()"]  # a formula neutralised
    assert pd.read_csv(io.BytesIO(articles_csv(store, Selection(search="-storm")))).empty  # nothing searched
