"""Outlet profiles and comparisons: volume, span, tone, first-to-report, rank, distinctive terms,
and coverage gaps between groups of outlets, each with a significance measure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.explore.resolve import Span, resolve
from analysis.explore.results import OverTime
from analysis.explore.selection import Selection
from analysis.explore.stats import proportion_tests, tone_means
from analysis.store import Database

MIN_TESTED = 5  # a topic with fewer articles among those compared is not tested


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
    cols = ["article_id", "outlet", "published", "country", "bias", "tone", "story_id", "precision"]
    arts = df[[c for c in cols if c in df.columns]].rename(columns={"article_id": "id"})
    # Grouped by outlet codes: each groupby over a million outlet names took a quarter of a second.
    arts = arts.assign(outlet=arts["outlet"].astype("category"))
    g = arts.groupby("outlet", observed=True)
    out = pd.DataFrame(
        {
            "articles": g.size(),
            "first_article": g["published"].min(),
            "last_article": g["published"].max(),
            "country": g["country"].first(),
            "bias": g["bias"].first(),
        }
    )
    out = out.set_axis(pd.Index(np.asarray(out.index, dtype=object), name="outlet"))
    out["active_days"] = (out["last_article"] - out["first_article"]).dt.days + 1
    tone = tone_means(arts, "outlet").set_index("outlet")
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
    return (
        pd.DataFrame({"term": vocab, "count_a": ya.astype(int), "count_b": yb.astype(int), "log_odds": delta, "z": z})
        .sort_values("z", ascending=False)
        .reset_index(drop=True)
    )


def term_counts(texts: Sequence[str]) -> Counter[str]:
    from analysis.terms import analyze

    c: Counter[str] = Counter()
    for t in texts:
        c.update(analyze(t))
    return c


@dataclass(frozen=True)
class Terms:
    """Terms one outlet (or group) uses far more than the others: term, count_a, count_b, log_odds, z,
    significant (Benjamini-Hochberg 5% across the terms tested); own and against say who was compared."""

    table: pd.DataFrame
    own: str
    against: str
    sampled: tuple[int, int]  # articles read on each side


def distinctive_terms(
    store: Database,
    selection: Selection,
    own: str,
    against: str | None = None,
    by: str = "outlet",
    k: int = 20,
    sample: int = 600,
    chars: int = 600,
    months: tuple[pd.Timestamp, ...] = (),
) -> Terms:
    """Terms an outlet (or a bias group, a country: by) uses far more than all the others in the selection (or
    than one chosen `against`). The sidebar's outlet choice does not apply (it would leave nothing to compare
    with); its dates, search, topics and mentions do. Each side reads at most `sample` articles (headline and
    lead: the first `chars` characters), picked by id, which is a hash and so an even sample; at 100,000
    articles reading every text took 40 s. months: only these months (the comparison's common ones)."""
    from analysis.explore.coverage import restrict

    r = resolve(store, selection.but(outlets=()) if by == "outlet" else selection)
    rows = restrict(r.rows, list(months)) if months else r.rows
    group = _group_of(rows, by)
    mine = group == own
    other = group == against if against else ~mine
    ids_a = sorted(rows.loc[mine.to_numpy(), "article_id"].tolist())[:sample]
    ids_b = sorted(rows.loc[other.to_numpy(), "article_id"].tolist())[:sample]
    scores = weighted_log_odds(
        term_counts(store.articles.leads(ids_a, chars)), term_counts(store.articles.leads(ids_b, chars))
    )
    from analysis.explore.stats import FDR, bh_adjust, p_values

    scores["significant"] = bh_adjust(p_values(scores["z"])) <= FDR
    scores = scores[scores["count_a"] >= 3]
    everyone = "all other outlets" if by == "outlet" else f"every other {by}"
    return Terms(scores.head(k).reset_index(drop=True), own, against or everyone, (len(ids_a), len(ids_b)))


def _group_of(df: pd.DataFrame, by: str) -> pd.Series:
    col = df[by]
    return (col if by == "outlet" else col.fillna("unknown").replace("", "unknown")).astype(str)


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
    cols = [
        key,
        "articles_a",
        "articles_b",
        "share_a",
        "share_b",
        "difference",
        "z",
        "p_value",
        "q_value",
        "significant",
    ]
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
    """The rows of an article frame whose `by` (outlet, bias or country) is one of values, with that value in a
    `group` column; a missing bias or country reads "unknown"."""
    out = df.assign(group=_group_of(df, by))
    return out[out["group"].isin(list(values))]


def group_volume(
    df: pd.DataFrame, span: Span | None, period: str | None = None, groups: Sequence[str] = ()
) -> OverTime:
    """Articles per period per group (df's `group` column) for every period of the span, zeros included, every
    group of `groups` present. Columns: period, group, articles, complete."""
    from analysis.explore.trends import period_for, with_periods
    from analysis.periods import grid

    period = period_for(span, period)
    dated, used = with_periods(df, period, columns=["group"])
    counts = dated.groupby(["period", "group"]).size().rename("articles").reset_index()
    names = list(dict.fromkeys([*groups, *sorted(df["group"].unique())]))
    if span is None:
        out = counts.assign(complete=True)
    else:
        cells = grid(span[0], span[1], used)[["period", "complete"]]
        cells = cells.merge(pd.DataFrame({"group": pd.Series(names, dtype=object)}), how="cross")
        out = cells.merge(counts, on=["period", "group"], how="left").fillna({"articles": 0})
        out["articles"] = out["articles"].astype(int)
    return OverTime(out[["period", "group", "articles", "complete"]], used, "group", f"articles per {used}")


def group_gaps(
    df: pd.DataFrame,
    base: pd.DataFrame,
    a: str,
    b: str,
    labels: dict[int, str],
    key: str = "topic",
    min_articles: int = MIN_TESTED,
) -> pd.DataFrame:
    """Topics (key: or themes) group a covers much more or less than group b: each one's share of its own base
    rows (coverage_gaps' columns), the cells of a in share_by_group over the two, so the test is the one the
    topics-by-group table shows."""
    from analysis.explore.topic_stats import share_by_group

    cols = ["articles_a", "articles_b", "share_a", "share_b", "difference", "z", "p_value", "q_value"]
    two = df[df["group"].isin([a, b])]
    cells = share_by_group(two, key, "group", base=base[base["group"].isin([a, b])], min_articles=min_articles)
    mine, theirs = cells[cells["group"] == a], cells[cells["group"] == b].set_index(key)
    if mine.empty or theirs.empty:
        return pd.DataFrame(columns=[key, f"{key}_label", *cols, "significant"])
    out = pd.DataFrame(
        {
            key: mine[key].to_numpy(),
            f"{key}_label": mine[key].map(labels).fillna("").to_numpy(),
            "articles_a": mine["articles"].to_numpy(),
            "articles_b": mine[key].map(theirs["articles"]).to_numpy(),
            "share_a": mine["share"].to_numpy(),
            "share_b": mine["others_share"].to_numpy(),
        }
    )
    out["difference"] = out["share_a"] - out["share_b"]
    for c in ("z", "p_value", "q_value", "significant"):
        out[c] = mine[c].to_numpy()
    return out.sort_values("z", ascending=False).reset_index(drop=True)


BY = ("outlet", "bias", "country")


@dataclass(frozen=True)
class Comparison:
    """Outlets (or bias groups, countries: by) side by side in the selection; every table names its column of
    outlets or groups after `by`. `coverage`: each one's window and
    gaps over its whole output in the chosen dates and outlets (a topic, search or mention never makes holes);
    `months`: those every compared one covers; the topic shares, tone and gaps are over those months when
    common_only (else over all their articles); `absent`: chosen ones with no article in the selection, and
    why; `profiles`: stories covered, who was first, lags and ranks, per outlet or group."""

    by: str
    chosen: tuple[str, ...]
    compared: tuple[str, ...]
    absent: tuple[tuple[str, str], ...]
    key: str
    labels: dict[int, str]
    volume: OverTime
    coverage: pd.DataFrame
    months: tuple[pd.Timestamp, ...]
    common_only: bool
    selected: int  # the selection's articles, all outlets
    articles: int  # of them, the compared ones'
    compared_articles: int
    undated: int
    share: pd.DataFrame
    tone: pd.DataFrame
    gaps: pd.DataFrame
    profiles: pd.DataFrame


def compare(
    store: Database,
    selection: Selection,
    by: str,
    values: tuple[str, ...],
    period: str | None = None,
    common_only: bool = True,
) -> Comparison:
    """Figures for outlets or groups side by side: volume over the whole span; over the months every one of them
    covers (common_only) or over all their articles, topic (or theme) share with the one test, tone, and coverage
    gaps of the first two; who was first."""
    from analysis.explore import coverage as cov
    from analysis.explore.resolve import absent_outlets
    from analysis.explore.topic_stats import share_by_group
    from analysis.explore.topics import unit_labels

    if by not in BY:
        raise ValueError(f"Unknown comparison {by!r}; use one of {', '.join(BY)}.")
    r = resolve(store, selection)
    key = selection.unit
    df = grouped(r.rows, by, values)
    base = grouped(r.base, by, values)
    present = tuple(v for v in values if v in set(df["group"]))
    missing = absent_outlets(store, values, df.assign(**{by: df["group"]}), selection, column=by)
    volume = group_volume(df, r.span, period, present)
    covered = cov.coverage(base.assign(outlet=base["group"]), "outlet", r.span).rename(columns={"outlet": "group"})
    covered = covered.assign(note=[cov.describe(row, r.span) for row in covered.to_dict("records")])
    months = tuple(cov.common_months(covered, "group", list(present))) if len(present) >= 2 else ()
    common = common_only and len(present) >= 2
    used = cov.restrict(df, list(months)) if common else df
    used_base = cov.restrict(base, list(months)) if common else base
    tone = tone_means(used, "group") if used["tone"].notna().any() else pd.DataFrame()
    labels = unit_labels(store, key) if store.active_fit is not None else {}
    share = pd.DataFrame()
    if store.active_fit is not None:
        share = share_by_group(used, key, "group", base=used_base, min_articles=MIN_TESTED)
        share = share.rename(columns={"group_total": f"{by}_total"})
    two = len(present) >= 2 and bool(labels)
    gaps = group_gaps(used, used_base, present[0], present[1], labels, key) if two else pd.DataFrame()
    profiles = outlet_profiles_of(used.assign(outlet=used["group"]))  # over the months compared, as the rest
    if by != "outlet" and not profiles.empty:
        profiles = profiles.drop(columns=["country", "bias", "rank_in_country", "rank_in_bias_group"])
    profiles = profiles.rename(columns={"outlet": by})
    named = {"group": by}
    volume = OverTime(volume.table.rename(columns=named), volume.period, by, f"articles per {volume.period} by {by}")
    return Comparison(
        by=by,
        chosen=tuple(values),
        compared=present,
        absent=missing,
        key=key,
        labels=labels,
        volume=volume,
        coverage=covered.rename(columns=named),
        months=months,
        common_only=common,
        selected=len(r.rows),
        articles=len(df),
        compared_articles=len(used),
        undated=int(df["published"].isna().sum()),
        share=share.rename(columns=named),
        tone=tone.rename(columns=named),
        gaps=gaps,
        profiles=profiles,
    )


def profiles(store: Database, selection: Selection) -> pd.DataFrame:
    """outlet_profiles_of the selection's articles."""
    return outlet_profiles_of(resolve(store, selection).rows)
