"""`fit --engine dask`: the per-article stages as Dask tasks on a LocalCluster of real worker processes give
what the single-process fit gives, topics fitted on a sample reach every article, and a worker killed in the
middle of a partition loses and doubles nothing."""

from __future__ import annotations

import json
import shutil

import pytest

from analysis.pipeline.fit import run_fit
from analysis.pipeline.load import import_file
from analysis.pipeline.scale import run_fit_dask
from analysis.store import Store
from tests.support.fakes import HashingEmbedder
from tests.support.fixtures import write_csv
from tests.support.topic_fixtures import STORY_ROWS, topic_rows

pytestmark = pytest.mark.usefixtures("clean_main")


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("scale")
    with Store(d / "news.db") as store:
        import_file(store, write_csv(d / "rows.csv", topic_rows() + STORY_ROWS))
    return d / "news.db"


def _state(db):
    with Store(db, readonly=True) as s:
        tags = dict(s.execute("SELECT article_id, tags FROM article_tags").fetchall())
        tone = dict(s.execute("SELECT article_id, tone FROM article_tone").fetchall())
        fit = s.active_fit
        assigned = s.execute("SELECT count(*) FROM article_topics WHERE fit_id = ?", (fit,)).fetchone()[0]
        return {
            "n": s.count(),
            "tags": tags,
            "tone": tone,
            "assigned": assigned,
            "vectors": s.execute(
                "SELECT count(*) FROM embeddings WHERE model = ?", (HashingEmbedder().name,)
            ).fetchone()[0],
            "signed": s.execute("SELECT count(*) FROM article_minhash").fetchone()[0],
            "stories": s.execute("SELECT count(*) FROM stories").fetchone()[0],
            "read_by_tagger": s.execute("SELECT count(*) FROM entity_done").fetchone()[0],
        }


def test_the_dask_engine_gives_what_one_process_gives(corpus_db, tmp_path):
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    shutil.copy(corpus_db, one)
    shutil.copy(corpus_db, many)
    with Store(one) as store:
        run_fit(store, HashingEmbedder())
    with Store(many) as store:
        report = run_fit_dask(store, workers=2, embedder=HashingEmbedder, partition=40, sample=120)
    a, b = _state(one), _state(many)
    assert report.articles == b["n"] == b["assigned"] == b["vectors"] == b["signed"] == b["read_by_tagger"]
    assert len(b["tags"]) == b["n"] and b["stories"] > 0
    assert b["tags"] == a["tags"]  # tagged against the whole corpus's counts, as one process does
    assert b["tone"] == pytest.approx(a["tone"])
    with Store(many, readonly=True) as s:
        fit = s.fits.active_fit_row()
        sample = s.execute(
            "SELECT count(*) FROM article_topics WHERE fit_id = ? AND assigned_by = 'fit'", (fit["id"],)
        ).fetchone()[0]
    assert sample == 120  # topics fitted on the sample; the rest assigned by nearest topic


def test_a_worker_killed_mid_partition_loses_and_doubles_nothing(corpus_db, tmp_path):
    db = tmp_path / "crash.db"
    shutil.copy(corpus_db, db)
    crash = tmp_path / "crashed-once"
    with Store(db) as store:
        report = run_fit_dask(
            store, workers=2, embedder=HashingEmbedder, partition=40, sample=120, crash_file=str(crash)
        )
    assert crash.exists()  # a worker did die in the middle of its partition
    s = _state(db)
    assert report.articles == s["n"] == len(s["tags"]) == s["assigned"] == s["vectors"] == s["signed"]
    assert all(isinstance(json.loads(t), list) for t in s["tags"].values())
