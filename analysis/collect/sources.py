"""What a collection run reads from disk: URL and feed lists, and saved pages in files, folders and .zip archives."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from analysis.collect.feeds import FeedError, read_url_list
from analysis.collect.fetch import FetchPolicy
from analysis.errors import BadInput


class CollectError(BadInput):
    """Nothing can be collected from what was given; the message says why."""


def saved_pages(paths: Sequence[str | Path], fail: Callable[[str, str, str], None]) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every .html/.htm file in the given files, folders and .zip archives."""
    limit = FetchPolicy().max_bytes
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            fail(str(path), "file not found", f"{path} does not exist.")
            continue
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            suffix = f.suffix.lower()
            if suffix == ".zip":
                try:
                    with zipfile.ZipFile(f) as zf:
                        for info in zf.infolist():
                            if info.is_dir() or not info.filename.lower().endswith((".html", ".htm")):
                                continue
                            if info.file_size > limit:
                                fail(
                                    f"{f.name}/{info.filename}", "too large", f"{info.filename} is over the size limit."
                                )
                                continue
                            yield f"{f.name}/{info.filename}", zf.read(info)
                except zipfile.BadZipFile:
                    fail(str(f), "not a zip archive", f"{f.name} is not a readable .zip archive.")
            elif suffix in (".html", ".htm"):
                if f.stat().st_size > limit:
                    fail(str(f), "too large", f"{f.name} is over the size limit.")
                    continue
                yield str(f), f.read_bytes()
            elif path.is_file():
                fail(str(f), "not an HTML file", f"{f.name} is not an .html, .htm or .zip file.")


def read_sources(feeds_file: str | None, urls_file: str | None) -> tuple[list[str], list[str]]:
    """Feed URLs and article URLs from the files given on the command line."""
    out: list[list[str]] = []
    for name in (feeds_file, urls_file):
        if not name:
            out.append([])
            continue
        p = Path(name)
        if not p.is_file():
            raise CollectError(f"{name} does not exist.")
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CollectError(f"{name} is not UTF-8 text; save it as UTF-8.") from exc
        try:
            listed = read_url_list(text)
        except FeedError as exc:
            raise CollectError(f"{name}: {exc}") from exc
        if not listed:
            raise CollectError(f"{name} lists no URLs (one per line, or a CSV with a url column).")
        out.append(listed)
    return out[0], out[1]
