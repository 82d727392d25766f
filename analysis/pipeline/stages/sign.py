"""Stage: each article's MinHash signature, for finding near-duplicates as new articles arrive."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.collect.neardup import signatures
from analysis.pipeline.stages.base import Batch, Context


class Sign:
    name = "signatures"
    table = None  # article_minhash, kept by the collection family (the collector writes it too)
    columns = ()
    whole = 0
    cache = False

    def version(self, ctx: Context) -> str:
        return "1"

    def todo(self, ctx: Context, ids: Sequence[str]) -> list[str]:
        return ctx.store.collection.unsigned_of(list(ids))

    def run(self, ctx: Context, batch: Batch) -> list[np.ndarray | None]:
        return signatures(batch.texts)

    def save(self, ctx: Context, batch: Batch, out: list[np.ndarray | None]) -> None:
        # an empty blob marks a text too short to compare, so it is not redone
        ctx.store.collection.save_signatures(
            [(a, s.tobytes() if s is not None else b"") for a, s in zip(batch.ids, out, strict=True)]
        )
