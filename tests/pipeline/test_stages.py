"""The per-article stages: one registry, done per stage, a new or changed stage filled in for every article, and
the worker processes giving what one process gives."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from analysis.pipeline.load import import_file
from analysis.pipeline.stages import STAGES, Batch, Context, Models, run_stages
from analysis.pipeline.stages.pool import run_in_workers
from analysis.store import Store
from tests.support.fakes import HashingEmbedder
from tests.support.fixtures import write_csv
from tests.support.topic_fixtures import topic_rows


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("stages")
    with Store(d / "news.db") as store:
        import_file(store, write_csv(d / "rows.csv", topic_rows(per_subject=12)))
    return d / "news.db"


def outputs(db):
    with Store(db, readonly=True) as s:
        return {
            "tone": dict(s.execute("SELECT article_id, tone_label FROM article_tone").fetchall()),
            "summaries": dict(s.execute("SELECT article_id, summary FROM article_summaries").fetchall()),
            "tags": dict(s.execute("SELECT article_id, tags FROM article_tags").fetchall()),
            "signed": {r[0] for r in s.execute("SELECT article_id FROM article_minhash")},
            "read": {r[0] for r in s.execute("SELECT article_id FROM entity_done")},
            "mentions": sorted(s.tuples("SELECT * FROM article_mentions")),
            "vectors": s.vectors.count(HashingEmbedder().name),
            "n": s.count(),
        }


def test_every_stage_is_done_once_for_every_article(corpus_db, tmp_path):
    db = tmp_path / "n.db"
    shutil.copy(corpus_db, db)
    with Store(db) as store:
        ctx = Context(store, Models(HashingEmbedder()), mode="full")
        ids = store.fits.corpus_ids()
        run_stages(ctx, STAGES, ids)
        assert all(ctx.counts[s.name] == len(ids) for s in STAGES)
        again = Context(store, Models(HashingEmbedder()), mode="update")
        run_stages(again, STAGES, ids)
        assert not any(again.counts.values())  # nothing is done twice
    out = outputs(db)
    assert len(out["tone"]) == len(out["summaries"]) == len(out["tags"]) == len(out["signed"]) == out["n"]
    assert len(out["read"]) == out["vectors"] == out["n"]


class Quotes:
    """A stage added after the store was made: one row per article, in a table of its own."""

    name = "quotes"
    table = "article_quotes"
    columns = (("quotes", "INTEGER NOT NULL"),)
    whole = 0
    cache = False

    def __init__(self, version: str = "1") -> None:
        self.v = version
        self.batches: list[int] = []

    def version(self, ctx):  # type: ignore[no-untyped-def]
        return self.v

    def todo(self, ctx, ids):  # type: ignore[no-untyped-def]
        return ctx.store.outputs.missing(self.table, ids)

    def run(self, ctx, batch: Batch):  # type: ignore[no-untyped-def]
        self.batches.append(len(batch))
        return [x.count('"') // 2 for x in batch.texts]

    def save(self, ctx, batch: Batch, out):  # type: ignore[no-untyped-def]
        ctx.store.outputs.save(self.table, ["quotes"], list(zip(batch.ids, out, strict=True)))


def test_a_stage_added_later_or_changed_is_run_for_every_article(corpus_db, tmp_path):
    db = tmp_path / "n.db"
    shutil.copy(corpus_db, db)
    with Store(db) as store:
        ids = store.fits.corpus_ids()
        quotes = Quotes()
        run_stages(Context(store, Models(HashingEmbedder())), [quotes], ids, batch=50)
        assert sum(quotes.batches) == len(ids) and max(quotes.batches) <= 50
        assert store.outputs.done_count("article_quotes") == len(ids)
        run_stages(Context(store, Models(HashingEmbedder())), [quotes], ids)
        assert sum(quotes.batches) == len(ids)  # done: not run again
        changed = Quotes(version="2")  # its code changed: its rows were made by other code
        run_stages(Context(store, Models(HashingEmbedder())), [changed], ids)
        assert sum(changed.batches) == len(ids) and store.outputs.version("quotes") == "2"


@pytest.mark.usefixtures("clean_main")
def test_worker_processes_give_what_one_process_gives(corpus_db, tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    shutil.copy(corpus_db, one)
    shutil.copy(corpus_db, two)
    by_batch = [s for s in STAGES if not s.whole]
    with Store(one) as store:
        run_stages(Context(store, Models(HashingEmbedder())), by_batch, store.fits.corpus_ids())
    with Store(two) as store:
        ctx = Context(store, Models(HashingEmbedder()))
        seen: list[tuple[str, int, int]] = []
        ids = store.fits.corpus_ids()
        run_in_workers(ctx, by_batch, ids, 2, lambda *a: seen.append(a), embedder=HashingEmbedder, partition=16)
        assert ctx.counts["summaries"] == len(ids)
    a, b = outputs(one), outputs(two)
    for key in ("tone", "summaries", "signed", "read", "mentions", "vectors"):
        assert a[key] == b[key], key
    with Store(one, readonly=True) as s1, Store(two, readonly=True) as s2:
        ids = s1.fits.corpus_ids()
        h = s1.fits.hashes_of(ids)
        v1 = s1.vectors.cached(HashingEmbedder().name, list(h.values()))
        v2 = s2.vectors.cached(HashingEmbedder().name, list(h.values()))
        assert all(np.array_equal(np.frombuffer(v1[k], np.float16), np.frombuffer(v2[k], np.float16)) for k in v1)
    # each stage's bar moved as partitions finished, and reached its total
    final = {}
    for name, done, total in seen:
        final[name] = (done, total)
    assert all(done == total for done, total in final.values()) and len(final) == len(by_batch)
