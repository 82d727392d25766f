"""The demo ships the results of a fit made by the running code, and a new store loads them."""

import json
import random

import numpy as np
import pytest

from analysis.enrich.summarize import summarize
from analysis.enrich.tone_scores import label_of
from analysis.pipeline.demo import code_fingerprint, derived_path, load_demo
from analysis.store import Store


def test_the_shipped_derived_results_were_made_by_this_code():
    assert derived_path().exists(), (
        f"{derived_path().name} is missing: the pipeline's code or settings changed since the demo's results were "
        "made. Run: python scripts/make_demo_snapshot.py"
    )


def test_the_key_follows_the_code_not_its_layout():
    code = 'def f(x):\n    """Doc."""\n    return x + 1  # one more\n'
    assert code_fingerprint(code) == code_fingerprint("def f(x):\n    return (\n        x + 1\n    )\n")
    assert code_fingerprint(code) != code_fingerprint("def f(x):\n    return x + 2\n")
    assert code_fingerprint(code) != code_fingerprint('def f(x):\n    return x + "1"\n')


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "news.db"
    with Store(db) as store:
        load_demo(store)
    return db


def test_a_new_demo_store_has_its_fit_tone_summaries_and_stories(demo_store):
    with Store(demo_store, readonly=True) as s:
        n = s.count()
        fit = s.active_fit
        assert fit is not None
        assigned = s.execute("SELECT count(*) FROM article_topics WHERE fit_id = ?", (fit,)).fetchone()[0]
        assert assigned == n  # every demo article has its place on the map and a topic (or -1)
        assert s.execute("SELECT count(*) FROM article_tone").fetchone()[0] == n
        assert s.execute("SELECT count(*) FROM stories").fetchone()[0] > 800  # 936 with meaning and wording
        topics = s.execute("SELECT count(*) FROM topics WHERE fit_id = ?", (fit,)).fetchone()[0]
        assert topics > 50


def test_shipped_results_match_what_the_code_computes(demo_store):
    with Store(demo_store, readonly=True) as s:
        rows = s.execute(
            "SELECT a.title, a.text, s.summary, t.tone, t.tone_label, g.tags FROM articles a"
            " JOIN article_tone t ON t.article_id = a.id JOIN article_summaries s ON s.article_id = a.id"
            " JOIN article_tags g ON g.article_id = a.id ORDER BY a.id"
        ).fetchall()
    for title, text, summary, score, label, tags in random.Random(1).sample(rows, 40):
        assert summarize(text, title) == summary
        if score is not None:
            assert label == str(label_of(np.array([score]))[0])
        assert isinstance(json.loads(tags), list)


def test_a_changed_store_does_not_take_the_shipped_results(tmp_path):
    from tests.support.fixtures import build_store

    db = build_store(tmp_path / "other.db")
    with Store(db) as store:
        from analysis.pipeline.demo import load_derived

        assert load_derived(store) is False  # not the plain demo: nothing written
        assert store.active_fit is None
