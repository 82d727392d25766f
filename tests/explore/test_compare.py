"""Outlet comparisons on hand-checked numbers."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest

from analysis.explore.outlets import coverage_gaps, distinctive_terms, profiles, weighted_log_odds
from analysis.explore.selection import Selection
from analysis.pipeline.fit import RunReport, article_stages, regroup
from analysis.pipeline.load import import_file
from analysis.store import Store
from tests.support.fakes import HashingEmbedder
from tests.support.fixtures import write_csv


def test_weighted_log_odds_by_hand():
    a, b = Counter({"tax": 30, "storm": 10}), Counter({"tax": 10, "storm": 50})
    out = weighted_log_odds(a, b, prior_strength=10).set_index("term")
    alpha_tax, a0 = 10 * 40 / 100, 10.0
    own = math.log((30 + alpha_tax) / (40 + a0 - 30 - alpha_tax))
    rest = math.log((10 + alpha_tax) / (60 + a0 - 10 - alpha_tax))
    assert out.loc["tax", "log_odds"] == pytest.approx(own - rest)
    assert out.loc["tax", "z"] == pytest.approx((own - rest) / math.sqrt(1 / 34 + 1 / 14))
    assert out.index[0] == "tax" and out.loc["storm", "z"] < 0


def test_coverage_gap_two_proportion_test_by_hand():
    # Left outlets: 40 of 100 articles on topic 1; right outlets: 10 of 100.
    df = pd.DataFrame({"topic": [1] * 40 + [2] * 60 + [1] * 10 + [2] * 90})
    group = pd.Series(["left"] * 100 + ["right"] * 100)
    out = coverage_gaps(df, group, "left", "right").set_index("topic")
    p = 50 / 200
    z = (0.4 - 0.1) / math.sqrt(p * (1 - p) * (1 / 100 + 1 / 100))
    assert out.loc[1, "z"] == pytest.approx(z)
    assert out.loc[1, "share_a"] == 0.4 and out.loc[1, "share_b"] == 0.1
    assert bool(out.loc[1, "significant"]) and out.loc[2, "z"] == pytest.approx(-z)
    # A gap of one article is not significant.
    small = coverage_gaps(
        pd.DataFrame({"topic": [1, 2, 2, 1, 1, 2]}), pd.Series(list("aabbbb")), "a", "b", min_articles=1
    )
    assert not small["significant"].any()


def test_profiles_first_to_report_and_rank(tmp_path):
    rows = []
    # Three stories covered by A and B; A is first on two of them, B on one.
    for s, (first, second) in enumerate([("A", "B"), ("A", "B"), ("B", "A")]):
        name = ["alpha", "bravo", "charlie"][s]
        text = [
            "The Elbe bridge in Dresden fell into the river overnight; divers searched the water. ",
            "A factory roof in Leeds caved in under snow, and the night shift was evacuated. ",
            "The old mine shaft near Porto gave way, trapping two surveyors below ground. ",
        ][s] * 4
        rows.append(
            {
                "title": f"{name.title()} collapse",
                "text": text,
                "outlet": first,
                "date": f"2020-03-0{s + 1}T08:00Z",
                "country": "US",
                "bias": "left" if first == "A" else "right",
            }
        )
        rows.append(
            {
                "title": f"{name.title()} collapse report",
                "text": text + " Update.",
                "outlet": second,
                "date": f"2020-03-0{s + 1}T14:00Z",
                "country": "US",
                "bias": "left" if second == "A" else "right",
            }
        )
    rows.append(
        {
            "title": "Lonely piece",
            "text": "Nothing else like it about gardening tips and roses. " * 4,
            "outlet": "C",
            "date": "2020-03-05",
            "country": "GB",
            "bias": "center",
        }
    )
    store = Store(tmp_path / "n.db")
    import_file(store, write_csv(tmp_path / "a.csv", rows))

    class Same(HashingEmbedder):
        """Articles of one story get identical vectors, so grouping is certain."""

        def encode(self, texts, progress=None):
            return super().encode([t.split(" collapse")[0] for t in texts], progress)

    report = RunReport(kind="update")
    article_stages(store, report, Same(), store.fits.corpus_ids(), mode="full")
    regroup(store, report, Same())
    prof = profiles(store, Selection()).set_index("outlet")
    assert prof.loc["A", "stories"] == 3 and prof.loc["A", "first_on"] == 2
    assert prof.loc["B", "first_on"] == 1 and prof.loc["B", "median_lag_hours"] == pytest.approx(6.0)
    assert prof.loc["C", "stories"] == 0 and prof.loc["C", "rank_in_country"] == "1 of 1"
    assert prof.loc["A", "rank_in_country"] == "1 of 2" and prof.loc["A", "articles"] == 3
    terms = distinctive_terms(store, Selection(outlets=("A",)), "C", k=5)  # the sidebar's outlets do not apply
    assert set(terms.table["term"]) & {"gardening", "roses", "tips"}
    assert terms.against == "all other outlets" and terms.sampled == (1, 6)
