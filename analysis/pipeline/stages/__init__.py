"""The per-article stages, in the order a run passes a batch through them: the one registry that `fit`,
`fit --update`, `fit --engine dask`, `migrate` and the demo snapshot read. To add a stage: write a module here
with a class that has the Stage shape (analysis.pipeline.stages.base) and add it to STAGES."""

from __future__ import annotations

from analysis.pipeline.stages.base import Batch, Context, Mode, Models, Stage, prepare, run_stages
from analysis.pipeline.stages.count_words import CountWords
from analysis.pipeline.stages.embed import Embed
from analysis.pipeline.stages.find_entities import FindEntities
from analysis.pipeline.stages.find_quotes import FindQuotes
from analysis.pipeline.stages.score_tone import ScoreTone
from analysis.pipeline.stages.sign import Sign
from analysis.pipeline.stages.summarise import Summarise
from analysis.pipeline.stages.tag import Tag
from analysis.store import Database

STAGES: tuple[Stage, ...] = (
    Embed(),
    ScoreTone(),
    Summarise(),
    Tag(),
    CountWords(),
    Sign(),
    FindEntities(),
    FindQuotes(),
)

# The tables the corpus-level steps write (topics and themes of a fit, stories, entities), beside the stages'.
CORPUS_TABLES = (
    "fits",
    "topics",
    "article_topics",
    "topic_lineage",
    "topic_words_over_time",
    "themes",
    "stories",
    "story_members",
    "entities",
    "article_entities",
)
# kept by families beside the stages' own tables: tags' term counts, signatures, entity mentions
STAGE_TABLES = ("tag_terms", "article_minhash", "article_mentions", "entity_done")


def run_named(store: Database, names: tuple[str, ...], models: Models | None = None) -> dict[str, int]:
    """Run the named stages for every article of the store that lacks their output; what each computed."""
    ctx = Context(store, models or Models(), mode="update")
    run_stages(ctx, [s for s in STAGES if s.name in names], store.fits.corpus_ids())
    return ctx.counts


def ensure_tables(store: Database) -> None:
    """Make the tables of the stages a store lacks (a stage added after the store was made)."""
    for stage in STAGES:
        if stage.table:
            store.outputs.ensure(stage.table, stage.columns)


def derived_tables() -> tuple[str, ...]:
    """Every table the pipeline derives from the articles (what the demo snapshot ships)."""
    own = tuple(s.table for s in STAGES if s.table)
    return CORPUS_TABLES[:5] + own + CORPUS_TABLES[5:] + STAGE_TABLES


__all__ = [
    "STAGES",
    "Batch",
    "Context",
    "Mode",
    "Models",
    "Stage",
    "derived_tables",
    "ensure_tables",
    "prepare",
    "run_named",
    "run_stages",
]
