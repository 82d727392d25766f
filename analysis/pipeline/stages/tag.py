"""Stage: 3 to 6 tags per article, the terms that set it apart from the corpus.

Tags are weighed against a corpus, so on a full fit every article is tagged again against the whole corpus (its
term counts are stored); an update tags only the new articles, against the stored counts; a partition of a Dask
run is tagged against counts of the whole corpus made before (counted: they include the partition)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from analysis.enrich.tags import TermStats, tag_corpus, tag_text
from analysis.pipeline.stages.base import Batch, Context

TEXT_CHARS = 3001  # tags read the headline and the first 3,000 characters, cut at a word


class Tag:
    name = "tags"
    table = "article_tags"
    columns = (("tags", "TEXT NOT NULL"),)
    whole = TEXT_CHARS
    cache = False

    def version(self, ctx: Context) -> str:
        return "1"

    def todo(self, ctx: Context, ids: Sequence[str]) -> list[str]:
        if ctx.mode == "full" or (ctx.mode == "update" and ctx.store.outputs.term_stats() is None):
            return list(ids)  # weighed against the whole corpus: every article again
        return ctx.store.outputs.missing(self.table, ids)

    def run(self, ctx: Context, batch: Batch) -> list[list[str]]:
        known = ctx.store.outputs.term_stats() if ctx.mode != "full" else None
        prior = TermStats(docs=known[0], df=known[1]) if known else None
        docs = [tag_text(t, x) for t, x in zip(batch.titles, batch.texts, strict=True)]
        tags, stats = tag_corpus(docs, prior=prior, counted=ctx.mode == "part")
        if ctx.mode != "part":
            ctx.store.outputs.save_term_stats(stats.docs, stats.df)
        return tags

    def save(self, ctx: Context, batch: Batch, out: list[list[str]]) -> None:
        ctx.store.outputs.save(self.table, ["tags"], [(a, json.dumps(t)) for a, t in zip(batch.ids, out, strict=True)])
