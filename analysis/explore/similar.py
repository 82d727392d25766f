"""Similar news for one article: its nearest articles from other outlets, its own story first (the Article page)."""

from __future__ import annotations

import numpy as np

WIRE_COPY = 0.95  # cosine at which two articles are copies of one text


def similar_from_other_outlets(
    index: int,
    emb: np.ndarray,
    outlets: np.ndarray,
    labels: np.ndarray | None = None,
    k: int = 8,
    days: np.ndarray | None = None,
    max_days: float | None = 14,
    per_outlet: int = 1,
) -> list[tuple[int, float, bool]]:
    """Nearest articles to article `index` from other outlets: (row, cosine, wire_copy). The article's own
    outlet never appears, and each other outlet at most `per_outlet` times (its closest articles), so one
    outlet's follow-ups do not crowd out the others. With story `labels`, the article's own story (the same
    event, as grouped for the Stories page) comes first, then the rest; each part most similar first.
    With days and max_days and a dated article, only articles published within max_days are considered;
    undated ones are left out of a dated window (their distance in time is unknown)."""
    sims = emb @ emb[index]
    allowed = outlets != outlets[index]
    if days is not None and max_days is not None and not np.isnan(days[index]):
        allowed &= ~np.isnan(days) & (np.abs(days - days[index]) <= max_days)
    allowed[index] = False
    cand = np.where(allowed)[0]
    if len(cand) == 0:
        return []
    if labels is not None and labels[index] >= 0:
        other_story = (labels[cand] != labels[index]).astype(int)
    else:
        other_story = np.zeros(len(cand), dtype=int)
    out: list[tuple[int, float, bool]] = []
    shown: dict[object, int] = {}
    for o in np.lexsort((cand, -sims[cand], other_story)):
        row = int(cand[o])
        if shown.get(outlets[row], 0) >= per_outlet:
            continue
        shown[outlets[row]] = shown.get(outlets[row], 0) + 1
        out.append((row, float(sims[row]), bool(sims[row] >= WIRE_COPY)))
        if len(out) == k:
            break
    return out
