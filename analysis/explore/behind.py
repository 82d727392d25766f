"""The articles behind a point of any chart: a period, and the topic, theme, outlet, group or compared line the
point stands for, counted exactly as the chart counted them (the selection's articles, or for a compared line
its matches among the base)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.explore import working
from analysis.explore.lines import Line, line_mask
from analysis.explore.resolve import resolve
from analysis.explore.results import Articles
from analysis.explore.rows import positions_in
from analysis.explore.selection import Selection
from analysis.explore.trends import Where
from analysis.explore.trends import articles_behind as ids_behind
from analysis.store import Database

LIMIT = 500


def articles(store: Database, ids: list[str], limit: int = LIMIT) -> pd.DataFrame:
    """id, title, outlet, published (day), topic, summary of these articles, in this order (at most limit)."""
    out = store.articles.short_rows(ids[:limit]).drop(columns=["tone_label"])
    frame = working.frame(store)
    at = positions_in(out["id"], frame["article_id"])
    labels = frame["topic_label"].to_numpy(dtype=object)
    out.insert(4, "topic_label", [labels[i] if i >= 0 else None for i in at])
    return out


def behind(
    store: Database,
    selection: Selection,
    period: str,
    start: date,
    where: Where = (),
    others: tuple[str, tuple[object, ...]] | None = None,
    line: Line | None = None,
) -> Articles:
    """The articles counted in one point: the selection's articles of the period starting on `start` whose
    columns equal `where`'s values ((column, value) pairs: topic, theme, outlet, bias, country, a label), or
    (`others`: column, values) none of them (a chart's "Other ..."), newest first; with a line, its matches among
    the base instead."""
    r = resolve(store, selection)
    if line is not None:
        mask, _ = line_mask(store, r, line)
        ids = ids_behind(r.base, period, pd.Timestamp(start), where, others, mask)
    else:
        ids = ids_behind(r.rows, period, pd.Timestamp(start), where, others)
    return Articles(articles(store, _newest(store, ids)), len(ids))


def in_unit(store: Database, selection: Selection, key: str, value: int, outlet: str | None = None) -> Articles:
    """The selection's articles in one topic or theme (key), optionally of one outlet, newest first."""
    df = resolve(store, selection).rows
    mask = (df[key] == int(value)).to_numpy()
    if outlet is not None:
        mask &= (df["outlet"] == outlet).to_numpy()
    ids = df.loc[mask, "article_id"].tolist()
    return Articles(articles(store, _newest(store, ids)), len(ids))


def _newest(store: Database, ids: list[str]) -> list[str]:
    """The ids newest first (undated last), ties by id."""
    frame = working.frame(store)
    at = positions_in(pd.Series(ids, dtype=object), frame["article_id"])
    table = pd.DataFrame({"id": ids, "published": frame["published"].take(at).to_numpy()})
    return table.sort_values(["published", "id"], ascending=[False, True], na_position="last")["id"].tolist()
