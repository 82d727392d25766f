"""The one significance test the pages use to compare shares of coverage (a topic's share of one
outlet's articles against the others', of one period against the one before, of one group against
another), and the one correction for testing many at once.

Test: two-proportion z-test with a pooled standard error. Correction: Benjamini-Hochberg, keeping
the expected share of false discoveries among the results called significant at or below 5%,
across every comparison shown together (all topics of a chart, all cells of a heatmap).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

FDR = 0.05
METHOD_NOTE = (
    "Significance: two-proportion z-test, Benjamini–Hochberg corrected across the {n} made "
    "(false discovery rate 5%); results that are not significant are shown in grey."
)


def two_proportion_z(count_a: object, n_a: object, count_b: object, n_b: object) -> np.ndarray:
    """z of the difference between count_a/n_a and count_b/n_b with a pooled standard error (0 when
    the pooled share is 0 or 1, or a side has no articles)."""
    ca, na, cb, nb = (np.asarray(v, dtype=float) for v in (count_a, n_a, count_b, n_b))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (ca + cb) / (na + nb)
        se = np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
        diff = ca / na - cb / nb
        z = np.where((se > 0) & np.isfinite(se), diff / np.where(se > 0, se, 1), 0.0)
    return np.nan_to_num(z, nan=0.0)


def p_values(z: object) -> np.ndarray:
    """Two-sided p-values of z-scores: erfc(|z| / sqrt 2), the normal tail (scipy.special agrees to 1e-10 and
    took 0.2 s to import on the Overview's first render)."""
    values = np.abs(np.asarray(z, dtype=float))
    tail = [math.erfc(v / math.sqrt(2)) for v in values.ravel().tolist()]
    return np.array(tail, dtype=float).reshape(values.shape)


def bh_adjust(p: object) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order: p(i) * n / rank, made
    monotone from the largest down (as scipy.stats.false_discovery_control, which costs a second to
    import on a page's first render; tests check the two agree)."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.clip(q, 0, 1)
    return out


def proportion_tests(count_a: object, n_a: object, count_b: object, n_b: object) -> pd.DataFrame:
    """z, p_value, q_value (Benjamini-Hochberg) and significant for each row of counts."""
    z = two_proportion_z(count_a, n_a, count_b, n_b)
    p = p_values(z)
    q = bh_adjust(p)
    return pd.DataFrame({"z": z, "p_value": p, "q_value": q, "significant": q <= FDR})


def note(n: int) -> str:
    """The sentence that says which test and correction a chart or table used."""
    return METHOD_NOTE.format(n=f"{n:,} comparison{'s' if n != 1 else ''}")


def tone_means(
    df: pd.DataFrame, by: str | Sequence[str], value: str = "tone", min_articles: int = 1, n_boot: int = 0
) -> pd.DataFrame:
    """Mean tone per group with its article count and a 95% confidence interval.

    The interval is mean +- 1.96 standard errors (sample standard deviation / sqrt(n)); with
    n_boot > 0 a percentile bootstrap instead. Groups with fewer than min_articles are marked
    `enough = False` so charts can hide them. Columns: <by>, mean, n, sd, ci_low, ci_high, enough.
    """
    keys = [by] if isinstance(by, str) else list(by)
    data = df.dropna(subset=[value])
    g = data.groupby(keys)[value]
    out = g.agg(mean="mean", n="count", sd="std").reset_index()
    se = out["sd"].fillna(0) / np.sqrt(out["n"])
    out["ci_low"] = out["mean"] - 1.96 * se
    out["ci_high"] = out["mean"] + 1.96 * se
    if n_boot:
        rng = np.random.default_rng(0)
        lows, highs = [], []
        for _, vals in g:
            v = vals.to_numpy()
            boots = rng.choice(v, size=(n_boot, len(v)), replace=True).mean(axis=1)
            lows.append(float(np.percentile(boots, 2.5)))
            highs.append(float(np.percentile(boots, 97.5)))
        out["ci_low"], out["ci_high"] = lows, highs
    single = out["n"] < 2
    out.loc[single, ["ci_low", "ci_high"]] = np.nan
    out["enough"] = out["n"] >= max(min_articles, 1)
    return out


def extremes(df: pd.DataFrame, value: str = "tone", k: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows that pull an aggregate most positive and most negative (drill-down to evidence)."""
    data = df.dropna(subset=[value])
    return data.nlargest(k, value), data.nsmallest(k, value)
