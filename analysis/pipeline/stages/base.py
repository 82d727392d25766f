"""What a per-article stage is, and the one loop that runs the stages over a store.

A stage computes one output for each article (its vector, tone, summary, tags, ...) and owns where that output
lives. It says which articles still need it (`todo`), computes it for a batch (`run`) and writes it (`save`);
"done" is per stage, so a stage added later, or one whose `version` changed, is filled in for every article on
the next run. `run_stages` reads each batch of texts once and passes it through every stage that needs it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal, Protocol

import pandas as pd

from analysis.store import Database

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Mode = Literal["full", "update", "part"]  # a full fit; an update; one partition of a Dask run
BATCH = 512  # articles read and passed through the stages at a time


@dataclass(frozen=True)
class Batch:
    """Articles a stage runs on: ids, content hashes, headlines and texts, aligned."""

    ids: list[str]
    hashes: list[str]
    titles: list[str]
    texts: list[str]

    @classmethod
    def of(cls, rows: pd.DataFrame) -> Batch:
        """From store rows with id, content_hash, title and text columns."""
        return cls(
            rows["id"].astype(str).tolist(),
            rows["content_hash"].astype(str).tolist(),
            [str(t or "") for t in rows["title"]],
            [str(t or "") for t in rows["text"]],
        )

    def __len__(self) -> int:
        return len(self.ids)

    def only(self, keep: set[str]) -> Batch:
        """The articles of this batch that are in keep, in order."""
        idx = [i for i, a in enumerate(self.ids) if a in keep]
        if len(idx) == len(self.ids):
            return self
        return Batch(*([col[i] for i in idx] for col in (self.ids, self.hashes, self.titles, self.texts)))

    def __add__(self, other: Batch) -> Batch:
        return Batch(
            self.ids + other.ids, self.hashes + other.hashes, self.titles + other.titles, self.texts + other.texts
        )

    @cached_property
    def english(self) -> list[bool]:
        """Whether each text reads as English (tone and entities are read from English text only)."""
        from analysis.enrich.language import looks_english

        return [looks_english(t) for t in self.texts]


class Models:
    """The models of a run, each made on first use and shared by the stages: the embedder, the tone classifier
    and the entity tagger (any of them injectable, as the tests do)."""

    def __init__(self, embedder: Any = None, tone: Any = None, tagger: Any = None) -> None:
        self._embedder, self._tone, self._tagger = embedder, tone, tagger

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from analysis.enrich.embeddings import get_embedder

            self._embedder = get_embedder()
        return self._embedder

    @property
    def tone(self) -> Any:
        if self._tone is None:
            from analysis.enrich.tone import ToneClassifier

            self._tone = ToneClassifier()
        return self._tone

    @property
    def tagger(self) -> Any:
        if self._tagger is None:
            from analysis.enrich.entity_tagger import EntityTagger

            self._tagger = EntityTagger()
        return self._tagger


@dataclass
class Context:
    """What a run gives its stages: the store, the models, the kind of run."""

    store: Database
    models: Models
    mode: Mode = "update"
    counts: dict[str, int] = field(default_factory=dict)  # what each stage computed (not found done)


class Stage(Protocol):
    """One per-article output. `table` is the store table it owns, keyed by article id, with `columns` after
    the id (None for an output kept in a cache keyed by content, or in a table of another family)."""

    @property
    def name(self) -> str: ...
    @property
    def table(self) -> str | None: ...
    @property
    def columns(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def whole(self) -> int:
        """0: run by batch; N: run once at the end on all its articles (held with N characters of each text)."""
        ...

    @property
    def cache(self) -> bool:
        """Whether its output is a cache by content, which the steps reading it fill themselves where it lacks one."""
        ...

    def version(self, ctx: Context) -> str:
        """The version of the code (and model) that makes the output: rows made by another are redone."""
        ...

    def todo(self, ctx: Context, ids: Sequence[str]) -> list[str]:
        """Which of these articles still need the output, in the order given."""
        ...

    def run(self, ctx: Context, batch: Batch) -> Any:
        """The output for a batch of articles (computed; nothing written)."""
        ...

    def save(self, ctx: Context, batch: Batch, out: Any) -> None:
        """Write a batch's output, in one transaction."""
        ...


def prepare(ctx: Context, stages: Sequence[Stage]) -> None:
    """Make each stage's table when the store lacks it, and start a stage again when its version changed."""
    for stage in stages:
        if stage.table:
            ctx.store.outputs.ensure(stage.table, stage.columns)
        current = stage.version(ctx)
        recorded = ctx.store.outputs.version(stage.name)
        if recorded != current:
            if recorded:  # made by other code: redo (a store that never recorded one keeps what it has)
                ctx.store.outputs.reset(stage.name, stage.table, current)
            else:
                ctx.store.outputs.set_version(stage.name, current)


def run_stages(
    ctx: Context,
    stages: Sequence[Stage],
    ids: Sequence[str],
    progress: Progress | None = None,
    batch: int = BATCH,
    corpus: pd.DataFrame | None = None,
) -> dict[str, float]:
    """Bring every stage up to date for these articles (in the order given): each batch of texts is read once
    and passed through every stage that still needs it; a `whole` stage runs once at the end. corpus: the
    articles' rows (id, content_hash, title, text) when the caller has read them already. Returns the seconds
    each stage took."""
    prepare(ctx, stages)
    timings = {s.name: 0.0 for s in stages}
    todo = {s.name: s.todo(ctx, ids) for s in stages}
    pending = {s.name: set(todo[s.name]) for s in stages}
    needed = [a for a in ids if any(a in p for p in pending.values())]
    done = dict.fromkeys(timings, 0)
    for s in stages:
        ctx.counts[s.name] = len(todo[s.name])
        if progress and todo[s.name]:
            progress(s.name, 0, len(todo[s.name]))
    held: dict[str, list[Batch]] = {s.name: [] for s in stages if s.whole}
    given = corpus.set_index("id", drop=False) if corpus is not None and "text" in corpus.columns else None
    for start in range(0, len(needed), batch):
        chunk = needed[start : start + batch]
        rows = Batch.of(ctx.store.fits.rows_of(chunk) if given is None else given.loc[chunk])
        for s in stages:
            part = rows.only(pending[s.name])
            if not len(part):
                continue
            if s.whole:
                held[s.name].append(Batch(part.ids, part.hashes, part.titles, [x[: s.whole] for x in part.texts]))
                continue
            t = time.perf_counter()
            s.save(ctx, part, s.run(ctx, part))
            timings[s.name] += time.perf_counter() - t
            done[s.name] += len(part)
            if progress:
                progress(s.name, done[s.name], len(todo[s.name]))
    for s in stages:
        if s.whole and held[s.name]:
            t = time.perf_counter()
            whole = held[s.name][0]
            for more in held[s.name][1:]:
                whole = whole + more
            s.save(ctx, whole, s.run(ctx, whole))
            timings[s.name] += time.perf_counter() - t
            if progress:
                progress(s.name, len(whole), len(whole))
    return {k: round(v, 2) for k, v in timings.items()}
