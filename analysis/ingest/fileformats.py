"""Open article files of any supported format and stream their records as dicts.

Formats: CSV, TSV, JSON (array or an object holding one), JSONL, Parquet, each optionally
gzipped. Encodings are detected (BOM, UTF-8, then charset-normalizer on a sample).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import shutil
import sys
import tempfile
import zlib
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from analysis.ingest.records import FileFormatError, LineBlock, Record, jsonl_record
from analysis.ingest.sniff import sniff_delimiter, sniff_format

__all__ = ["ArticleFile", "FileFormatError", "LineBlock", "Record"]

FORMATS = ("csv", "tsv", "json", "jsonl", "parquet")
_EXT_FORMAT = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": None,
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
SAMPLE_BYTES = 256 * 1024

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and counts bytes read, for progress on compressed input."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = self.raw.readinto(b)  # type: ignore[attr-defined]
        self.count += n or 0
        return n or 0


class ArticleFile:
    """A file on disk, its detected format, compression and encoding."""

    def __init__(
        self, path: str | Path, *, fmt: str | None = None, encoding: str | None = None, name: str | None = None
    ) -> None:
        self.path = Path(path)
        self.name = name or self.path.name
        if not self.path.exists():
            raise FileFormatError(f"{self.name} does not exist.")
        if self.path.is_dir():
            raise FileFormatError(f"{self.name} is a folder, not a file.")
        self.size = self.path.stat().st_size
        if self.size == 0:
            raise FileFormatError(f"{self.name} is empty.")
        with self.path.open("rb") as fh:
            head = fh.read(4)
        self.gzipped = head[:2] == b"\x1f\x8b"
        self._counter: _CountingReader | None = None
        sample = self._sample()
        if not sample.strip(b"\x00 \r\n\t"):
            raise FileFormatError(f"{self.name} is empty.")
        self.format = self._detect_format(fmt, sample)
        self.encoding = None if self.format == "parquet" else (encoding or self._detect_encoding(sample))

    # -- detection -----------------------------------------------------------------------------
    def _open_binary(self) -> IO[bytes]:
        raw = self.path.open("rb")
        self._counter = _CountingReader(raw)
        buffered = io.BufferedReader(self._counter, buffer_size=1 << 20)
        return gzip.GzipFile(fileobj=buffered) if self.gzipped else buffered  # type: ignore[return-value]

    def _sample(self) -> bytes:
        try:
            with self._open_binary() as fh:
                return fh.read(SAMPLE_BYTES)
        except (OSError, EOFError, zlib.error) as exc:
            raise FileFormatError(f"{self.name} is not a readable gzip file ({_short(exc)}).") from exc

    @property
    def bytes_read(self) -> int:
        """Bytes of the file on disk consumed so far (compressed bytes for .gz)."""
        return self._counter.count if self._counter else 0

    def _detect_format(self, fmt: str | None, sample: bytes) -> str:
        suffixes = [s.lower() for s in self.path.suffixes] or [""]
        if self.name != self.path.name:
            suffixes = [s.lower() for s in Path(self.name).suffixes] or suffixes
        if suffixes and suffixes[-1] == ".gz":
            suffixes = suffixes[:-1] or [""]
        ext = suffixes[-1] if suffixes else ""
        declared = fmt or _EXT_FORMAT.get(ext)
        if fmt and fmt not in FORMATS:
            raise FileFormatError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
        if ext and ext not in _EXT_FORMAT and not fmt:
            if ext in (".xlsx", ".xls", ".ods"):
                raise FileFormatError(
                    f"{self.name} is a spreadsheet; save it as CSV first (File > Save as > CSV UTF-8)."
                )
            raise FileFormatError(
                f"{self.name} has an unsupported extension {ext}; "
                "use CSV, TSV, JSON, JSONL or Parquet (optionally .gz)."
            )
        actual = sniff_format(sample)
        what = actual if actual in FORMATS or actual in ("text",) else None
        if actual == "parquet":
            if declared not in (None, "parquet"):
                raise FileFormatError(f"{self.name} is named {ext} but is a Parquet file; rename it to .parquet.")
            return "parquet"
        if declared == "parquet":
            described = actual if what is None else f"{actual.upper()} text"
            raise FileFormatError(f"{self.name} is named {ext} but is not a Parquet file (it looks like {described}).")
        if what is None:
            raise FileFormatError(
                f"{self.name} is {actual}, not a CSV, JSON or Parquet file of articles."
                if actual != "binary"
                else f"{self.name} contains binary data, not CSV or JSON text; check that it is the right file."
            )
        if declared in ("json", "jsonl"):
            if actual not in ("json", "jsonl"):
                raise FileFormatError(
                    f"{self.name} is named {ext} but does not contain JSON (it starts with "
                    f"{_preview(sample)!r}); rename it or give the right format."
                )
            return actual if declared == "json" else "jsonl"
        if declared in ("csv", "tsv"):
            if actual in ("json", "jsonl"):
                raise FileFormatError(f"{self.name} is named {ext} but contains JSON; rename it to .json or .jsonl.")
            return declared
        # No usable extension (.txt or none): go by content.
        return actual if actual in ("json", "jsonl") else "csv"

    def _detect_encoding(self, sample: bytes) -> str:
        for bom, enc in (
            (codecs.BOM_UTF32_LE, "utf-32"),
            (codecs.BOM_UTF32_BE, "utf-32"),
            (codecs.BOM_UTF8, "utf-8-sig"),
            (codecs.BOM_UTF16_LE, "utf-16"),
            (codecs.BOM_UTF16_BE, "utf-16"),
        ):
            if sample.startswith(bom):
                return enc
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        from charset_normalizer import from_bytes

        matches = list(from_bytes(sample))
        enc = matches[0].encoding if matches else "cp1252"
        # Short samples make single-byte guesses shaky; Windows-1252 is by far the likeliest.
        western = [m for m in matches if m.encoding in ("cp1252", "latin_1", "iso8859_15")]
        if western and western[0].chaos <= matches[0].chaos + 0.1:
            enc = western[0].encoding
        if enc in ("latin_1", "iso8859_1", "ascii", "iso8859_15"):
            enc = "cp1252"
        try:
            sample.decode(enc)
        except (UnicodeDecodeError, LookupError):
            enc = "latin-1"
        return enc

    # -- reading -------------------------------------------------------------------------------
    def records(self, delimiter: str | None = None) -> Iterator[Record]:
        """Stream the file's records; raises FileFormatError on a fatal problem."""
        row = 0
        try:
            if self.format == "parquet":
                source = self._parquet()
            elif self.format in ("csv", "tsv"):
                source = self._csv(delimiter)
            elif self.format == "jsonl":
                source = self._jsonl()
            else:
                source = self._json()
            for rec in source:
                row = rec.row
                yield rec
        except UnicodeDecodeError as exc:  # text is decoded ahead of the rows: the bad bytes are past this row
            where = f"after row {row:,}" if row else "in its first rows"
            raise FileFormatError(
                f"{self.name} is not valid {self.encoding} text {where}; save it as UTF-8 or give its encoding."
            ) from exc
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise self._truncated() from exc

    def _truncated(self) -> FileFormatError:
        return FileFormatError(f"{self.name} is truncated or corrupt: the compressed data ends early.")

    def _text(self) -> IO[str]:
        return io.TextIOWrapper(self._open_binary(), encoding=self.encoding, newline="")

    def _csv(self, delimiter: str | None) -> Iterator[Record]:
        if delimiter is None:
            head = self._sample()[:65536].decode(self.encoding or "utf-8", errors="ignore")
            delimiter = "\t" if self.format == "tsv" else sniff_delimiter(head)
        with self._text() as fh:
            reader = csv.reader(fh, delimiter=delimiter, strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise FileFormatError(f"{self.name} is empty.") from None
            header = [h.strip().lstrip("\ufeff") for h in header]
            if len(header) < 2 and self.format == "csv" and len(header[0]) > 200:
                raise FileFormatError(f"{self.name} does not look like a CSV file with a header row.")
            width = len(header)
            row = 0
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    raise FileFormatError(
                        f"{self.name} is truncated or malformed near line {reader.line_num} ({exc})."
                    ) from exc
                row += 1
                if not values or all(not v.strip() for v in values):
                    continue
                if len(values) != width:
                    yield Record(row, None, f"it has {len(values)} fields but the header has {width}")
                    continue
                yield Record(row, dict(zip(header, values, strict=True)))

    def _jsonl(self) -> Iterator[Record]:
        with self._text() as fh:
            row = 0
            for line in fh:
                if not line.strip():
                    continue
                row += 1
                yield jsonl_record(row, line.rstrip("\r\n"))  # as LineBlock gives it: same error messages

    def line_blocks(self, lines: int) -> Iterator[LineBlock] | None:
        """A UTF-8 JSONL file as blocks of about `lines` whole lines, read but not decoded (a big import decodes
        and parses them in worker processes); None for any other format or encoding."""
        if self.format != "jsonl" or self.encoding not in ("utf-8", "utf-8-sig"):
            return None
        return self._line_blocks(lines)

    def _line_blocks(self, lines: int) -> Iterator[LineBlock]:
        offset = 0
        try:
            with self._open_binary() as fh:
                if self.encoding == "utf-8-sig":
                    offset = len(fh.read(3))
                while True:
                    chunk = list(islice(fh, lines))
                    if not chunk:
                        return
                    data = b"".join(chunk)
                    yield LineBlock(data, offset, self.name)
                    offset += len(data)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise self._truncated() from exc

    def _json(self) -> Iterator[Record]:
        import ijson

        prefix = self._json_prefix()
        row = 0
        with self._open_utf8() as fh:
            try:
                for obj in ijson.items(fh, prefix, use_float=True):
                    row += 1
                    if not isinstance(obj, dict):
                        yield Record(row, None, "it is not a JSON object")
                        continue
                    yield Record(row, obj)
            except ijson.common.IncompleteJSONError as exc:
                raise FileFormatError(
                    f"{self.name} is truncated or not valid JSON after {row} records ({_short(exc)})."
                ) from exc
        if row == 0 and prefix == "item":
            return

    def _json_prefix(self) -> str:
        """'item' for a top-level array, else the path of the first array inside the object."""
        import ijson

        with self._open_utf8() as fh:
            try:
                for prefix, event, _ in ijson.parse(fh):
                    if event == "start_array":
                        return (prefix + ".item") if prefix else "item"
                    if event in ("string", "number", "boolean", "null") and not prefix:
                        break
            except ijson.common.IncompleteJSONError as exc:
                raise FileFormatError(f"{self.name} is not valid JSON ({_short(exc)}).") from exc
        raise FileFormatError(f"{self.name} holds no list of articles (expected a JSON array of objects).")

    def _open_utf8(self) -> IO[bytes]:
        if self.encoding in ("utf-8", "utf-8-sig", None):
            fh = self._open_binary()
            if self.encoding == "utf-8-sig":
                fh.read(3)
            return fh
        return _Utf8Recoder(self._text())  # type: ignore[return-value]

    def _parquet(self) -> Iterator[Record]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        tmp: Path | None = None
        try:
            source: Path = self.path
            if self.gzipped:
                fd, name = tempfile.mkstemp(suffix=".parquet")
                tmp = Path(name)
                with self._open_binary() as src, open(fd, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                source = tmp
            try:
                pf = pq.ParquetFile(source)
            except (pa.ArrowException, OSError) as exc:
                raise FileFormatError(f"{self.name} is not a readable Parquet file ({_short(exc)}).") from exc
            row = 0
            try:
                for batch in pf.iter_batches(batch_size=2000):
                    for obj in batch.to_pylist():
                        row += 1
                        yield Record(row, obj)
                    if self._counter is not None and not self.gzipped:
                        self._counter.count = int(self.size * row / max(pf.metadata.num_rows, 1))
            except (pa.ArrowException, OSError) as exc:
                raise FileFormatError(f"{self.name} is truncated or corrupt ({_short(exc)}).") from exc
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)


class _Utf8Recoder(io.RawIOBase):
    """Reads a text stream and serves it as UTF-8 bytes (for ijson on UTF-16 files)."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.buf = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buf) < size:
            chunk = self.text.read(65536)
            if not chunk:
                break
            self.buf += chunk.encode("utf-8")
        if size < 0:
            out, self.buf = self.buf, b""
        else:
            out, self.buf = self.buf[:size], self.buf[size:]
        return out

    def close(self) -> None:
        self.text.close()
        super().close()


def _preview(sample: bytes) -> str:
    return sample[:30].decode("utf-8", errors="replace").split("\n", 1)[0]


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().split("\n", 1)[0]
    return msg[:120] if msg else type(exc).__name__
