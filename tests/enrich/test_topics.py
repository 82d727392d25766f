"""Topic engine: cache, fit, reproducibility, edits, lineage, atomic save, update."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.enrich.embeddings import embedding_text
from analysis.enrich.labels import make_labels
from analysis.enrich.lineage import match_topics
from analysis.enrich.topic_model import TooFewArticles
from analysis.errors import BadInput
from analysis.pipeline.fit import run_fit, run_update
from analysis.pipeline.load import import_file
from analysis.pipeline.model_cache import embed_articles
from analysis.store import Store
from tests.support.fakes import HashingEmbedder
from tests.support.fixtures import write_csv
from tests.support.topic_fixtures import topic_rows


def make_store(path: Path, rows: list[dict[str, str]]) -> Store:
    store = Store(path)
    import_file(store, write_csv(path.parent / f"{path.stem}.csv", rows))
    return store


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A store of 6 subjects x 30 articles, fitted once with the fake embedder."""
    d = tmp_path_factory.mktemp("fitted")
    store = make_store(d / "news.db", topic_rows())
    emb = HashingEmbedder()
    report = run_fit(store, emb)
    yield store, emb, report
    store.close()


def copy_store(fitted, tmp_path) -> Store:
    store = fitted[0]
    store.checkpoint()
    shutil.copy(store.path, tmp_path / "copy.db")
    models = Path(store.path).parent / "models"
    if models.exists():
        shutil.copytree(models, tmp_path / "models")
    return Store(tmp_path / "copy.db")


def subject_of(store: Store) -> pd.DataFrame:
    at = store.topics.article_topics()
    arts = store.frame("SELECT id AS article_id, extra FROM articles")
    arts["subject"] = arts["extra"].str.extract(r'"subject": "(\w+)"')[0]
    return at.merge(arts[["article_id", "subject"]], on="article_id")


def test_fit_finds_the_subjects(fitted):
    store, _, report = fitted
    assert report.articles == 180 and report.embedded == 180 and report.cached == 0
    assert report.outlier_share < 0.10
    df = subject_of(store)
    # Each subject's articles sit mostly in topics of their own (purity of the majority topic).
    purity = df[df.topic >= 0].groupby("topic")["subject"].agg(lambda s: s.value_counts().iloc[0] / len(s))
    assert purity.mean() > 0.9
    table = store.topics.topic_table()
    assert table["size"].sum() == (df.topic >= 0).sum()
    assert table["label"].is_unique
    assert all(len(r) >= 1 for r in table["representative"])


def test_refit_embeds_nothing_and_new_articles_are_embedded_once(fitted, tmp_path):
    store = copy_store(fitted, tmp_path)
    emb = HashingEmbedder()
    again = run_fit(store, emb)
    # Articles come from the cache; keywords are picked by co-occurrence, so no word is embedded at all.
    assert again.embedded == 0 and again.cached == 180 and emb.texts_embedded == 0
    keywords = store.execute("SELECT count(*) FROM embeddings WHERE model LIKE '%:keyword'").fetchone()[0]
    assert keywords == 0
    extra = topic_rows(per_subject=2, seed=99, subjects=["hurricane", "budget"])
    for r in extra:
        r["url"] += "-new"
    import_file(store, write_csv(tmp_path / "more.csv", extra))
    corpus = store.fits.corpus_frame()
    texts = [embedding_text(t, x) for t, x in zip(corpus.title, corpus.text, strict=True)]
    counter = HashingEmbedder()
    _, n = embed_articles(store, counter, corpus.content_hash.tolist(), texts)
    assert n == 4 and counter.texts_embedded == 4


def test_same_seed_same_topics(tmp_path):
    rows = topic_rows()
    a = make_store(tmp_path / "a.db", rows)
    b = make_store(tmp_path / "b.db", rows)
    run_fit(a, HashingEmbedder())
    run_fit(b, HashingEmbedder())
    ta = a.topics.article_topics().sort_values("article_id")
    tb = b.topics.article_topics().sort_values("article_id")
    assert ta["topic"].tolist() == tb["topic"].tolist()
    assert np.allclose(ta["x"], tb["x"]) and np.allclose(ta["y"], tb["y"])
    assert a.topics.topic_table()["label"].tolist() == b.topics.topic_table()["label"].tolist()


def test_tiny_corpus_says_how_many_are_needed(tmp_path):
    store = make_store(tmp_path / "tiny.db", topic_rows(per_subject=3))
    with pytest.raises(TooFewArticles, match=r"needs at least 60 articles with text; this store has 18\."):
        run_fit(store, HashingEmbedder())
    assert store.active_fit is None


def test_edits_apply_everywhere_and_survive_a_refit(fitted, tmp_path):
    store = copy_store(fitted, tmp_path)
    table = store.topics.topic_table()
    first, second, third = (int(x) for x in table["topic"][:3])
    store.topics.rename_topic(first, "  Storm   season ")
    with pytest.raises(BadInput, match="already called 'Storm season'"):
        store.topics.rename_topic(second, "storm SEASON")
    with pytest.raises(BadInput, match="cannot be empty"):
        store.topics.rename_topic(second, "   ")
    size_2, size_3 = (int(table.loc[table.topic == t, "size"].iloc[0]) for t in (second, third))
    store.topics.merge_topics(third, second)
    store.topics.hide_topic(first)
    edited = store.topics.topic_table(include_hidden=True)
    assert edited.loc[edited.topic == first, "label"].iloc[0] == "Storm season"
    assert edited.loc[edited.topic == first, "hidden"].iloc[0]
    assert int(edited.loc[edited.topic == second, "size"].iloc[0]) == size_2 + size_3
    assert third not in set(edited.topic)
    at = store.topics.article_topics()
    assert first not in set(at.topic) and third not in set(at.topic)
    run_fit(store, HashingEmbedder())  # same data: every topic continues under its id
    after = store.topics.topic_table(include_hidden=True)
    assert after.loc[after.topic == first, "label"].iloc[0] == "Storm season"
    assert int(after.loc[after.topic == second, "size"].iloc[0]) == size_2 + size_3
    events = store.frame("SELECT event FROM topic_lineage WHERE fit_id = ?", (store.active_fit,))
    assert set(events.event) == {"continued"}


def test_lineage_of_continued_split_merged_born_and_died():
    e = np.eye(6)
    old = {0: e[0], 1: e[1], 2: (e[2] + e[3]) / np.sqrt(2), 3: e[4]}
    new = {
        0: e[0],  # continues 0
        1: (e[1] * 0.95 + e[5] * 0.31) / np.linalg.norm(e[1] * 0.95 + e[5] * 0.31),  # continues 1
        2: e[2],  # one half of old 2
        3: e[3],  # the other half: old 2 split
        4: e[5] * -1,  # born
    }
    lin = match_topics(new, old, next_id=10, threshold=0.7)
    events = {(ev["event"], tuple(ev["previous"])) for ev in lin.events}
    assert lin.mapping[0] == 0 and lin.mapping[1] == 1
    assert ("continued", (2,)) in events and ("split", (2,)) in events
    assert ("born", ()) in events and ("died", (3,)) in events
    assert lin.next_id == 12  # two fresh ids: the split-off topic and the born one
    # Two old topics that become one: one continues, the other is merged into it.
    merged = match_topics({0: (e[0] + e[1]) / np.sqrt(2)}, {0: e[0], 1: e[1]}, next_id=5, threshold=0.7)
    assert {ev["event"] for ev in merged.events} == {"continued", "merged"}


def test_crash_while_saving_keeps_the_previous_fit(fitted, tmp_path):
    store = copy_store(fitted, tmp_path)
    before_fit = store.active_fit
    before = store.topics.article_topics()
    models_before = sorted(p.name for p in (tmp_path / "models").iterdir())
    with pytest.raises(RuntimeError, match="simulated crash"):
        run_fit(store, HashingEmbedder(), _fail_after_topics=True)
    assert store.active_fit == before_fit
    pd.testing.assert_frame_equal(store.topics.article_topics(), before)
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == models_before
    assert store.execute("SELECT count(*) FROM topics WHERE fit_id != ?", (before_fit,)).fetchone()[0] == 0


def test_update_assigns_new_articles_without_refit(fitted, tmp_path):
    store = copy_store(fitted, tmp_path)
    fit_before = store.active_fit
    extra = topic_rows(per_subject=3, seed=123, subjects=["vaccine", "football"])
    for r in extra:
        r["url"] += "-update"
    import_file(store, write_csv(tmp_path / "new.csv", extra))
    emb = HashingEmbedder()
    report = run_update(store, emb)
    assert report.articles == 6 and report.embedded == 6 and store.active_fit == fit_before
    df = subject_of(store)
    majority = df[df.topic >= 0].groupby("topic")["subject"].agg(lambda s: s.value_counts().index[0])
    new_ids = set(store.execute("SELECT article_id FROM article_topics WHERE assigned_by = 'update'").fetchall())
    assert len(new_ids) == 6
    new = df[df.article_id.isin({i[0] for i in new_ids})]
    assert (new.topic >= 0).all()
    assert (new.topic.map(majority) == new.subject).all()
    assert run_update(store, emb).articles == 0  # nothing new the second time


def test_make_labels_are_short_readable_and_unique():
    kw = {
        0: [("senate trial", 0.9), ("trial", 0.8), ("pelosi", 0.7), ("nra", 0.5)],
        1: [("senate trial", 0.9), ("pelosi", 0.8), ("impeachment", 0.6), ("votes", 0.4)],
    }
    labels = make_labels(kw, cases={"pelosi": "Pelosi", "nra": "NRA"})
    assert labels[0] == "Senate Trial, Pelosi, NRA"
    assert labels[1] == "Senate Trial, Pelosi, Impeachment"
    same = make_labels({0: [("a", 1.0)], 1: [("a", 1.0), ("b", 0.5)]})
    assert len(set(same.values())) == 2


def test_hierarchy_joins_every_visible_topic_once(fitted):
    from analysis.explore.topic_stats import hierarchy

    store = fitted[0]
    tree = hierarchy(store)
    n = len(store.topics.topic_table())
    assert len(tree) == n - 1  # n leaves need n - 1 merges
    assert sorted(tree.iloc[-1]["topics"]) == sorted(store.topics.topic_table()["topic"])
    assert (tree["distance"].diff().dropna() >= -1e-9).all()  # average linkage merges in rising order
    assert tree["parent_name"].str.len().gt(0).all()


def test_words_over_time_are_stored_per_topic_and_period(fitted):
    from analysis.explore.topic_stats import words_over_time

    store = fitted[0]
    wot = words_over_time(store)
    assert not wot.empty
    topics = set(store.topics.topic_table(include_hidden=True)["topic"])
    assert set(wot["topic"]) <= topics
    # Six months of data -> monthly periods at most, never more than 100.
    assert wot["period"].nunique() <= 100
    assert (wot["frequency"] > 0).all() and wot["words"].str.len().gt(0).all()


def test_update_places_new_articles_among_their_subject_on_the_map_when_placing_against_a_sample(
    fitted, tmp_path, monkeypatch
):
    """On big stores new articles are placed against a seeded sample of the placed ones: they still land
    among the articles of their own subject."""
    import analysis.pipeline.fit as fit_module

    store = copy_store(fitted, tmp_path)
    placed = store.execute("SELECT count(*) FROM article_topics WHERE fit_id = ?", (store.active_fit,)).fetchone()[0]
    monkeypatch.setattr(fit_module, "PLACE_REFERENCE", placed // 3)
    extra = topic_rows(per_subject=3, seed=321, subjects=["vaccine", "football"])
    for r in extra:
        r["url"] += "-placed"
    import_file(store, write_csv(tmp_path / "new.csv", extra))
    run_update(store, HashingEmbedder())
    df = subject_of(store).merge(
        store.frame("SELECT article_id, assigned_by FROM article_topics WHERE fit_id = ?", (store.active_fit,)),
        on="article_id",
    )
    old, new = df[df.assigned_by != "update"], df[df.assigned_by == "update"]
    assert len(new) == 6 and new[["x", "y"]].notna().all().all()
    centre = old.groupby("subject")[["x", "y"]].median()
    for row in new.itertuples():
        dist = ((centre["x"] - row.x) ** 2 + (centre["y"] - row.y) ** 2) ** 0.5
        assert dist.idxmin() == row.subject, (row.subject, dist.to_dict())
