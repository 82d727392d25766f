"""Stable topic ids across refits: a refit's topics matched to the previous fit's by centroid."""

from __future__ import annotations

import numpy as np

from analysis.enrich.lineage import match_topics


def unit(*v: float) -> np.ndarray:
    a = np.array(v, dtype=float)
    return a / np.linalg.norm(a)


def test_continued_split_merged_born_and_died_topics():
    old = {10: unit(1, 0, 0, 0), 11: unit(0, 1, 0, 0), 12: unit(0, 0, 1, 0), 13: unit(0.95, 0.31, 0, 0)}
    new = {
        0: unit(1, 0, 0, 0),  # continues 10
        1: unit(0, 1, 0, 0),  # continues 11
        2: unit(0, 0.99, 0.14, 0),  # close to 11, which is taken: a split of 11
        3: unit(0, 0, 0, 1),  # nothing like it before: born
    }
    lineage = match_topics(new, old, next_id=20)
    assert lineage.mapping == {0: 10, 1: 11, 2: 20, 3: 21} and lineage.next_id == 22
    events = {(e["event"], e["topic"], tuple(e["previous"])) for e in lineage.events}
    assert events == {
        ("continued", 10, (10,)),
        ("continued", 11, (11,)),
        ("split", 20, (11,)),
        ("born", 21, ()),
        ("merged", 10, (13,)),  # 13's nearest new topic went to 10
        ("died", None, (12,)),
    }


def test_a_first_fit_gives_every_topic_a_new_id():
    lineage = match_topics({0: unit(1, 0), 1: unit(0, 1)}, {}, next_id=0)
    assert lineage.mapping == {0: 0, 1: 1} and [e["event"] for e in lineage.events] == ["born", "born"]
