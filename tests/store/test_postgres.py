"""The team store on PostgreSQL: what only it has (its schema counter, search syntax, pooled connections, the
sentences for a server that cannot be used), `migrate` between the backends, and concurrent writers in real
processes. The store's own behaviour on both backends is the conformance suite: every test taking the
`store` fixture runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing as mp
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import pytest

from analysis.cli import main
from analysis.pipeline.load import import_file
from analysis.store import SCHEMA_VERSION, Store, StoreError, open_store
from analysis.store.transfer import TABLES, copy_store
from tests.support.fixtures import write_csv
from tests.support.pg import with_database
from tests.support.topic_fixtures import topic_rows

pytestmark = pytest.mark.usefixtures("pg_server", "clean_main")


def test_a_new_store_is_migrated_once_and_searches_by_weighted_words(pg_url):
    with open_store(pg_url) as store:
        assert store.schema_version == SCHEMA_VERSION
        import_file(
            store,
            write_csv(
                Path("/tmp") / f"pg-{id(store)}.csv",
                [
                    {"title": "Flood in Dresden", "text": "The river rose. " * 5, "outlet": "A", "date": "2020-01-02"},
                    {
                        "title": "Budget vote",
                        "text": "Dresden was named once in a long text about money. " + "Money. " * 9,
                        "outlet": "B",
                        "date": "2020-01-03",
                    },
                ],
            ),
        )
        ids = store.search.ids_of(store.search.matches("dresden"))
        titles = [store.get_article(i)["title"] for i in ids]
        assert titles == ["Flood in Dresden", "Budget vote"]  # a word in the headline weighs more
        # the app's one syntax: a phrase, OR, and -word to leave a word out
        assert store.search.ids_of(store.search.matches("dresden -budget")) == ids[:1]
        assert len(store.search.matches('"river rose" OR money')) == 2
    with open_store(pg_url) as again:  # opening again applies nothing
        assert again.schema_version == SCHEMA_VERSION and again.count() == 2


def test_a_server_that_cannot_be_used_gets_one_sentence(pg_server, capsys):
    closed = "postgresql://news@127.0.0.1:9/news?connect_timeout=2"
    with pytest.raises(StoreError, match="no PostgreSQL server answered there"):
        open_store(closed)
    with pytest.raises(StoreError, match="database does not exist"):
        open_store(with_database(pg_server, "no_such_database"))
    assert main(["stats", "--db", closed]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Cannot open the PostgreSQL store") and "Traceback" not in err


def test_migrate_to_postgresql_and_back_keeps_every_row(fitted_db, pg_url, tmp_path, capsys):
    back = tmp_path / "back.db"
    assert main(["migrate", str(fitted_db), pg_url]) == 0
    assert "every table's rows counted on both sides" in capsys.readouterr().out
    assert main(["migrate", pg_url, str(back)]) == 0
    with Store(fitted_db, readonly=True) as a, open_store(pg_url) as b, Store(back, readonly=True) as c:
        for table, _ in TABLES:
            if table == "meta":
                continue
            n = a.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert (
                n
                == b.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                == c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            ), table
        # the saved topic model travels too: each store's fit points at a folder of its own, with the same files
        paths = [
            Path(s.execute("SELECT model_path FROM fits WHERE id = ?", (s.active_fit,)).fetchone()[0])
            for s in (a, b, c)
        ]
        assert len(set(paths)) == 3 and all(p.is_dir() for p in paths)
        assert paths[1].parent == b.fits.models_dir() and paths[2].parent == c.fits.models_dir()
        assert sorted(f.name for f in paths[2].iterdir()) == sorted(f.name for f in paths[0].iterdir())
        assert a.active_fit == b.active_fit == c.active_fit
        assert sorted(a.search.ids_of(a.search.matches("hurricane"))) == sorted(
            b.search.ids_of(b.search.matches("hurricane"))
        )
    out = {}
    for name, db in (("sqlite", str(fitted_db)), ("postgresql", pg_url)):
        assert main(["export", "articles", "--out", str(tmp_path / f"{name}.csv"), "--db", db]) == 0
        out[name] = pd.read_csv(tmp_path / f"{name}.csv").sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(out["sqlite"], out["postgresql"])  # the same export from either store


def test_an_interrupted_migration_finishes_when_run_again(fitted_db, pg_url, tmp_path):
    copy = tmp_path / "src.db"
    shutil.copy(fitted_db, copy)
    seen: list[str] = []

    def stop_in_articles(table: str, done: int, total: int) -> None:
        seen.append(table)
        if table == "article_tone":
            raise KeyboardInterrupt

    with Store(copy, readonly=True) as src, open_store(pg_url) as dst:
        with pytest.raises(KeyboardInterrupt):
            copy_store(src, dst, progress=stop_in_articles)
        assert dst.count() == src.count() and dst.execute("SELECT count(*) FROM stories").fetchone()[0] == 0
        copy_store(src, dst)
        assert (
            dst.execute("SELECT count(*) FROM stories").fetchone()[0]
            == src.execute("SELECT count(*) FROM stories").fetchone()[0]
        )
        with pytest.raises(Exception, match="the same store"):
            copy_store(dst, dst)
    with open_store(pg_url) as dst, Store(tmp_path / "other.db") as other:
        import_file(
            other, write_csv(tmp_path / "x.csv", [{"title": "Else", "text": "Other text here.", "outlet": "Z"}])
        )
        with pytest.raises(Exception, match="already holds articles the source does not have"):
            copy_store(dst, other)


def _import(url: str, csv: str) -> None:
    with open_store(url) as store:
        import_file(store, Path(csv))


def _edit(url: str, worker: int) -> None:
    from analysis.explore import edits

    with open_store(url) as store:
        for i in range(20):
            edits.edit_topic(store, "rename", worker, f"w{worker}-{i}")
            edits.edit_topic(store, "rename", 2, f"shared by {worker} #{i}")
        if worker == 0:
            edits.edit_topic(store, "merge", 4, 3)


def test_two_imports_at_once_store_each_article_once(pg_url, tmp_path):
    rows = topic_rows(per_subject=40)
    a = write_csv(tmp_path / "a.csv", rows[: len(rows) * 2 // 3])
    b = write_csv(tmp_path / "b.csv", rows[len(rows) // 3 :])  # a third of the rows are in both files
    with open_store(pg_url):
        pass  # created before the race, as the app or a first command would
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_import, args=(pg_url, str(f))) for f in (a, b)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with open_store(pg_url) as store:
        assert store.count() == len(rows)
        assert store.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0] == len(rows)


def test_two_people_editing_topics_at_once_see_a_consistent_result(fitted_copy, pg_url):
    from analysis.explore import edits

    assert main(["migrate", str(fitted_copy), pg_url]) == 0
    with open_store(pg_url) as store:
        sizes = edits.topic_table(store, include_hidden=True).set_index("topic")["size"]
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_edit, args=(pg_url, w)) for w in (0, 1)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with open_store(pg_url) as store:
        table = edits.topic_table(store, include_hidden=True).set_index("topic")
        assert table.loc[0, "label"] == "w0-19" and table.loc[1, "label"] == "w1-19"  # each one's last word
        assert table.loc[2, "label"] in ("shared by 0 #19", "shared by 1 #19")  # last write wins, whole
        assert 4 not in table.index and table.loc[3, "size"] == sizes[3] + sizes[4]  # the merge, all of it


def _collect(url: str, feeds: list[str]) -> None:
    from analysis.collect.fetch import FetchPolicy
    from analysis.collect.runner import Collector

    policy = FetchPolicy(delay=0.0, backoff=0.05, read_timeout=5.0, allow_hosts=frozenset({"localhost"}))
    with open_store(url) as store:
        summary = Collector(store, policy, workers=4, batch=5).run(feeds=feeds)
        assert not summary.failures, summary.failures


def _fit(url: str) -> None:
    from analysis.pipeline.fit import run_fit
    from tests.support.fakes import HashingEmbedder

    with open_store(url) as store:
        run_fit(store, HashingEmbedder())


def _timed(log: str, barrier, target, *args) -> None:
    import time

    barrier.wait(120)  # every job starts its work together, however long each process took to spawn and import
    start = time.time()
    target(*args)
    Path(log).write_text(f"{start} {time.time()}")


def test_two_collectors_an_import_and_a_fit_at_once_lose_and_double_nothing(pg_url, tmp_path):
    from tests.support.newssite import NewsServer, Site
    from tests.support.topic_fixtures import STORY_ROWS

    base = topic_rows(per_subject=30)
    with open_store(pg_url) as store:
        import_file(store, write_csv(tmp_path / "base.csv", base))  # what the fit fits on
    sites = [
        NewsServer(Site(name, n_articles=24, latency=0.01, topic_offset=i), host_name="localhost")
        for i, name in enumerate(("Harbor Ledger", "Valley Courier", "Summit Times"))
    ]
    feeds = [s.url("/feed.xml") for s in sites]
    try:
        ctx = mp.get_context("spawn")
        more = str(write_csv(tmp_path / "more.csv", STORY_ROWS + base[:40]))
        jobs = [
            (_collect, pg_url, feeds[:2]),  # both collectors read Valley Courier
            (_collect, pg_url, feeds[1:]),
            (_import, pg_url, more),
            (_fit, pg_url),
        ]
        logs = [str(tmp_path / f"job{i}.log") for i in range(len(jobs))]
        together = ctx.Barrier(len(jobs))
        procs = [ctx.Process(target=_timed, args=(log, together, *job)) for log, job in zip(logs, jobs, strict=True)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(300)
        assert [p.exitcode for p in procs] == [0, 0, 0, 0]
        spans = [tuple(map(float, Path(log).read_text().split())) for log in logs]
        assert max(s for s, _ in spans) < min(e for _, e in spans)  # all four were running at one moment
    finally:
        for s in sites:
            s.close()
    pages = {s.url(f"/news/{i}") for s in sites for i in range(24)}
    with open_store(pg_url) as store:
        urls = [r[0] for r in store.execute("SELECT url FROM articles WHERE url LIKE 'http://localhost:%'")]
        assert sorted(urls) == sorted(pages)  # every page once, though two collectors listed Valley Courier
        assert store.count() == len(base) + len(STORY_ROWS) + len(pages)  # the import's repeats stored once
        states = dict(store.execute("SELECT url, state FROM collect_urls").fetchall())
        assert len(states) == len(pages) and set(states.values()) == {"stored"}
        runs = store.execute("SELECT status FROM collect_runs").fetchall()
        assert [r[0] for r in runs] == ["finished", "finished"]
        fit = store.active_fit
        assert fit is not None  # the fit finished on what it read, and the store still reads whole
        assigned = store.execute("SELECT count(*) FROM article_topics WHERE fit_id = ?", (fit,)).fetchone()[0]
        assert len(base) <= assigned <= store.count()


def test_similar_news_by_the_hnsw_index_gives_what_the_exact_search_gives(fitted_db, pg_url, capsys):
    from analysis.explore.article import similar
    from analysis.pipeline.fit import run_update
    from analysis.store import pgvector
    from tests.support.fakes import HashingEmbedder

    with open_store(pg_url) as probe:  # Debian's postgresql-15 has no pgvector package: the next test covers it
        if not probe.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone():
            pytest.skip("this PostgreSQL server has no pgvector to install (the exact-search route is tested below)")

    assert main(["migrate", str(fitted_db), pg_url]) == 0
    assert "pgvector" not in capsys.readouterr().out  # this server has it: no sentence about exact search
    with Store(fitted_db, readonly=True) as lite, open_store(pg_url) as pg:
        model = pg.fits.active_fit_row()["embedding_model"]
        assert pgvector.has_index(pg, model) and pg.vector_search_note is None
        with pg.transaction():  # the index serves the query (the planner would scan a table this small)
            for plan_kind in ("seqscan", "bitmapscan", "sort"):
                pg.execute(f"SET LOCAL enable_{plan_kind} = off")
            blob = pg.execute("SELECT vector FROM embeddings WHERE model = ? LIMIT 1", (model,)).fetchone()[0]
            plan = "\n".join(
                r[0]
                for r in pg.execute(
                    f"EXPLAIN SELECT content_hash FROM embeddings WHERE model = '{model}'"
                    f" ORDER BY hv::halfvec({len(blob) // 2}) <=> ?::halfvec({len(blob) // 2}) LIMIT 5",
                    (pgvector._literal(bytes(blob)),),
                )
            )
        assert f"Index Scan using {pgvector._index_name(model)}" in plan
        ids = [r[0] for r in lite.execute("SELECT id FROM articles ORDER BY id LIMIT 40")]
        same = 0
        for aid in ids:
            exact, found = similar(lite, aid).table, similar(pg, aid)
            by_index = found.table
            assert found.note is None
            same += list(exact["id"]) == list(by_index["id"])
            assert set(by_index["outlet"]).isdisjoint({lite.articles.brief(aid)["outlet"]})
        assert same >= 38  # approximate search, yet the same lists (in order) for nearly every article
        rows = [
            {
                "title": f"Harbour cranes idle on day {i}",
                "text": "Dock workers stopped the cranes. " * 5,
                "outlet": "Star City Star",
                "published": "2026-01-10",
            }
            for i in range(3)
        ]
        import_file(pg, write_csv(Path(lite.path).parent / "new_pg.csv", rows))
        run_update(pg, HashingEmbedder())
        assert pg.execute("SELECT count(*) FROM embeddings WHERE model = ? AND hv IS NULL", (model,)).fetchone()[0] == 0


def test_a_server_without_pgvector_for_this_user_searches_exactly_and_says_so(fitted_db, pg_server, capsys):
    import psycopg

    from analysis.explore.article import similar
    from analysis.store.postgres import close_pool

    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS news_plain_db WITH (FORCE)")
        conn.execute("DROP ROLE IF EXISTS news_plain")
        conn.execute("CREATE ROLE news_plain LOGIN")  # not a superuser: pgvector is there but not theirs to add
        conn.execute("CREATE DATABASE news_plain_db OWNER news_plain")
    parts = urlsplit(with_database(pg_server, "news_plain_db"))
    url = urlunsplit((parts.scheme, "news_plain@" + parts.netloc.split("@")[-1], parts.path, parts.query, ""))
    try:
        assert main(["migrate", str(fitted_db), url]) == 0
        out = capsys.readouterr().out
        assert "no pgvector extension, so similar news is found by exact search" in out
        with Store(fitted_db, readonly=True) as lite, open_store(url) as pg:
            aid = lite.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]
            exact, here = similar(lite, aid).table, similar(pg, aid)
            assert list(exact["id"]) == list(here.table["id"]) and here.note.startswith("This PostgreSQL server")
        assert main(["stats", "--db", url]) == 0
        assert "CREATE EXTENSION vector" in capsys.readouterr().out
    finally:
        close_pool(url)
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS news_plain_db WITH (FORCE)")
            conn.execute("DROP ROLE IF EXISTS news_plain")


def test_one_corpus_gives_the_same_topics_on_both_backends_whatever_the_import_order(pg_url, tmp_path):
    import random

    from analysis.pipeline.fit import run_fit
    from tests.support.fakes import HashingEmbedder
    from tests.support.topic_fixtures import STORY_ROWS

    rows = topic_rows() + STORY_ROWS
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)  # PostgreSQL's copy is imported in another order
    got = {}
    for name, target, data in (("sqlite", str(tmp_path / "news.db"), rows), ("postgresql", pg_url, shuffled)):
        with open_store(target) as store:
            import_file(store, write_csv(tmp_path / f"{name}.csv", data))
            run_fit(store, HashingEmbedder())
            fit = store.active_fit
            got[name] = {
                "topics": dict(store.tuples("SELECT article_id, topic FROM article_topics WHERE fit_id = ?", (fit,))),
                "stories": dict(store.tuples("SELECT article_id, story_id FROM story_members")),
                "tags": dict(store.tuples("SELECT article_id, tags FROM article_tags")),
            }
    assert len(set(got["sqlite"]["topics"].values())) > 2
    assert got["sqlite"] == got["postgresql"]
