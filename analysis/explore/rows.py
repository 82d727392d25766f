"""Row selection of large article frames. Boolean indexing of a million-row frame of 19 columns took
about a second in pandas 3; taking the rows by position takes a seventh of that."""

from __future__ import annotations

import numpy as np
import pandas as pd


def keep(df: pd.DataFrame, mask: pd.Series | np.ndarray) -> pd.DataFrame:
    """The rows of df where mask is true (df itself, uncopied, when it is true everywhere)."""
    flags = np.asarray(mask, dtype=bool)
    if flags.all():
        return df
    return df.take(np.flatnonzero(flags))


def aligned(df: pd.DataFrame, values: pd.Series) -> np.ndarray:
    """values (a float Series indexed by row labels of the frame df was taken from) for each row of df, NaN where
    absent; by position when df has plain row numbers (a million-row frame), else by label."""
    index = df.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        out = np.full(len(df), np.nan)
        at = np.asarray(values.index, dtype=np.int64)
        inside = (at >= 0) & (at < len(df))
        out[at[inside]] = values.to_numpy(dtype=float)[inside]
        return out
    return values.reindex(index).to_numpy(dtype=float)


def positions_in(values: pd.Series | pd.Index, among: pd.Series) -> np.ndarray:
    """The position in `among` (unique strings) of each value, -1 when absent, through Arrow's hash table
    (pandas' get_indexer on a million strings took a second)."""
    import pyarrow.compute as pc

    found = pc.index_in(_arrow(values), value_set=_arrow(among))
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _arrow(values: pd.Series | pd.Index) -> object:
    import pyarrow as pa

    try:
        return pa.array(values, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def label_counts(df: pd.DataFrame, mask: np.ndarray | None = None, key: str = "topic") -> pd.DataFrame:
    """Rows per (id, label) pair of a topic or theme column (key, and f"{key}_label") among the assigned rows (id
    >= 0, label present) where mask is true: columns <key>, <key>_label, articles, in id order. The same as a
    pandas groupby of the pair, counted over integer codes (the groupby over a million labels took a second)."""
    label = f"{key}_label"
    topics = df[key].to_numpy(dtype=np.int64)
    codes, labels = pd.factorize(df[label], sort=False)
    use = (topics >= 0) & (codes >= 0)
    if mask is not None:
        use &= np.asarray(mask, dtype=bool)
    width = max(len(labels), 1)
    keys, counts = np.unique(topics[use] * width + codes[use], return_counts=True)
    out = pd.DataFrame({key: keys // width, label: np.asarray(labels, dtype=object)[keys % width], "articles": counts})
    return out.sort_values([key, label], kind="stable").reset_index(drop=True)


def last_labels(df: pd.DataFrame, key: str = "topic", label: str = "topic_label") -> dict[int, str]:
    """Each key's label as dict(zip(df[key], df[label])) gives it (the last row's), without a Python loop over the
    rows (a million pairs took a second)."""
    keys = df[key].to_numpy()
    if not len(keys):
        return {}
    found, last = np.unique(keys[::-1], return_index=True)
    rows = len(keys) - 1 - last
    return dict(zip(found.tolist(), df[label].take(rows).tolist(), strict=True))
