"""What a collection run reads from disk: URL and feed lists, saved pages in files, folders and archives."""

from __future__ import annotations

import zipfile

import pytest

from analysis.collect.sources import CollectError, read_sources, saved_pages


def test_saved_pages_come_from_files_folders_and_zips_and_say_what_was_skipped(tmp_path):
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.html").write_bytes(b"<p>a</p>")
    (folder / "sub" / "b.HTM").write_bytes(b"<p>b</p>")
    (folder / "notes.txt").write_text("not a page")  # inside a folder: ignored quietly
    archive = tmp_path / "saved.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("c.html", "<p>c</p>")
        zf.writestr("img.png", "x")
    (tmp_path / "broken.zip").write_bytes(b"not a zip")
    (tmp_path / "doc.pdf").write_bytes(b"%PDF")
    failures: list[tuple[str, str, str]] = []
    got = dict(
        saved_pages(
            [folder, archive, tmp_path / "broken.zip", tmp_path / "doc.pdf", tmp_path / "gone.html"],
            lambda *f: failures.append(f),
        )
    )
    assert sorted(got.values()) == [b"<p>a</p>", b"<p>b</p>", b"<p>c</p>"]
    assert "saved.zip/c.html" in got
    assert [(f[1], f[2]) for f in failures] == [
        ("not a zip archive", "broken.zip is not a readable .zip archive."),
        ("not an HTML file", "doc.pdf is not an .html, .htm or .zip file."),
        ("file not found", f"{tmp_path / 'gone.html'} does not exist."),
    ]


def test_url_and_feed_lists_are_read_with_one_sentence_for_each_problem(tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("https://a.test/rss\n\n# a comment\nhttps://b.test/feed\n")
    urls = tmp_path / "urls.csv"
    urls.write_text("url,note\nhttps://a.test/1,x\n")
    assert read_sources(str(feeds), str(urls)) == (["https://a.test/rss", "https://b.test/feed"], ["https://a.test/1"])
    assert read_sources(None, str(urls)) == ([], ["https://a.test/1"])
    with pytest.raises(CollectError, match="missing.txt does not exist"):
        read_sources(str(tmp_path / "missing.txt"), None)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("https://a.test/caf\xe9\n".encode("latin-1"))
    with pytest.raises(CollectError, match="is not UTF-8 text; save it as UTF-8"):
        read_sources(None, str(latin))
    empty = tmp_path / "empty.txt"
    empty.write_text("\n# nothing here\n")
    with pytest.raises(CollectError, match="lists no URLs"):
        read_sources(str(empty), None)
