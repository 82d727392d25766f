"""What a file holds, from its first bytes."""

from __future__ import annotations

import codecs

import pytest

from analysis.ingest.sniff import sniff_delimiter, sniff_format


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        (b"title,text\nA,B\n", "csv"),
        (b'  [{"title": "A"}]', "json"),
        (b'{"title": "A"}\n{"title": "B"}\n', "jsonl"),
        (b'{"articles": [{"title": "A"}]}', "json"),  # one object holding the list of articles
        (b"PAR1\x00\x00", "parquet"),
        (b"%PDF-1.7 ...", "a PDF document"),
        (b"PK\x03\x04rest", "a ZIP archive"),
        (b"SQLite format 3\x00", "an SQLite database"),
        (bytes(range(256)) * 4, "binary"),
        (codecs.BOM_UTF8 + b"title;text\n", "csv"),
        ("title,text\nA,B\n".encode("utf-16-le"), "csv"),  # UTF-16 without a BOM is text, not binary
        (codecs.BOM_UTF16_LE + '[{"title": "A"}]'.encode("utf-16-le"), "json"),
    ],
)
def test_the_format_is_named_from_the_first_bytes(sample: bytes, expected: str) -> None:
    assert sniff_format(sample) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("title,text,outlet\na,b,c\n", ","),
        ("title;text;outlet\na;b, with a comma;c\n", ";"),
        ("title\ttext\na\tb\n", "\t"),
        ("title|text\na|b\n", "|"),
        ("just one column\nvalue\n", ","),
    ],
)
def test_the_delimiter_is_the_one_that_splits_the_header(head: str, expected: str) -> None:
    assert sniff_delimiter(head) == expected
