"""Topic aggregations on hand-checked numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.explore.topic_stats import share_by_group, topic_share_by_outlet, unit_counts, windowed_share


def frame(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "published": pd.to_datetime([r[0] for r in rows], utc=True),
            "outlet": [r[1] for r in rows],
            "topic": [r[2] for r in rows],
        }
    )


ROWS = [
    # week of 6 Jan 2020
    ("2020-01-06", "A", 0),
    ("2020-01-07", "A", 0),
    ("2020-01-08", "A", 1),
    ("2020-01-09", "B", 1),
    ("2020-01-10", "B", -1),
    # week of 13 Jan 2020
    ("2020-01-13", "A", 1),
    ("2020-01-14", "B", 1),
    ("2020-01-15", "B", 1),
    ("2020-01-16", "B", 0),
]


def test_unit_counts_are_shares_of_what_they_are_counted_against():
    df = frame(ROWS).assign(topic_label=lambda d: d["topic"].map(lambda t: f"t{t}"))
    out = unit_counts(df[df["topic"] >= 0], total=len(df)).set_index("topic")
    assert out.loc[1, ["articles", "total"]].tolist() == [5, 9] and out.loc[1, "share"] == pytest.approx(5 / 9)
    assert out["articles"].sum() == 8  # the unassigned article is counted in the total only


def test_over_and_under_representation_is_the_one_two_proportion_test():
    # Outlet A: 30 of 40 articles on topic 0; outlet B: 10 of 60.
    rows = [("2020-01-01", "A", 0)] * 30 + [("2020-01-01", "A", 1)] * 10
    rows += [("2020-01-01", "B", 0)] * 10 + [("2020-01-01", "B", 1)] * 50
    out = topic_share_by_outlet(frame(rows))
    a0 = out[(out.outlet == "A") & (out.topic == 0)].iloc[0]
    assert a0.articles == 30 and a0.outlet_total == 40
    assert a0.share == pytest.approx(0.75) and a0.others_share == pytest.approx(10 / 60)
    assert a0.ratio == pytest.approx(4.5)
    # By hand: pooled share 40/100, z = (0.75 - 1/6) / sqrt(0.4 * 0.6 * (1/40 + 1/60)).
    z = (0.75 - 10 / 60) / math.sqrt(0.4 * 0.6 * (1 / 40 + 1 / 60))
    assert a0.z == pytest.approx(z)
    assert a0.p_value == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(abs(z) / math.sqrt(2)))))
    # Benjamini-Hochberg over the 4 cells: all four have the same |z|, so q equals p.
    assert a0.q_value == pytest.approx(a0.p_value) and bool(a0.significant)
    b0 = out[(out.outlet == "B") & (out.topic == 0)].iloc[0]
    assert b0.z == pytest.approx(-a0.z)


def test_a_tiny_outlet_is_not_over_read():
    rows = [("2020-01-01", "Big", t) for t in [0] * 50 + [1] * 50] + [("2020-01-01", "Tiny", 1)]
    out = topic_share_by_outlet(frame(rows))
    tiny = out[(out.outlet == "Tiny") & (out.topic == 1)].iloc[0]
    assert tiny.share == 1.0 and abs(tiny.z) < 1.96  # 100% of one article is not significant
    assert np.isfinite(out["z"]).all()


def test_empty_inputs_give_empty_frames():
    empty = frame([])
    assert topic_share_by_outlet(empty).empty
    assert share_by_group(empty.assign(theme=[]), "theme", "outlet").empty


def test_benjamini_hochberg_by_hand():
    from analysis.explore.stats import bh_adjust, proportion_tests

    # p = .01, .04, .03, .20 -> sorted .01 .03 .04 .20; p * 4 / rank = .04 .06 .0533 .20; running min from the top.
    assert bh_adjust([0.01, 0.04, 0.03, 0.2]) == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.2])
    tests = proportion_tests([30, 12], [100, 100], [10, 10], [100, 100])
    assert list(tests["significant"]) == [True, False]  # 30 vs 10 of 100 is; 12 vs 10 is not


def test_the_numpy_benjamini_hochberg_agrees_with_scipy():
    from scipy.stats import false_discovery_control

    from analysis.explore.stats import bh_adjust

    p = np.random.default_rng(3).uniform(0, 0.2, 200) ** 2
    assert bh_adjust(p) == pytest.approx(false_discovery_control(p, method="bh"))


def test_p_values_agree_with_scipys_normal_tail():
    from scipy.special import ndtr

    from analysis.explore.stats import p_values

    z = np.concatenate([np.linspace(-12, 12, 481), [0.0, np.nan]])
    assert p_values(z) == pytest.approx(2 * ndtr(-np.abs(z)), rel=1e-9, nan_ok=True)
    assert p_values(1.959964) == pytest.approx(0.05, rel=1e-6)


def test_a_narrowed_selection_is_counted_against_its_base():
    # Under a topic filter every selected article is on the topic: shares within the selection would all be 1.
    base = pd.DataFrame({"group": ["a"] * 10 + ["b"] * 20, "topic": [0] * 4 + [1] * 6 + [0] * 2 + [1] * 18})
    narrowed = base[base["topic"] == 0]
    inside = share_by_group(narrowed, "topic", "group").set_index("group")
    assert inside["share"].tolist() == [1.0, 1.0]  # what the page showed before: meaningless
    out = share_by_group(narrowed, "topic", "group", base=base).set_index("group")
    assert out.loc["a", "share"] == pytest.approx(4 / 10) and out.loc["b", "share"] == pytest.approx(2 / 20)
    assert out.loc["a", "others_share"] == pytest.approx(2 / 20) and out.loc["a", "group_total"] == 10


def test_topics_with_too_few_articles_are_not_tested():
    df = pd.DataFrame({"group": ["a", "a", "b", "b", "a", "b"], "topic": [0, 0, 0, 0, 1, 2]})
    assert set(share_by_group(df, "topic", "group", min_articles=2)["topic"]) == {0}


def test_an_outlet_is_held_against_the_others_only_in_its_own_months():
    # F published in 2018 only; the topic arose in 2020. Against all months F would look like it ignored it.
    rows = [(f"2018-0{1 + i % 6}-01", o, 0) for i in range(60) for o in ("F", "G", "H")]
    rows += [
        (f"2020-0{1 + i % 6}-01", o, int(i < 30 and o == "G") + int(i < 20 and o == "H"))
        for i in range(60)
        for o in ("G", "H")
    ]
    df = frame(rows)
    inside = (df["topic"] == 1).to_numpy()
    out = windowed_share(df, inside, "topic", 1).set_index("outlet")
    assert out.loc["F", "articles"] == 0 and out.loc["F", "months"] == 6 and not out.loc["F", "significant"]
    assert out.loc["F", "others_share"] == 0.0  # nobody covered it in F's months
    # G and H: the same months; G 30 of 120, H 20 of 120 against each other's and F's months
    assert out.loc["G", "outlet_total"] == 120 and out.loc["G", "others_share"] == pytest.approx(20 / 180)
    everywhere = share_by_group(df, "topic", "outlet").set_index(["outlet", "topic"])
    assert bool(everywhere.loc[("F", 1), "significant"])  # the old reading: F "less than the others"
