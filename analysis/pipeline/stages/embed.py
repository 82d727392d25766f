"""Stage: each article's vector (headline and lead), cached by (model, content hash)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.enrich.embeddings import embedding_text
from analysis.pipeline.model_cache import embed_articles
from analysis.pipeline.stages.base import Batch, Context


class Embed:
    name = "embeddings"
    table = None  # the model-output cache, by content: the same text is embedded once
    columns = ()
    whole = 0
    cache = True

    def version(self, ctx: Context) -> str:
        return str(ctx.models.embedder.name)

    def todo(self, ctx: Context, ids: Sequence[str]) -> list[str]:
        hashes = ctx.store.fits.hashes_of(list(ids))
        cached = ctx.store.vectors.cached(ctx.models.embedder.name, list(hashes.values()))
        return [a for a in ids if a in hashes and hashes[a] not in cached]

    def run(self, ctx: Context, batch: Batch) -> np.ndarray:
        texts = [embedding_text(t, x) for t, x in zip(batch.titles, batch.texts, strict=True)]
        return embed_articles(ctx.store, ctx.models.embedder, batch.hashes, texts)[0]  # cached as computed

    def save(self, ctx: Context, batch: Batch, out: np.ndarray) -> None:
        pass  # embed_articles cached each vector as it was made
