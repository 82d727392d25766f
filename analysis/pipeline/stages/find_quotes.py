"""Stage: the direct quotations of each article and whom they are attributed to (analysis.enrich.quotes).
An article's quotations are one row: a JSON list of [speaker or null, quotation, how], in reading order."""

from __future__ import annotations

import json
from collections.abc import Sequence

from analysis.enrich.quotes import VERSION, find_quotes
from analysis.pipeline.stages.base import Batch, Context


class FindQuotes:
    name = "quotes"
    table = "article_quotes"
    columns = (("quotes", "TEXT NOT NULL"),)
    whole = 0
    cache = False

    def version(self, ctx: Context) -> str:
        return VERSION

    def todo(self, ctx: Context, ids: Sequence[str]) -> list[str]:
        return ctx.store.outputs.missing(self.table, ids)

    def run(self, ctx: Context, batch: Batch) -> list[str]:
        return [
            json.dumps([[q.speaker, q.quote, q.how] for q in find_quotes(text)], ensure_ascii=False)
            for text in batch.texts
        ]

    def save(self, ctx: Context, batch: Batch, out: list[str]) -> None:
        ctx.store.outputs.save(self.table, ["quotes"], list(zip(batch.ids, out, strict=True)))
