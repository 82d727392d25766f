"""Row selection and id lookup for large article frames give what boolean indexing and get_indexer give."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.explore.rows import keep, positions_in


def test_keep_is_boolean_indexing_by_position():
    df = pd.DataFrame({"a": range(6), "s": list("uvwxyz")}, index=[10, 11, 12, 13, 14, 15])
    mask = pd.Series([True, False, True, True, False, False], index=df.index)
    pd.testing.assert_frame_equal(keep(df, mask), df[mask])
    assert keep(df, np.ones(6, bool)) is df  # nothing dropped: no copy
    assert keep(df, np.zeros(6, bool)).empty


def test_positions_in_finds_each_id_or_minus_one():
    among = pd.Series(["b", "a", "c"], dtype="str")
    assert positions_in(pd.Index(["c", "x", "a", "b"]), among).tolist() == [2, -1, 1, 0]
    assert positions_in(pd.Series(["a", None], dtype=object), among).tolist() == [1, -1]
