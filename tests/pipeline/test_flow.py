"""Data flows forward (issue 16): a fit reads each article's text once and hands texts and vectors on;
`fit --update` works on the new articles alone in every stage, tags included."""

from __future__ import annotations

import shutil

import pytest

from analysis.enrich.entity_tagger import EntityTagger
from analysis.enrich.tags import tag_corpus
from analysis.pipeline.fit import run_fit, run_update
from analysis.pipeline.load import import_file
from analysis.pipeline.stages import summarise as summary_stage
from analysis.pipeline.stages import tag as tag_stage
from analysis.store import Store
from analysis.store.fits import Fits
from tests.support.fakes import HashingEmbedder
from tests.support.fixtures import write_csv
from tests.support.topic_fixtures import topic_rows


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def encode(self, texts, progress=None):  # type: ignore[no-untyped-def]
        self.texts += list(texts)
        return super().encode(texts, progress)


@pytest.fixture
def text_reads(monkeypatch):
    """Every read of article texts from the store: ('corpus', rows read) or ('texts', ids read)."""
    reads: list[tuple[str, int]] = []
    corpus_frame, texts_of, rows_of = Fits.corpus_frame, Fits.texts_of, Fits.rows_of

    def counted_corpus(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        df = corpus_frame(self, *args, **kwargs)
        if kwargs.get("with_text", True):
            reads.append(("corpus", len(df)))
        return df

    def counted_texts(self, ids):  # type: ignore[no-untyped-def]
        reads.append(("texts", len(ids)))
        return texts_of(self, ids)

    def counted_rows(self, ids, *args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(("rows", len(ids)))
        return rows_of(self, ids, *args, **kwargs)

    monkeypatch.setattr(Fits, "corpus_frame", counted_corpus)
    monkeypatch.setattr(Fits, "texts_of", counted_texts)
    monkeypatch.setattr(Fits, "rows_of", counted_rows)
    return reads


def test_a_fit_reads_the_texts_once(tmp_path, text_reads):
    with Store(tmp_path / "news.db") as store:
        import_file(store, write_csv(tmp_path / "rows.csv", topic_rows()))
        n = store.count()
        report = run_fit(store, HashingEmbedder())
        assert report.topics >= 2 and store.outputs.done_count("article_summaries") == n
        assert text_reads == [("corpus", n)]  # topics, tone, summaries, tags and stories from one read


def test_update_touches_only_the_new_articles(fitted_db, tmp_path, text_reads, monkeypatch):
    shutil.copy(fitted_db, tmp_path / "news.db")
    with Store(tmp_path / "news.db") as store:
        before = store.count()
        tags_before = dict(store.execute("SELECT article_id, tags FROM article_tags").fetchall())
        extra = topic_rows(per_subject=2, seed=7, subjects=["vaccine", "football"])
        for r in extra:
            r["url"] += "-new"
        import_file(store, write_csv(tmp_path / "new.csv", extra))
        new = store.count() - before
        tagged: list[int] = []
        real = tag_stage.tag_corpus
        monkeypatch.setattr(tag_stage, "tag_corpus", lambda docs, **kw: (tagged.append(len(docs)), real(docs, **kw))[1])
        summarised: list[str] = []
        real_summary = summary_stage.summarize
        monkeypatch.setattr(summary_stage, "summarize", lambda x, h: (summarised.append(h), real_summary(x, h))[1])
        emb = CountingEmbedder()
        read_by_tagger: list[str] = []
        tagger = EntityTagger()
        real_mentions = tagger.mentions
        tagger.mentions = lambda texts, progress=None: (read_by_tagger.extend(texts), real_mentions(texts))[1]  # type: ignore[method-assign]
        entities_before = store.entities.entity_table()
        report = run_update(store, emb, entities=tagger)
        assert report.articles == new == 4 and report.assigned == 4
        assert len(emb.texts) == new  # only the new articles were embedded
        assert tagged == [new] and len(summarised) == new  # tags and summaries of the new ones alone
        assert len(read_by_tagger) == new and report.entities >= len(entities_before) > 0  # entities: new alone
        assert store.entities.untagged_count(EntityTagger.name) == 0
        assert text_reads == [("rows", new)]  # read once by the stages; stories from headlines and cached vectors
        assert store.outputs.done_count("article_summaries") == store.count()
        after = dict(store.execute("SELECT article_id, tags FROM article_tags").fetchall())
        assert {k: after[k] for k in tags_before} == tags_before  # earlier articles were not re-tagged
        docs, _ = store.outputs.term_stats()
        assert docs == store.count()  # the corpus's term counts now include the new articles


def test_tags_against_stored_counts_equal_tags_of_the_whole_corpus():
    corpus = [
        f"Storm season hits the coast. Storm warnings and {w} damage reported by officials."
        for w in ("flood", "wind", "roof", "power", "tree")
    ] + ["Senate votes on budget bill. Budget talks stall."] * 3
    new = ["Storm floods the coast again. Officials count flood damage after the storm."]
    whole, _ = tag_corpus(corpus + new)
    _, stats = tag_corpus(corpus)
    alone, combined = tag_corpus(new, prior=stats)
    assert alone == whole[-1:]
    assert combined.docs == len(corpus) + 1 and combined.df["storm"] == 6


def test_the_tone_model_is_injectable_like_the_embedder(tmp_path):
    import numpy as np

    class AlwaysPositive:
        name = "always-positive"

        def logits(self, texts):  # type: ignore[no-untyped-def]
            return np.log(np.tile([0.05, 0.15, 0.8], (len(texts), 1)))

    with Store(tmp_path / "news.db") as store:
        import_file(store, write_csv(tmp_path / "rows.csv", topic_rows(per_subject=12)))
        run_fit(store, HashingEmbedder(), tone=AlwaysPositive())  # type: ignore[arg-type]
        labels = {r[0] for r in store.execute("SELECT tone_label FROM article_tone")}
    assert labels == {"positive"}


def test_the_run_report_counts_stories_as_the_stories_page_does(fitted_db):
    from analysis.pipeline.fit import RunReport

    with Store(fitted_db, readonly=True) as store:
        across, every = store.stories.count(min_outlets=2), store.stories.count()
        shown = len(store.stories.story_table(min_outlets=2))
    assert across == shown and every >= across
    report = RunReport(kind="full", stories=every, stories_across=across)
    assert f"{across:,} stories across outlets ({every:,} with those of one outlet)" in report.summary()


def test_an_update_with_no_new_article_still_fills_a_stage_the_articles_lack(fitted_db, tmp_path):
    shutil.copy(fitted_db, tmp_path / "news.db")
    with Store(tmp_path / "news.db") as store:
        n = store.count()
        assert store.outputs.done_count("article_quotes") == n
        store.execute("DELETE FROM article_quotes")  # as if the quotes stage were new since the last run
        report = run_update(store, HashingEmbedder(), entities=EntityTagger())
        assert report.articles == 0 and report.done.get("quotes") == n
        assert store.outputs.done_count("article_quotes") == n
        assert report.summary().startswith("Update: no new articles; filled in for articles that lacked them:")
        again = run_update(store, HashingEmbedder(), entities=EntityTagger())
        assert again.summary() == "Update: no new articles."
