"""Stage: each article's hashed word counts (headline and lead), cached by content, for grouping stories."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.enrich.lexical import CACHE_NAME
from analysis.pipeline.model_cache import cache_counts
from analysis.pipeline.stages.base import Batch, Context


class CountWords:
    name = "word counts"
    table = None  # the model-output cache, by content
    columns = ()
    whole = 0
    cache = True

    def version(self, ctx: Context) -> str:
        return CACHE_NAME

    def todo(self, ctx: Context, ids: Sequence[str]) -> list[str]:
        hashes = ctx.store.fits.hashes_of(list(ids))
        cached = ctx.store.vectors.cached(CACHE_NAME, list(hashes.values()))
        return [a for a in ids if a in hashes and hashes[a] not in cached]

    def run(self, ctx: Context, batch: Batch) -> int:
        return cache_counts(ctx.store, batch.hashes, batch.titles, batch.texts)  # cached as counted

    def save(self, ctx: Context, batch: Batch, out: int) -> None:
        pass
