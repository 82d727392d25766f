import sqlite3

import pytest

from analysis.errors import NotFound
from analysis.ingest.schema import Article
from analysis.store import SCHEMA_VERSION, Store, StoreError


def art(i: int, outlet: str = "A", text: str | None = None, url: str | None = "auto") -> Article:
    return Article(
        title=f"Title {i}",
        text=text or f"Body of article {i} about the storm.",
        url=f"https://a.example/{i}" if url == "auto" else url,
        outlet=outlet,
        published=f"2020-01-0{1 + i % 9}T00:00:00Z",
    ).finalise()


def test_new_store_is_wal_and_migrated(tmp_path):
    s = Store(tmp_path / "n.db")
    assert s.schema_version == SCHEMA_VERSION
    assert s.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    s.close()
    # Re-opening applies nothing and keeps the data.
    with Store(tmp_path / "n.db") as s2:
        assert s2.schema_version == SCHEMA_VERSION


def test_store_from_newer_program_is_refused(tmp_path):
    path = tmp_path / "n.db"
    Store(path).close()
    c = sqlite3.connect(path)
    c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    c.close()
    with pytest.raises(StoreError, match="newer than this program"):
        Store(path)


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "n.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable news store"):
        Store(path)


def test_readonly_open_of_missing_store(tmp_path):
    with pytest.raises(StoreError, match="No store at"):
        Store(tmp_path / "missing.db", readonly=True)


def test_duplicates_by_url_and_content_are_skipped(store):
    assert store.add_articles([art(1), art(2)]) == (2, 0)
    # Same canonical URL (tracking parameter), then same content under another URL.
    again = Article(title="Other", text="x", url="https://a.example/1?utm_source=t").finalise()
    copy = Article(title="Title 2", text="Body of article 2 about the storm.", url="https://b.example/z").finalise()
    assert store.add_articles([again, copy, art(3), art(3)]) == (1, 3)
    assert store.count() == 3


def test_fts_search_follows_inserts_updates_and_deletes(store):
    store.add_articles([art(1, text="A hurricane hit the coast."), art(2, text="Parliament voted today.")])

    def hits(q: str) -> int:
        return len(store.search.matches(q))

    assert hits("hurricane") == 1
    assert hits("vote") == 1  # porter stemming: voted -> vote
    store.execute("UPDATE articles SET text = 'A typhoon hit.' WHERE text LIKE 'A hurricane%'")
    assert hits("hurricane") == 0 and hits("typhoon") == 1
    store.execute("DELETE FROM articles WHERE text = 'A typhoon hit.'")
    assert hits("typhoon") == 0
    # A row written outside add_articles is indexed by the trigger.
    store.execute(
        "INSERT INTO articles(id, canonical_url, title, text, outlet, collected, content_hash)"
        " VALUES ('x', 'urn:x', 'Zebra sighting', 'zebras', 'B', '2020', 'h')"
    )
    assert hits("zebra") == 1


def test_outlet_metadata_fills_but_never_overwrites(store):
    store.add_articles([art(1, "A")], outlet_meta={"A": {"bias": "left", "country": "US"}})
    store.outlets.update_outlet("A", bias="center", bias_source="My own rating")
    store.add_articles([art(2, "A")], outlet_meta={"A": {"bias": "right"}})
    (a,) = store.outlets.records()
    assert (a["bias"], a["country"], a["bias_source"]) == ("center", "US", "My own rating")
    with pytest.raises(NotFound, match="No outlet named"):
        store.outlets.update_outlet("Nope", bias="left")


def test_abort_import_removes_only_that_import(store):
    store.add_articles([art(1)])
    imp = store.begin_import("bad.csv")
    store.add_articles([art(2), art(3)], import_id=imp)
    assert store.count() == 3
    assert store.abort_import(imp, "broken") == 2
    assert store.count() == 1
    assert store.imports()[-1]["status"] == "failed"


def test_data_version_changes_on_writes(store):
    v0 = store.data_version
    store.add_articles([art(1)])
    v1 = store.data_version
    store.add_articles([art(1)])  # only a duplicate: nothing changed
    assert v1 > v0 and store.data_version == v1


def test_get_article_returns_extra_as_dict(store):
    a = art(1)
    a.extra = {"bias": "left"}
    store.add_articles([a])
    got = store.get_article(a.id)
    assert got["extra"] == {"bias": "left"} and got["title"] == "Title 1"
    assert store.get_article("missing") is None


OPEN_AT_ONCE = """
import sys, time
from analysis.store import SCHEMA_VERSION, Store
while time.time() < float(sys.argv[2]):
    pass
try:
    with Store(sys.argv[1]) as s:
        print("ok" if s.schema_version == SCHEMA_VERSION else f"version {s.schema_version}")
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}")
"""


def test_several_processes_creating_one_new_store_at_once(tmp_path):
    import subprocess
    import sys
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for attempt in range(3):
        path = str(tmp_path / f"new{attempt}.db")
        start = time.time() + 2.0  # every process opens the new store at this moment
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_AT_ONCE, path, str(start)],
                cwd=root,
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(4)
        ]
        results = [p.communicate(timeout=120)[0].strip() for p in procs]
        assert results == ["ok"] * 4, results  # never "not a usable news store (table ... already exists)"


def test_a_big_import_is_searchable_once_its_index_catches_up(store):
    def hits(q: str) -> int:
        return len(store.search.matches(q))

    store.add_articles([art(1, text="A hurricane hit the coast.")])
    store.add_articles([art(2, text="Another hurricane formed."), art(3, text="A storm surge.")], defer_search=True)
    store.add_articles([art(4, text="A third hurricane.")])  # written after it: indexed after it too
    trailing = store.dialect.name == "sqlite"  # PostgreSQL indexes each row as it is written
    assert store.search_pending() == (3 if trailing else 0)
    assert hits("hurricane") == (1 if trailing else 3)
    store.execute("DELETE FROM articles WHERE text = 'A storm surge.'")  # rows not indexed yet change freely
    store.execute("UPDATE articles SET text = 'Another typhoon formed.' WHERE text LIKE 'Another hurricane%'")
    seen = []

    def stop_after_one(stage: str, done: int, total: int) -> None:
        seen.append((done, total))
        raise KeyboardInterrupt

    if trailing:
        with pytest.raises(KeyboardInterrupt):
            store.index_search(stop_after_one, batch=1)
        assert seen == [(1, 2)] and store.search_pending() == 1  # the batch done is kept
    store.index_search()
    assert store.search_pending() == 0
    assert hits("hurricane") == 2 and hits("typhoon") == 1 and hits("surge") == 0
    if trailing:
        store.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
        assert store.meta("fts_upto") == ""
