"""The time a run will take, said before it starts, from this machine's measured rates."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analysis.estimate import DEFAULT_RATES, estimate
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
    assert update.seconds == 3170 / 20 and update.measured
    assert update.text() == "about 3 minutes for 3,170 articles (at the rates of this machine's last run)"
    refit = estimate(rates, 3170, 10_000, refit=True)
    assert refit.seconds == 3170 / 20 + 10_000 / 160 and refit.articles == 10_000
    assert (
        estimate({}, 30, 30, refit=False).text() == "under a minute for 30 articles (at the rates of a 2-core machine)"
    )


@given(st.integers(0, 5_000_000), st.integers(0, 5_000_000), st.booleans())
def test_an_estimate_grows_with_the_work_and_reads_as_a_sentence(to_do, corpus, refit):
    e = estimate({}, to_do, corpus, refit)
    assert e.seconds >= to_do / DEFAULT_RATES["stages"] - 1e-9
    assert estimate({}, to_do + 1000, corpus, refit).seconds > e.seconds
    assert e.text().startswith(("under a minute", "about a minute", "about ")) and "articles" in e.text()


def test_the_collect_page_estimate_counts_what_is_left(fitted_db):
    with Store(fitted_db, readonly=True) as store:
        update = run_estimate(store, refit=False)
        refit = run_estimate(store, refit=True)
        assert update.articles == 0 and refit.articles == store.count()
