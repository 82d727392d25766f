"""Stage: each article's extractive summary (its most central sentences)."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.enrich.summarize import VERSION, summarize
from analysis.pipeline.stages.base import Batch, Context


class Summarise:
    name = "summaries"
    table = "article_summaries"
    columns = (("summary", "TEXT NOT NULL"),)
    whole = 0
    cache = False

    def version(self, ctx: Context) -> str:
        return VERSION

    def todo(self, ctx: Context, ids: Sequence[str]) -> list[str]:
        return ctx.store.outputs.missing(self.table, ids)

    def run(self, ctx: Context, batch: Batch) -> list[str]:
        return [summarize(x, h) for x, h in zip(batch.texts, batch.titles, strict=True)]

    def save(self, ctx: Context, batch: Batch, out: list[str]) -> None:
        ctx.store.outputs.save(self.table, ["summary"], list(zip(batch.ids, out, strict=True)))
