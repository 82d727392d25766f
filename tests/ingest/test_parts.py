"""Direct tests of ingest modules the importer tests reach only through an import: the file reader."""

from __future__ import annotations

import gzip

import pytest

from analysis.ingest.fileformats import ArticleFile, FileFormatError


def test_a_gzipped_csv_is_read_row_by_row_with_its_row_numbers(tmp_path):
    path = tmp_path / "rows.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write('title,text\n"Flood, again",Water rose.\nVote,"Counted\nat night"\n')
    f = ArticleFile(path)
    assert f.gzipped and f.format == "csv"
    records = list(f.records())
    assert [r.row for r in records] == [1, 2]
    assert records[0].fields == {"title": "Flood, again", "text": "Water rose."}
    assert records[1].fields is not None and records[1].fields["text"] == "Counted\nat night"


def test_files_that_are_not_articles_get_one_sentence(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileFormatError, match="empty.csv is empty"):
        ArticleFile(empty)
    with pytest.raises(FileFormatError, match="is a folder"):
        ArticleFile(tmp_path)
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(FileFormatError, match="not a readable gzip file"):
        ArticleFile(broken)
