"""Direct tests of the store's table families that other tests only reach through the collector, the demo
and the exports: the vector cache, the collection queue, snapshots and export rows."""

from __future__ import annotations

import shutil

import numpy as np

from analysis.store import Store


def test_the_vector_cache_keeps_or_replaces_and_counts_what_it_gained(store):
    a, b = np.ones(4, dtype=np.float16).tobytes(), np.zeros(4, dtype=np.float16).tobytes()
    assert store.vectors.put("m", [("h1", a), ("h2", a)]) == 2
    assert store.vectors.put("m", [("h1", b), ("h3", b)], replace=False) == 1  # h1 kept as it was
    assert store.vectors.cached("m", ["h1", "h2", "h3", "h4"]) == {"h1": a, "h2": a, "h3": b}
    assert store.vectors.put("m", [("h1", b)]) == 0 and store.vectors.cached("m", ["h1"])["h1"] == b
    assert store.vectors.cached("other model", ["h1"]) == {}
    many = [f"k{i}" for i in range(2000)]  # more than SQLite's bound-parameter limit in one read
    store.vectors.put("m", [(k, a) for k in many])
    assert len(store.vectors.cached("m", many)) == 2000


def test_the_collection_queue_from_enqueue_to_a_finished_run(store):
    run = store.collection.start_run({"urls": 3})
    queued, known = store.collection.enqueue(
        [(f"https://a.test/{i}", f"https://a.test/{i}", "list", "t") for i in (1, 2, 3)]
    )
    assert queued == 3 and known == set()
    assert store.collection.enqueue([("https://a.test/1", "https://a.test/1", "list", "t")])[0] == 0  # no repeat
    claimed = store.collection.claim(run)
    assert sorted(u for u, _ in claimed) == [f"https://a.test/{i}" for i in (1, 2, 3)]
    assert store.collection.claim(run + 1) == []  # another run cannot take the same URLs
    store.collection.record_states(
        run, [("failed", "timeout", "https://a.test/1 timed out.", None, "https://a.test/1")]
    )
    assert store.collection.failed_urls(run) == [
        {"url": "https://a.test/1", "reason": "timeout", "message": "https://a.test/1 timed out."}
    ]
    store.collection.finish_run(run, "interrupted", {"stored": 0, "failures": [1]})
    # the two URLs still being fetched went back to the queue for the next run
    assert sorted(u for u, _ in store.collection.claim(run + 1)) == ["https://a.test/2", "https://a.test/3"]
    (only,) = store.collection.runs()
    assert only["status"] == "interrupted" and only["summary"] == {"stored": 0, "failures": [1]}


def test_a_snapshot_loads_only_into_the_store_it_was_made_for(fitted_db, tmp_path, fixture_db_copy):
    shutil.copy(fitted_db, tmp_path / "fitted.db")
    with Store(tmp_path / "fitted.db") as src:
        src.snapshot.export_tables(tmp_path / "snap.db", ("stories", "story_members"), ("next_story_id",))
        stories = src.execute("SELECT count(*) FROM stories").fetchone()[0]
        src.execute("DELETE FROM stories")
        assert src.snapshot.import_tables(tmp_path / "snap.db", ("stories", "story_members"))
        assert src.execute("SELECT count(*) FROM stories").fetchone()[0] == stories > 0
    with Store(fixture_db_copy) as other:  # other articles: refused, nothing written
        before = other.execute("SELECT count(*) FROM stories").fetchone()[0]
        assert not other.snapshot.import_tables(tmp_path / "snap.db", ("stories", "story_members"))
        assert other.execute("SELECT count(*) FROM stories").fetchone()[0] == before


def test_export_rows_follow_the_contract_order(fixture_db):
    with Store(fixture_db, readonly=True) as store:
        header, rows = store.exports.outlet_rows()
        rows = list(rows)
        assert header[:2] == ["outlet", "domain"] and header[-3:] == ["articles", "first_published", "last_published"]
        assert [r[header.index("articles")] for r in rows] == sorted(
            (r[header.index("articles")] for r in rows), reverse=True
        )
        articles = list(store.exports.article_rows())
        dated = [a["published"] for a in articles if a["published"]]
        assert dated == sorted(dated) and not articles[-1]["published"]  # oldest first, undated last


def test_a_feed_check_is_remembered_and_a_not_modified_answer_keeps_what_was_known(store):
    url = "https://a.test/feed.xml"
    assert store.collection.feed_validators(url) == {}
    store.collection.remember_feed(url, "rss", "A Test", 12, {"etag": '"v1"', "last-modified": "Tue, 01 Dec 2026"})
    assert store.collection.feed_validators(url) == {"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 01 Dec 2026"}
    store.collection.remember_feed(url, None, None, 0, {"etag": '"v2"'})  # 304 Not Modified
    row = store.execute("SELECT kind, title, entries, etag FROM feeds WHERE url = ?", (url,)).fetchone()
    assert tuple(row) == ("rss", "A Test", 12, '"v2"')
    store.collection.remember_feed(url, "atom", "A Test, renamed", 5, {})
    row = store.execute("SELECT kind, title, entries, etag FROM feeds WHERE url = ?", (url,)).fetchone()
    assert tuple(row) == ("atom", "A Test, renamed", 5, None)
