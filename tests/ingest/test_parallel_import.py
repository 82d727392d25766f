"""A big file's rows validated in worker processes give exactly what one process gives: the same articles in
the same order, the same report with the file's row numbers; a bad file or a dying worker keeps nothing."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.ingest.fileformats import ArticleFile, LineBlock
from analysis.ingest.importers import ImportFailed
from analysis.ingest.prepare import Preparer
from analysis.pipeline.load import Importer
from analysis.store import Store
from tests.support.fixtures import fixture_rows, write_csv


def awkward_rows() -> list[str]:
    """JSONL lines with every kind of bad row among good ones (each entry one line, without its ending)."""
    rows = fixture_rows(12)
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines[3] = '{"title": "broken'  # not JSON
    lines[5] = "[1, 2, 3]"  # not an object
    lines[8] = json.dumps({"title": "", "text": "", "outlet": "Daily Planet"})  # neither title nor text
    lines[9] = json.dumps({**rows[9], "date": "2077-01-01"})  # out of range: stored undated, with a warning
    lines[11] = json.dumps({**rows[11], "url": "javascript:alert(1)"})  # kept without a link, with a warning
    lines[13] = lines[12]  # a duplicate of the row before
    lines[14] = json.dumps({**rows[14], "title": "Ünïcödé “quotes” — and a\u2028separator"}, ensure_ascii=False)
    lines.insert(20, "")  # blank lines are not rows
    lines.insert(30, "   \t ")
    return lines


def write_jsonl(path: Path, lines: list[str], *, bom: bool = False, gz: bool = False, encoding: str = "utf-8") -> Path:
    # Unix endings, then Windows endings, then a stretch of old Mac endings (a lone \r), as text files may mix.
    ends = ["\n"] * 25 + ["\r\n"] * 15 + ["\r"] * 10
    text = "".join(line + ends[i % len(ends)] for i, line in enumerate(lines))
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode(encoding)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def imported(store, source: Path, workers: int, batch: int = 7):
    """(the report's facts, the stored rows in the order stored) of importing `source` into `store`."""
    report = Importer(store, workers=workers, batch_size=batch, defer_search=True).run(source)
    rows = [
        (*r[:-1], r[-1] if isinstance(r[-1], dict) else json.loads(r[-1]))
        for r in store.execute(
            "SELECT id, url, title, text, outlet, published, published_precision, content_hash, extra"
            " FROM articles ORDER BY rid"
        ).fetchall()
    ]
    facts = (
        report.rows_read,
        report.stored,
        report.duplicates,
        report.rejected,
        report.undated,
        report.errors,
        report.warnings,
        report.mapping,
    )
    return facts, rows


def in_one_process(tmp_path: Path, source: Path, batch: int = 7):
    with Store(tmp_path / "one.db") as one:
        return imported(one, source, workers=1, batch=batch)


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("jsonl", {}),
        ("jsonl.gz", {"gz": True}),
        ("jsonl with BOM", {"bom": True}),
        ("jsonl in Windows-1252", {"encoding": "cp1252"}),
    ],
)
def test_workers_store_and_report_what_one_process_does(store, tmp_path, kind, options):
    lines = awkward_rows()
    if options.get("encoding") == "cp1252":
        lines = [line.replace("\u2028", " ").replace("“", '"').replace("”", '"') for line in lines]
        lines[14] = json.dumps({**fixture_rows(12)[14], "title": "Café déjà vu"}, ensure_ascii=False)
    source = write_jsonl(tmp_path / ("a." + kind.split()[0]), lines, **options)
    one, one_rows = in_one_process(tmp_path, source)
    two, two_rows = imported(store, source, workers=2)  # on either backend (PostgreSQL numbers a batch's rows
    assert two == one and sorted(two_rows) == sorted(one_rows)  # in its own order; the CSV test checks order)
    rows_read, stored, duplicates, rejected, undated, errors, warnings, _ = one
    assert rows_read == len(lines) - 2 and duplicates == 1 and rejected == 3
    assert stored == rows_read - 4 == len(one_rows)
    # Row numbers are the file's (blank lines are not rows): the three rejected rows and the two warnings.
    assert [row for row, _ in errors] == [4, 6, 9]
    assert "it is not valid JSON" in errors[0][1] and errors[1][1] == "it is not a JSON object"
    assert errors[2][1] == "it has neither a title nor a text"
    assert (10, "date '2077-01-01' is out of range; stored without a date") in warnings
    assert any(row == 12 and "not an http(s) address" in reason for row, reason in warnings)
    assert undated >= 3  # the out-of-range date and the fixture's two undated rows


def test_a_csv_file_goes_through_the_workers_as_records(tmp_path):
    rows = fixture_rows(10)
    rows[4] = {**rows[4], "title": "", "text": ""}
    source = write_csv(tmp_path / "a.csv", rows)
    with Store(tmp_path / "two.db") as two:
        assert in_one_process(tmp_path, source, batch=5) == imported(two, source, workers=3, batch=5)


def test_line_blocks_number_rows_as_the_whole_file_does(tmp_path):
    source = write_jsonl(tmp_path / "a.jsonl", awkward_rows(), gz=True)
    af = ArticleFile(source)
    whole = [(r.row, r.fields, r.error) for r in af.records()]
    blocks = list(af.line_blocks(4))
    assert len(blocks) > 10 and all(isinstance(b, LineBlock) for b in blocks)
    numbered, shift = [], 0
    for block in blocks:
        records = list(block.records())
        numbered += [(r.row + shift, r.fields, r.error) for r in records]
        shift += len(records)
    assert numbered == whole
    csv_file = ArticleFile(write_csv(tmp_path / "a.csv", fixture_rows(2)))
    assert csv_file.line_blocks(4) is None  # only UTF-8 JSONL is cut into blocks of lines


def test_invalid_utf8_deep_in_a_big_file_fails_whole_and_keeps_what_was_stored(tmp_path):
    with Store(tmp_path / "news.db") as store:
        first = Importer(store).run(write_csv(tmp_path / "first.csv", fixture_rows(2)))
        lines = [json.dumps({"title": f"Story {i}", "text": "x" * 400, "outlet": "Big"}) for i in range(900)]
        data = "".join(line + "\n" for line in lines).encode()
        bad_at = len(data) - 3000  # past the 256 KiB the encoding is detected on
        path = tmp_path / "big.jsonl"
        path.write_bytes(data[:bad_at] + b"\xff" + data[bad_at + 1 :])
        with pytest.raises(ImportFailed, match=rf"big\.jsonl is not valid utf-8 text near byte {bad_at}; save it"):
            Importer(store, workers=2, batch_size=100).run(path)
        # In one process the text is decoded ahead of the rows: it names a row before the bad bytes.
        with pytest.raises(ImportFailed, match=r"big\.jsonl is not valid utf-8 text after row ([\d,]+); save") as one:
            Importer(store, batch_size=100).run(path)
        bad_row = data[:bad_at].count(b"\n") + 1
        assert 0 < int(re.search(r"after row ([\d,]+)", str(one.value)).group(1).replace(",", "")) < bad_row
        assert store.execute("SELECT count(*) FROM articles").fetchone()[0] == first.stored
        log = store.execute("SELECT status FROM imports ORDER BY id").fetchall()
        assert [r[0] for r in log] == ["done", "failed", "failed"]


class DyingPreparer(Preparer):
    """Validates like a Preparer, but its process dies on the batch holding the marked row."""

    def __call__(self, batch):  # type: ignore[no-untyped-def]
        if any(r.fields and r.fields.get("title") == "the last straw" for r in batch.records()):
            os._exit(3)
        return super().__call__(batch)


def test_a_worker_that_dies_loses_and_doubles_nothing(store, tmp_path, monkeypatch):
    lines = [json.dumps(r) for r in fixture_rows(20)]
    lines[-10] = json.dumps({"title": "the last straw", "text": "t", "outlet": "X"})
    source = write_jsonl(tmp_path / "a.jsonl", lines)
    before = Importer(store).run(write_csv(tmp_path / "first.csv", fixture_rows(2))).stored
    real = Importer._preparer

    def dying(self, report, first):  # type: ignore[no-untyped-def]
        p = real(self, report, first)
        return DyingPreparer(p.mapping, p.source, p.outlet, p.default_tz, p.dayfirst)

    monkeypatch.setattr(Importer, "_preparer", dying)
    with pytest.raises(ImportFailed, match="A worker process validating the rows of a.jsonl stopped unexpectedly"):
        Importer(store, workers=2, batch_size=5).run(source)
    assert store.execute("SELECT count(*) FROM articles").fetchone()[0] == before
    monkeypatch.setattr(Importer, "_preparer", real)
    again = Importer(store, workers=2, batch_size=5).run(source)
    assert again.stored + again.duplicates == len(lines)
    total = store.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone()
    assert total[0] == total[1] == before + again.stored


def test_the_command_line_validates_in_workers_when_told(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NEWS_IMPORT_WORKERS", "2")
    monkeypatch.setenv("NEWS_IMPORT_BATCH", "9")
    lines = awkward_rows()
    db = tmp_path / "news.db"
    assert main(["import", str(write_jsonl(tmp_path / "a.jsonl", lines)), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert (
        f"a.jsonl: {len(lines) - 2:,} rows read, {len(lines) - 6:,} stored, 1 duplicates skipped, 3 rows rejected"
        in out
    )
    assert f"Indexed {len(lines) - 6:,} articles for search in" in out
    with Store(db) as store:
        assert store.search_pending() == 0
        assert store.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'quotes'").fetchone()[0] == 1


def test_workers_do_not_run_the_parents_main_script(tmp_path, monkeypatch):
    """In the app the main "script" is a page (and in a test run, whatever AppTest ran last): a worker process
    must not run it, as multiprocessing's spawn would."""
    import sys
    import types

    marker = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('ran')\nraise SystemExit('a page ran in a worker')\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    source = write_jsonl(tmp_path / "a.jsonl", awkward_rows())
    with Store(tmp_path / "news.db") as store:
        assert Importer(store, workers=2, batch_size=7).run(source).stored == len(awkward_rows()) - 6
    assert not marker.exists() and sys.modules["__main__"] is page
