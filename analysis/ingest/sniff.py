"""What a file holds, from its first bytes: a format we read, or what else it is (a PDF, an archive, ...)."""

from __future__ import annotations

import codecs
import json

_MAGIC = {
    b"PK\x03\x04": "a ZIP archive",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x7fELF": "a program (ELF binary)",
    b"SQLite format 3": "an SQLite database",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
}


def sniff_format(sample: bytes) -> str:
    """What the content looks like: csv/json/jsonl/parquet, 'binary', or a named file type."""
    if sample.startswith(b"PAR1"):
        return "parquet"
    for magic, what in _MAGIC.items():
        if sample.startswith(magic):
            return what
    text_sample = sample
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if sample.startswith(bom):
            text_sample = sample.decode(enc, errors="ignore").encode("utf-8")
            break
    else:
        if b"\x00" in sample[:4096]:
            # UTF-16 without BOM has a NUL in every other byte; real binary has them scattered.
            if sample[1:4096:2].count(0) > 0.9 * len(sample[1:4096:2]):
                text_sample = sample.decode("utf-16-le", errors="ignore").encode("utf-8")
            else:
                return "binary"
    controls = sum(1 for b in text_sample[:4096] if b < 9 or 13 < b < 32)
    if controls > 0.05 * max(len(text_sample[:4096]), 1):
        return "binary"
    stripped = text_sample.lstrip()
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        first = stripped.split(b"\n", 1)[0].strip()
        try:
            obj = json.loads(first)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return "json"
        # One object per line, unless that object is a container holding the list of articles.
        holds_list = isinstance(obj, dict) and any(
            isinstance(v, list) and v and isinstance(v[0], dict) for v in obj.values()
        )
        return "json" if holds_list else "jsonl"
    return "csv"


def sniff_delimiter(head: str) -> str:
    """The delimiter of a CSV head: the one that splits the first lines most, and most evenly."""
    lines = head.splitlines()[:20]
    best, best_score = ",", -1
    for d in (",", ";", "\t", "|"):
        counts = [line.count(d) for line in lines[:5] if line]
        if not counts or counts[0] == 0:
            continue
        score = counts[0] * 10 - len(set(counts))
        if score > best_score:
            best, best_score = d, score
    return best
