"""Row selection and id lookup for large article frames give what boolean indexing and get_indexer give."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.explore.rows import keep, label_counts, last_labels, positions_in


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


def test_label_counts_match_a_groupby_of_the_pair():
    rng = np.random.default_rng(3)
    topics = rng.integers(-1, 6, 500)
    labels = pd.Series([f"label {t}" if t != 4 else None for t in topics], dtype="str")
    labels[labels.index % 50 == 0] = "renamed 2"  # one topic can carry two labels in a frame
    df = pd.DataFrame({"topic": topics, "topic_label": labels})
    want = df[df["topic"] >= 0].groupby(["topic", "topic_label"]).size().rename("articles").reset_index()
    got = label_counts(df)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert int(got["articles"].sum()) == int(((topics >= 0) & labels.notna()).sum())  # no label: not counted
    half = np.arange(500) < 250
    sub = df[half]
    want = sub[sub["topic"] >= 0].groupby(["topic", "topic_label"]).size().rename("articles").reset_index()
    pd.testing.assert_frame_equal(label_counts(df, half), want, check_dtype=False)
    assert label_counts(df.iloc[:0]).empty


def test_last_labels_is_dict_of_zip():
    df = pd.DataFrame(
        {"topic": [3, 1, 3, -1, 1, 2], "topic_label": ["old three", "one", "new three", "none", "one", "two"]}
    )
    assert last_labels(df) == dict(zip(df["topic"], df["topic_label"], strict=True))
    assert last_labels(df)[3] == "new three" and last_labels(df.iloc[:0]) == {}
