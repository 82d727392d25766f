import gzip
import json

import pandas as pd
import pytest

from analysis.explore.export import export_articles
from analysis.ingest.importers import ImportFailed, resolve_mapping
from analysis.pipeline.load import Importer, import_file
from tests.support.fixtures import fixture_rows, write_csv

ROWS = [
    {
        "headline": "Storm hits coast",
        "body": "A storm hit the coast on Monday.",
        "publisher": "Daily Planet",
        "pubDate": "Mon, 06 Jan 2020 09:00:00 EST",
        "link": "https://dailyplanet.example/storm",
        "category": "weather",
    },
    {
        "headline": "Budget talks stall",
        "body": "Talks on the budget stalled again.",
        "publisher": "Gotham Gazette",
        "pubDate": "2020-01-07T15:30:00+01:00",
        "link": "https://gotham.example/budget",
        "category": "politics",
    },
    {
        "headline": "Election night",
        "body": "Polls closed at eight.",
        "publisher": "Star City Star",
        "pubDate": "1/8/20",
        "link": "https://starcity.example/election",
        "category": "politics",
    },
]
EXPECTED_UTC = ["2020-01-06T14:00:00Z", "2020-01-07T14:30:00Z", "2020-01-08T00:00:00Z"]


def stored(store):
    return store.execute("SELECT title, outlet, published, url, extra FROM articles ORDER BY published").fetchall()


def check_three(store, report):
    assert report.stored == 3 and report.rejected == 0
    rows = stored(store)
    assert [r["published"] for r in rows] == EXPECTED_UTC
    assert [r["outlet"] for r in rows] == ["Daily Planet", "Gotham Gazette", "Star City Star"]
    assert json.loads(rows[0]["extra"]) == {"category": "weather"}
    assert report.mapping == {
        "title": "headline",
        "text": "body",
        "outlet": "publisher",
        "published": "pubDate",
        "url": "link",
    }


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "parquet"])
def test_every_format_plain_and_gzipped(store, tmp_path, fmt, gz):
    path = tmp_path / f"articles.{fmt}"
    df = pd.DataFrame(ROWS)
    if fmt == "csv":
        df.to_csv(path, index=False)
    elif fmt == "tsv":
        df.to_csv(path, index=False, sep="\t")
    elif fmt == "json":
        path.write_text(json.dumps(ROWS))
    elif fmt == "jsonl":
        path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n")
    else:
        df.to_parquet(path)
    if gz:
        gz_path = tmp_path / (path.name + ".gz")
        gz_path.write_bytes(gzip.compress(path.read_bytes()))
        path = gz_path
    check_three(store, import_file(store, path))


def test_json_object_holding_a_list(store, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"status": "ok", "articles": ROWS}))
    check_three(store, import_file(store, path))


def test_explicit_mapping_and_unknown_column(store, tmp_path):
    rows = [{"h": r["headline"], "b": r["body"], "src": r["publisher"]} for r in ROWS]
    path = write_csv(tmp_path / "odd.csv", rows)
    with pytest.raises(ImportFailed, match="No column for the article title or text"):
        import_file(store, path)
    with pytest.raises(ImportFailed, match="Column 'nope' \\(given for text\\) is not in the file"):
        import_file(store, path, mapping={"text": "nope"})
    report = import_file(store, path, mapping={"title": "h", "text": "b", "outlet": "src"})
    assert report.stored == 3
    assert sorted(r["outlet"] for r in stored(store)) == ["Daily Planet", "Gotham Gazette", "Star City Star"]


def test_auto_mapping_prefers_known_names():
    m = resolve_mapping(["Title", "Content", "Source", "publish_date", "URL", "domain"])
    assert m == {
        "title": "Title",
        "text": "Content",
        "outlet": "Source",
        "published": "publish_date",
        "url": "URL",
        "outlet_domain": "domain",
    }


def test_bad_rows_are_reported_with_row_numbers_and_the_rest_imports(store, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "title,text,outlet,date\n"
        "Good one,Body,Paper,2020-01-01\n"
        ",,Paper,2020-01-02\n"
        "Bad date,Body two,Paper,31/31/2020\n"
        "Too,many,fields,2020-01-03,extra\n"
        "Good two,Body three,Paper,2020-01-04\n"
    )
    report = import_file(store, path)
    assert report.stored == 3
    assert report.errors == [(2, "it has neither a title nor a text"), (4, "it has 5 fields but the header has 4")]
    assert report.warnings == [(3, "date '31/31/2020' could not be parsed; stored without a date")]
    assert store.execute("SELECT published FROM articles WHERE title = 'Bad date'").fetchone()[0] is None


def test_duplicates_are_counted_not_inserted(store, tmp_path):
    path = write_csv(
        tmp_path / "a.csv", [dict(r) for r in ROWS] + [dict(ROWS[0], link=ROWS[0]["link"] + "?utm_source=x")]
    )
    assert (import_file(store, path).stored, store.count()) == (3, 3)
    again = import_file(store, path)
    assert (again.stored, again.duplicates, store.count()) == (0, 4, 3)


def test_file_without_url_outlet_or_date_imports(store, tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text("title,text\nOne,First body\nTwo,Second body\n")
    report = import_file(store, path, outlet="My Paper")
    assert report.stored == 2
    rows = store.execute("SELECT id, outlet, published, canonical_url FROM articles ORDER BY title").fetchall()
    assert {r["outlet"] for r in rows} == {"My Paper"}
    assert all(r["published"] is None and r["canonical_url"].startswith("urn:sha1:") for r in rows)
    # The id comes from the content, so re-importing finds the same ids.
    ids = [r["id"] for r in rows]
    assert import_file(store, path, outlet="My Paper").duplicates == 2
    assert [r["id"] for r in store.execute("SELECT id FROM articles ORDER BY title")] == ids


def test_outlet_from_url_domain_and_odd_dates(store, tmp_path):
    # Shaped like the international News Articles corpus: no outlet column, dates as 2017/3/9 7:11.
    path = tmp_path / "intl.csv"
    path.write_text(
        "article_id,publish_date,article_source_link,title,subtitle,text\n"
        "1,2017/2/7,http://www.aljazeera.com/news/a.html,Talks resume,sub,Talks resumed in Geneva.\n"
        '2,2017/3/9 7:11,http://www.bbc.com/news/b,"Vote, then recount",,A recount was ordered.\n'
    )
    report = import_file(store, path)
    assert report.stored == 2 and report.rejected == 0
    rows = store.execute("SELECT outlet, published, extra FROM articles ORDER BY published").fetchall()
    assert [(r["outlet"], r["published"]) for r in rows] == [
        ("aljazeera.com", "2017-02-07T00:00:00Z"),
        ("bbc.com", "2017-03-09T07:11:00Z"),
    ]
    assert json.loads(rows[0]["extra"]) == {"article_id": "1", "subtitle": "sub"}


def test_extra_columns_come_back_in_the_export(store, tmp_path):
    path = write_csv(tmp_path / "f.csv", fixture_rows(2))
    import_file(store, path)
    out = tmp_path / "out.csv"
    export_articles(store, out)
    df = pd.read_csv(out)
    assert list(df.columns) == ["id", "url", "title", "outlet", "published", "bias", "country", "section"]
    assert set(df["bias"]) == {"left", "right", "center"}


def test_bias_and_country_seed_the_outlets_table(store, tmp_path):
    import_file(store, write_csv(tmp_path / "f.csv", fixture_rows(2)))
    outlets = {o["name"]: o for o in store.outlets.records()}
    assert outlets["Gotham Gazette"]["bias"] == "right"
    assert outlets["Metropolis Mirror"]["country"] == "GB"
    assert outlets["Gotham Gazette"]["domain"] == "gothamgazette.example"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_other_encodings_are_decoded(store, tmp_path, encoding):
    path = tmp_path / f"enc-{encoding}.csv"
    text = "title,text,outlet\nCafé crème,“Smart quotes” and déjà vu – naïve,Le Monde\n"
    if encoding == "latin-1":
        text = text.replace("“", "").replace("”", "").replace("–", "-")
    path.write_bytes(text.encode(encoding))
    assert import_file(store, path).stored == 1
    row = store.execute("SELECT title, text FROM articles").fetchone()
    assert row["title"] == "Café crème"
    assert "déjà vu" in row["text"] and "naïve" in row["text"]


def test_streams_in_batches(store, tmp_path):
    rows = [{"title": f"T{i}", "text": f"Body {i}", "outlet": "P", "date": "2020-01-01"} for i in range(2500)]
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
    seen: list[tuple[int, int]] = []
    report = Importer(store, batch_size=300, progress=lambda d, t: seen.append((d, t))).run(path)
    assert report.stored == 2500
    assert len(seen) >= 9  # one call per batch plus the final one
    assert seen[-1][0] == seen[-1][1] == path.stat().st_size


# -- bad files: one clear message, store unchanged -------------------------------------------------


def _unchanged(store, before):
    assert store.count() == before


@pytest.fixture
def seeded(store, tmp_path):
    import_file(store, write_csv(tmp_path / "seed.csv", fixture_rows(2)))
    return store


def test_missing_required_column(seeded, tmp_path):
    before = seeded.count()
    path = tmp_path / "x.csv"
    path.write_text("name_of_thing,value\na,1\n")
    with pytest.raises(ImportFailed, match="^No column for the article title or text was found"):
        import_file(seeded, path)
    _unchanged(seeded, before)


def test_empty_file_and_header_only(seeded, tmp_path):
    before = seeded.count()
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ImportFailed, match="^empty.csv is empty.$"):
        import_file(seeded, empty)
    header = tmp_path / "header.csv"
    header.write_text("title,text\n")
    with pytest.raises(ImportFailed, match="^header.csv contains no articles"):
        import_file(seeded, header)
    _unchanged(seeded, before)


def test_binary_file(seeded, tmp_path):
    before = seeded.count()
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ImportFailed, match="contains binary data"):
        import_file(seeded, path)
    zipped = tmp_path / "data.json"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ImportFailed, match="is a ZIP archive"):
        import_file(seeded, zipped)
    _unchanged(seeded, before)


def test_truncated_gzip_keeps_nothing_of_the_file(seeded, tmp_path):
    before = seeded.count()
    rows = [{"title": f"T{i}", "text": f"Body number {i} " * 20, "outlet": "P"} for i in range(5000)]
    blob = gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(blob[: len(blob) * 2 // 3])
    with pytest.raises(ImportFailed, match="truncated or corrupt"):
        Importer(seeded, batch_size=500).run(path)
    _unchanged(seeded, before)
    assert seeded.imports()[-1]["status"] == "failed"


def test_truncated_json_and_parquet(seeded, tmp_path):
    before = seeded.count()
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(ROWS)[:-40])
    with pytest.raises(ImportFailed, match="truncated or not valid JSON"):
        import_file(seeded, path)
    pq = tmp_path / "cut.parquet"
    pd.DataFrame(ROWS).to_parquet(pq)
    pq.write_bytes(pq.read_bytes()[:-100])
    with pytest.raises(ImportFailed, match="not a readable Parquet file"):
        import_file(seeded, pq)
    _unchanged(seeded, before)


def test_extension_that_lies(seeded, tmp_path):
    before = seeded.count()
    as_json = tmp_path / "really_csv.json"
    as_json.write_text("title,text\nA,B\n")
    with pytest.raises(ImportFailed, match="is named .json but does not contain JSON"):
        import_file(seeded, as_json)
    as_csv = tmp_path / "really_json.csv"
    as_csv.write_text(json.dumps(ROWS))
    with pytest.raises(ImportFailed, match="is named .csv but contains JSON"):
        import_file(seeded, as_csv)
    as_parquet = tmp_path / "really_csv.parquet"
    as_parquet.write_text("title,text\nA,B\n")
    with pytest.raises(ImportFailed, match="is named .parquet but is not a Parquet file"):
        import_file(seeded, as_parquet)
    xlsx = tmp_path / "sheet.xlsx"
    xlsx.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(ImportFailed, match="is a spreadsheet; save it as CSV"):
        import_file(seeded, xlsx)
    _unchanged(seeded, before)


def test_wrong_encoding_given(seeded, tmp_path):
    before = seeded.count()
    path = tmp_path / "u16.csv"
    path.write_bytes("title,text\nCafé,x\n".encode("utf-16"))
    with pytest.raises(ImportFailed, match="is not valid utf-8 text"):
        import_file(seeded, path, encoding="utf-8")
    _unchanged(seeded, before)


def test_missing_file(store, tmp_path):
    with pytest.raises(ImportFailed, match="^nope.csv does not exist.$"):
        import_file(store, tmp_path / "nope.csv")


def test_a_row_with_a_hostile_or_malformed_url_imports_without_a_link(store, tmp_path):
    path = tmp_path / "links.csv"
    path.write_text(
        "title,text,outlet,url,date\n"
        "Good one,Body one.,Daily Planet,https://dailyplanet.example/a,2020-01-06\n"
        "Script,Body two.,Daily Planet,javascript:alert(document.cookie),2020-01-06\n"
        "Broken host,Body three.,Daily Planet,http://[::1,2020-01-07\n"
        'Data URL,Body four.,Daily Planet,"data:text/html;base64,PHNjcmlwdD4=",2020-01-07\n'
        "No scheme,Body five.,Daily Planet,www.dailyplanet.example/e,2020-01-08\n"
    )
    report = import_file(store, path)
    assert report.stored == 5 and report.rejected == 0  # one bad URL is that row's problem, never the file's
    rows = {r["title"]: r for r in store.execute("SELECT title, url, extra FROM articles")}
    assert rows["Good one"]["url"] == "https://dailyplanet.example/a"
    for title in ("Script", "Broken host", "Data URL"):
        assert rows[title]["url"] is None, title  # never stored (so never rendered) as a link
    assert json.loads(rows["Script"]["extra"])["original_url"] == "javascript:alert(document.cookie)"
    assert rows["No scheme"]["url"] == "https://www.dailyplanet.example/e"
    # Data rows are numbered from 1 (the header is not a row), as in every import report.
    assert report.warnings == [
        (2, "its URL 'javascript:alert(document.cookie)' is not an http(s) address; stored without a link"),
        (3, "its URL 'http://[::1' is not an http(s) address; stored without a link"),
        (4, "its URL 'data:text/html;base64,PHNjcmlwdD4=' is not an http(s) address; stored without a link"),
    ]
