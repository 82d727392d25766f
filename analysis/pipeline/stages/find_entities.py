"""Stage: the people, organisations and places each article names (English articles), as found; the
entities they are grouped into are a corpus step (analysis.pipeline.regroup.group_entities)."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.enrich.entity_tagger import Mention, tag_articles
from analysis.pipeline.stages.base import Batch, Context


class FindEntities:
    name = "entities"
    table = None  # article_mentions and entity_done, kept by the entities family with the user's edits
    columns = ()
    whole = 0
    cache = False

    def version(self, ctx: Context) -> str:
        return str(ctx.models.tagger.name)  # done is recorded per tagger: a new tagger reads every article

    def todo(self, ctx: Context, ids: Sequence[str]) -> list[str]:
        done = ctx.store.entities.done_ids_of(ctx.models.tagger.name, list(ids))
        return [a for a in ids if a not in done]

    def run(self, ctx: Context, batch: Batch) -> list[list[Mention]]:
        return tag_articles(ctx.models.tagger, batch.titles, batch.texts, batch.english)

    def save(self, ctx: Context, batch: Batch, out: list[list[Mention]]) -> None:
        rows = [(a, m.surface, m.kind, m.count) for a, ms in zip(batch.ids, out, strict=True) for m in ms]
        ctx.store.entities.save_mentions(rows, batch.ids, ctx.models.tagger.name)
