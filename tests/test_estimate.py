"""The time a run will take, said before it starts, from this machine's measured rates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.estimate import DEFAULT_RATES, START_SECONDS, estimate
from analysis.explore.corpus import run_estimate
from analysis.store import Store


def test_an_estimate_is_the_articles_at_the_measured_rates(tmp_path):
    with Store(tmp_path / "news.db") as store:
        assert store.outputs.rates() == {}
        store.outputs.record_rate("stages", 150, 1.0)  # too few articles to say much: not kept
        assert store.outputs.rates() == {}
        store.outputs.record_rate("stages", 2000, 100.0)  # 20 articles a second
        store.outputs.record_rate("topics", 8000, 50.0)  # 160 a second
        rates = store.outputs.rates()
    assert rates == {"stages": 20.0, "topics": 160.0}
    update = estimate(rates, 3170, 10_000, refit=False)
    fixed = START_SECONDS + 10_000 / DEFAULT_RATES["corpus"]  # the start, and regrouping the whole corpus
    assert update.seconds == pytest.approx(fixed + 3170 / 20) and update.measured
    assert update.text() == "about 3 minutes for 3,170 articles, at the rates of this machine's last run"
    refit = estimate(rates, 3170, 10_000, refit=True)
    assert refit.seconds == pytest.approx(fixed + 3170 / 20 + 10_000 / 160) and refit.articles == 10_000
    assert (
        estimate({}, 30, 30, refit=False).text() == "under a minute for 30 articles, at the rates of a 2-core machine"
    )
    assert estimate(rates, 0, 10_000, refit=False).text() == "nothing to do"


@given(st.integers(0, 5_000_000), st.integers(0, 5_000_000), st.booleans())
def test_an_estimate_grows_with_the_work_and_reads_as_a_sentence(to_do, corpus, refit):
    e = estimate({}, to_do, corpus, refit)
    assert e.seconds >= to_do / DEFAULT_RATES["stages"] - 1e-9
    assert estimate({}, to_do + 1000, corpus, refit).seconds > e.seconds
    assert e.text() == "nothing to do" or (e.text().startswith(("under a minute", "about ")) and "articles" in e.text())


def test_the_collect_page_estimate_counts_what_is_left(fitted_db):
    with Store(fitted_db, readonly=True) as store:
        update = run_estimate(store, refit=False)
        refit = run_estimate(store, refit=True)
        assert update.articles == 0 and refit.articles == store.count()


def test_the_estimate_from_a_run_matches_the_next_run_on_a_fake_clock(tmp_path, monkeypatch):
    """The rates a fit records make the estimate of the next update: with a clock that moves only while articles
    are embedded (0.05 s each), the estimate for the new articles is the time their update takes."""
    import time

    from analysis.pipeline.fit import run_fit, run_update
    from analysis.pipeline.load import import_file
    from tests.support.fakes import HashingEmbedder
    from tests.support.fixtures import write_csv
    from tests.support.topic_fixtures import topic_rows

    now = [0.0]

    class Slow(HashingEmbedder):
        def encode(self, texts, progress=None):  # type: ignore[no-untyped-def]
            now[0] += 0.05 * len(texts)
            return super().encode(texts, progress)

    monkeypatch.setattr(time, "perf_counter", lambda: now[0])
    rows = topic_rows(per_subject=40)
    new = [dict(r, url=r["url"] + "-new") for r in topic_rows(per_subject=20, seed=9)]
    with Store(tmp_path / "news.db") as store:
        import_file(store, write_csv(tmp_path / "a.csv", rows))
        run_fit(store, Slow())
        assert store.outputs.rates()["stages"] == pytest.approx(20.0)  # 0.05 s an article
        import_file(store, write_csv(tmp_path / "b.csv", new))
        said = run_estimate(store, refit=False)
        start = now[0]
        report = run_update(store, Slow())
        took = now[0] - start
    assert report.articles == said.articles == len(new) and said.measured
    assert took == pytest.approx(len(new) * 0.05)
    # the stages' part is the time they took; the run's start and the corpus steps are the fixed parts beside it
    assert said.seconds == pytest.approx(took + START_SECONDS + (len(rows) + len(new)) / DEFAULT_RATES["corpus"])
