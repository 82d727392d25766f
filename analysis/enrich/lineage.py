"""Stable topic ids across refits: a refit's topics matched to the previous fit's by centroid."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class Lineage:
    """How new topics relate to the previous fit's: id mapping and events."""

    mapping: dict[int, int]  # new fit's topic -> stable id
    events: list[dict[str, Any]]
    next_id: int


def match_topics(
    new: dict[int, np.ndarray], old: dict[int, np.ndarray], next_id: int, threshold: float = 0.85
) -> Lineage:
    """Match a refit's topics to the previous ones by centroid similarity.

    One-to-one best matches above the threshold continue the old id (so labels and edits carry
    over). A new topic close to an old one that was already taken is a split of it; an old topic
    whose best new match went to another is merged into that one; the rest are born or died.
    """
    from scipy.optimize import linear_sum_assignment

    events: list[dict[str, Any]] = []
    mapping: dict[int, int] = {}
    new_ids, old_ids = list(new), list(old)
    if new_ids and old_ids:
        sims = np.stack([new[i] for i in new_ids]) @ np.stack([old[j] for j in old_ids]).T
        rows, cols = linear_sum_assignment(-sims)
        for r, c in zip(rows, cols, strict=True):
            if sims[r, c] >= threshold:
                mapping[new_ids[r]] = old_ids[c]
                events.append(
                    {
                        "event": "continued",
                        "topic": old_ids[c],
                        "previous": [old_ids[c]],
                        "similarity": float(sims[r, c]),
                    }
                )
    else:
        sims = np.zeros((len(new_ids), len(old_ids)))
    for r, nid in enumerate(new_ids):
        if nid in mapping:
            continue
        mapping[nid] = next_id
        next_id += 1
        best = int(sims[r].argmax()) if old_ids else -1
        if best >= 0 and sims[r, best] >= threshold:
            events.append(
                {
                    "event": "split",
                    "topic": mapping[nid],
                    "previous": [old_ids[best]],
                    "similarity": float(sims[r, best]),
                }
            )
        else:
            events.append({"event": "born", "topic": mapping[nid], "previous": [], "similarity": None})
    matched_old = {v for k, v in mapping.items() if v in old}
    for c, oid in enumerate(old_ids):
        if oid in matched_old:
            continue
        best = int(sims[:, c].argmax()) if new_ids else -1
        if best >= 0 and sims[best, c] >= threshold:
            events.append(
                {
                    "event": "merged",
                    "topic": mapping[new_ids[best]],
                    "previous": [oid],
                    "similarity": float(sims[best, c]),
                }
            )
        else:
            events.append({"event": "died", "topic": None, "previous": [oid], "similarity": None})
    return Lineage(mapping=mapping, events=events, next_id=next_id)
