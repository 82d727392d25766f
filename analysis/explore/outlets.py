"""Outlet profiles and comparisons: volume, span, tone, first-to-report, rank, distinctive terms,
and coverage gaps between groups of outlets, each with a significance measure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.enrich.sentiment import aggregate
from analysis.explore.stats import proportion_tests, two_proportion_z  # noqa: F401
from analysis.filters import Filters
from analysis.store import Store


def outlet_profiles(store: Store, filters: Filters = Filters()) -> pd.DataFrame:
    """outlet_profiles_of the filtered articles of a store."""
    from analysis.explore.frames import filtered

    return outlet_profiles_of(filtered(store, filters))


def outlet_profiles_of(df: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet: articles, first/last, active days, mean tone with 95% CI, stories covered,
    first to publish (first_on: alone; tied_first: sharing first place), median lag when not first,
    country, bias, and rank by stories covered within its country and within its bias group ("3 of
    25"). df: an article frame (analysis.explore.frames).

    First place is claimed only as far as the dates allow: when every article of a story's first day
    carries a time of day, the earliest is first and later articles with times have lags in hours
    (median_lag_hours); otherwise every outlet publishing on the first day ties. median_lag_days: days
    after the first day. timed_stories counts the stories whose first day has times."""
    if df.empty:
        return pd.DataFrame()
    cols = ["article_id", "outlet", "published", "country", "bias", "sentiment", "story_id", "precision"]
    arts = df[[c for c in cols if c in df.columns]].rename(columns={"article_id": "id"})
    # Grouped by outlet codes: each groupby over a million outlet names took a quarter of a second.
    arts = arts.assign(outlet=arts["outlet"].astype("category"))
    g = arts.groupby("outlet", observed=True)
    out = pd.DataFrame({
        "articles": g.size(),
        "first_article": g["published"].min(),
        "last_article": g["published"].max(),
        "country": g["country"].first(),
        "bias": g["bias"].first(),
    })  # fmt: skip
    out = out.set_axis(pd.Index(np.asarray(out.index, dtype=object), name="outlet"))
    out["active_days"] = (out["last_article"] - out["first_article"]).dt.days + 1
    tone = aggregate(arts, "outlet").set_index("outlet")
    tone = tone.set_axis(pd.Index(np.asarray(tone.index, dtype=object), name="outlet"))
    out = out.join(tone[["mean", "ci_low", "ci_high"]].rename(columns={"mean": "tone"}))
    in_story = arts[arts["story_id"].notna()]
    story_outlets = in_story.groupby("story_id")["outlet"].nunique()
    shared = in_story[in_story["story_id"].map(story_outlets) >= 2]
    precision = shared["precision"] if "precision" in shared.columns else pd.Series("time", index=shared.index)
    shared = shared.assign(day=shared["published"].dt.tz_localize(None).dt.normalize(), timed=precision.eq("time"))
    by_story = shared.groupby("story_id")
    t0, d0 = by_story["published"].transform("min"), by_story["day"].transform("min")
    on_first_day = shared["day"] == d0
    exact = (shared["timed"] | ~on_first_day).groupby(shared["story_id"]).transform("all").astype(bool)
    is_first = np.where(exact, shared["published"] == t0, on_first_day)
    first_outlets = shared[is_first].groupby("story_id")["outlet"].nunique()
    sole = is_first & (shared["story_id"].map(first_outlets) == 1).to_numpy()
    out["stories"] = _named(shared.groupby("outlet")["story_id"].nunique())
    out["timed_stories"] = _named(shared[exact].groupby("outlet")["story_id"].nunique())
    out["first_on"] = _named(shared[sole].groupby("outlet")["story_id"].nunique())
    out["tied_first"] = _named(shared[is_first & ~sole].groupby("outlet")["story_id"].nunique())
    later = shared[~is_first]
    hours = (later["published"] - t0[~is_first]).dt.total_seconds() / 3600
    with_time = exact[~is_first] & later["timed"]
    out["median_lag_hours"] = _named(hours[with_time].groupby(later.loc[with_time, "outlet"]).median())
    out["median_lag_days"] = _named((later["day"] - d0[~is_first]).dt.days.groupby(later["outlet"]).median())
    counts = ["stories", "timed_stories", "first_on", "tied_first"]
    out[counts] = out[counts].fillna(0).astype(int)
    out["first_share"] = (out["first_on"] / out["stories"].where(out["stories"] > 0)).round(3)
    out = out.reset_index().rename(columns={"index": "outlet"})
    for col, name in (("country", "rank_in_country"), ("bias", "rank_in_bias_group")):
        key = out[col].fillna("unknown")
        ranks = out.groupby(key)["stories"].rank(method="min", ascending=False).astype(int)
        sizes = key.map(key.value_counts())
        out[name] = [f"{r} of {n}" for r, n in zip(ranks, sizes, strict=True)]
    out["rank"] = out["stories"].rank(method="min", ascending=False).astype(int)
    return out.sort_values(["stories", "articles"], ascending=False).reset_index(drop=True)


def _named(per_outlet: pd.Series) -> pd.Series:
    """A per-outlet result keyed by plain outlet names (grouping by outlet codes keys it by a categorical index,
    which pandas will not align with another, e.g. when a group is empty)."""
    return per_outlet.set_axis(pd.Index(np.asarray(per_outlet.index, dtype=object), name="outlet"))


def weighted_log_odds(a: Counter[str], b: Counter[str], prior_strength: float = 500.0) -> pd.DataFrame:
    """Monroe, Colaresi and Quinn (2008): log-odds ratio of each term in a vs b with an informative
    Dirichlet prior from the pooled counts, and its z-score. Columns: term, count_a, count_b, log_odds, z."""
    vocab = sorted(set(a) | set(b))
    if not vocab:
        return pd.DataFrame(columns=["term", "count_a", "count_b", "log_odds", "z"])
    ya = np.array([a.get(w, 0) for w in vocab], dtype=float)
    yb = np.array([b.get(w, 0) for w in vocab], dtype=float)
    pooled = ya + yb
    alpha = prior_strength * pooled / pooled.sum()
    a0 = alpha.sum()
    na, nb = ya.sum(), yb.sum()
    delta = np.log((ya + alpha) / (na + a0 - ya - alpha)) - np.log((yb + alpha) / (nb + a0 - yb - alpha))
    z = delta / np.sqrt(1 / (ya + alpha) + 1 / (yb + alpha))
    return pd.DataFrame({"term": vocab, "count_a": ya.astype(int), "count_b": yb.astype(int), "log_odds": delta,
                         "z": z}).sort_values("z", ascending=False).reset_index(drop=True)  # fmt: skip


def term_counts(texts: Sequence[str]) -> Counter[str]:
    from analysis.enrich.terms import analyze

    c: Counter[str] = Counter()
    for t in texts:
        c.update(analyze(t))
    return c


def distinctive_terms(
    store: Store, outlet: str, against: str | None = None, filters: Filters = Filters(), k: int = 20,
    sample: int = 600, chars: int = 600,
) -> pd.DataFrame:  # fmt: skip
    """Terms an outlet uses far more than the rest of the corpus (or than one chosen outlet).

    Each side reads at most `sample` articles (headline and lead: the first `chars` characters), picked by id,
    which is a hash and so an even sample; at 100,000 articles reading every text took 40 s.
    """
    own = store.articles.lead_sample(filters, outlet, same=True, limit=sample, chars=chars)
    other = store.articles.lead_sample(filters, against or outlet, same=bool(against), limit=sample, chars=chars)
    scores = weighted_log_odds(term_counts(own), term_counts(other))
    from analysis.explore.stats import FDR, bh_adjust, p_values

    scores["significant"] = bh_adjust(p_values(scores["z"])) <= FDR
    scores = scores[scores["count_a"] >= 3]
    return scores.head(k).reset_index(drop=True)


def coverage_gaps(
    df: pd.DataFrame, group: pd.Series, a: str, b: str, key: str = "topic", min_articles: int = 5
) -> pd.DataFrame:
    """Topics (or stories) one group of outlets covers much less than another.

    df: one row per article with `key`; group: the group of each row (e.g. the outlet's bias).
    For each key: articles in a and b, their shares of each group's output, and the app's one test
    (analysis.explore.stats: two-proportion z, Benjamini-Hochberg across the keys compared); sorted by z
    (positive: a covers it more). Columns: <key>, articles_a, articles_b, share_a, share_b,
    difference, z, p_value, q_value, significant.
    """
    cols = [key, "articles_a", "articles_b", "share_a", "share_b", "difference", "z", "p_value", "q_value",
            "significant"]  # fmt: skip
    data = df.assign(_group=group.to_numpy())
    ga, gb = data[data["_group"] == a], data[data["_group"] == b]
    na, nb = len(ga), len(gb)
    if na == 0 or nb == 0:
        return pd.DataFrame(columns=cols)
    ca, cb = ga[key].value_counts(), gb[key].value_counts()
    keys = sorted(set(ca.index) | set(cb.index), key=str)
    out = pd.DataFrame({key: keys})
    out["articles_a"] = out[key].map(ca).fillna(0).astype(int)
    out["articles_b"] = out[key].map(cb).fillna(0).astype(int)
    out = out[(out["articles_a"] + out["articles_b"]) >= min_articles].copy()
    out["share_a"] = out["articles_a"] / na
    out["share_b"] = out["articles_b"] / nb
    out["difference"] = out["share_a"] - out["share_b"]
    tests = proportion_tests(out["articles_a"], na, out["articles_b"], nb)
    out = pd.concat([out.reset_index(drop=True), tests], axis=1)
    return out.sort_values("z", ascending=False)[cols].reset_index(drop=True)


def grouped(df: pd.DataFrame, by: str, values: Sequence[str]) -> pd.DataFrame:
    """The rows of an assignments frame whose `by` (outlet, bias or country) is one of values, with
    that value in a `group` column; a missing bias or country reads "unknown"."""
    col = df[by].fillna("unknown").replace("", "unknown")
    out = df.assign(group=col)
    return out[out["group"].isin(list(values))].reset_index(drop=True)


def group_volume(df: pd.DataFrame, period: str | None = None, span: tuple | None = None) -> pd.DataFrame:
    """Articles per period per group for every period of the span, zeros included (columns: period,
    group, articles, complete); attrs["period"]."""
    from analysis.explore.periods import choose_period, grid
    from analysis.explore.trends import span_of, with_periods

    span = span_of(df, span)
    period = period or (choose_period(span[0], span[1]) if span else "week")
    dated, used = with_periods(df, period, columns=["group"])
    counts = dated.groupby(["period", "group"]).size().rename("articles").reset_index()
    if span is None:
        out = counts.assign(complete=True)
    else:
        cells = grid(span[0], span[1], used)[["period", "complete"]]
        cells = cells.merge(pd.DataFrame({"group": pd.Series(sorted(df["group"].unique()), dtype=object)}), how="cross")
        out = cells.merge(counts, on=["period", "group"], how="left").fillna({"articles": 0})
        out["articles"] = out["articles"].astype(int)
    out.attrs["period"] = used
    return out[["period", "group", "articles", "complete"]]


def group_gaps(df: pd.DataFrame, a: str, b: str, labels: dict[int, str], min_articles: int = 5) -> pd.DataFrame:
    """Topics group a covers much more or less than group b (coverage_gaps on topics), with labels."""
    assigned = df[df["topic"] >= 0]
    out = coverage_gaps(assigned, assigned["group"], a, b, key="topic", min_articles=min_articles)
    out.insert(1, "topic_label", out["topic"].map(labels).fillna(""))
    return out
