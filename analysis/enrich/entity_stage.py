"""The entity stage of the pipeline: tag the articles not yet read, then regroup every mention into
entities (cheap: the tagger never reads an article twice)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from analysis.enrich.entities import EntityTagger, tag_articles
from analysis.enrich.entity_aliases import resolve
from analysis.enrich.intel import looks_english
from analysis.store import Database

Progress = Callable[[str, int, int], None]


def run_entities(
    store: Database,
    tagger: Any = None,
    *,
    corpus: pd.DataFrame | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Tag the people, organisations and places of the articles in corpus (fits.corpus_frame rows; the whole
    store when None) that have not been read, and regroup all mentions into entities. tagger: anything with
    a name and mentions(texts) -> list[list[Mention]]; spaCy's small English model by default."""
    t0 = time.perf_counter()
    tagger = tagger or EntityTagger()
    if corpus is None:
        corpus = store.fits.corpus_frame()
    done = store.entities.done_ids(tagger.name)
    todo = corpus[~corpus["id"].isin(done)].reset_index(drop=True)
    if not todo.empty:
        if progress:
            progress("entities", 0, len(todo))
        found = tag_articles(tagger, todo["title"], todo["text"], [looks_english(x) for x in todo["text"]])
        rows = [(a, m.surface, m.kind, m.count) for a, ms in zip(todo["id"], found, strict=True) for m in ms]
        store.entities.save_mentions(rows, todo["id"].tolist(), tagger.name)
        if progress:
            progress("entities", len(todo), len(todo))
    tagged = round(time.perf_counter() - t0, 2)
    t = time.perf_counter()
    links, entities = resolve(store.entities.mentions())
    n = store.entities.replace_entities(links, entities)
    return {
        "articles": len(todo),
        "entities": n,
        "timings": {"entities": tagged, "entity_aliases": round(time.perf_counter() - t, 2)},
    }
