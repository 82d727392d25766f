"""`migrate SRC DST`: copy a whole store between backends (SQLite to PostgreSQL and back): articles, outlets,
imports, vectors, fits and topics with the user's edits, tone and summaries, stories, entities and the
collection state. Rows are copied table by table in batches that skip what the target already holds, so an
interrupted copy is finished by running it again; the copy is verified by counting every table."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analysis.errors import BadInput

# Every table, parents before children; the search indexes (FTS5 on SQLite, a generated tsvector on
# PostgreSQL) are the target's own and follow the rows.
TABLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("meta", ("key",)),
    ("outlets", ("name",)),
    ("imports", ("id",)),
    ("articles", ("rid",)),
    ("embeddings", ("model", "content_hash")),
    ("fits", ("id",)),
    ("topics", ("fit_id", "topic")),
    ("article_topics", ("fit_id", "article_id")),
    ("topic_edits", ("topic",)),
    ("topic_lineage", ("id",)),
    ("topic_words_over_time", ("fit_id", "topic", "period")),
    ("themes", ("fit_id", "theme")),
    ("theme_edits", ("theme",)),
    ("article_tone", ("article_id",)),
    ("article_summaries", ("article_id",)),
    ("article_tags", ("article_id",)),
    ("stories", ("story_id",)),
    ("story_members", ("article_id",)),
    ("tag_terms", ("term",)),
    ("article_minhash", ("article_id",)),
    ("collect_runs", ("id",)),
    ("collect_urls", ("url",)),
    ("feeds", ("url",)),
    ("article_mentions", ("article_id", "surface", "kind")),
    ("entity_done", ("article_id",)),
    ("entities", ("entity_id",)),
    ("article_entities", ("article_id", "entity_id")),
    ("entity_edits", ("entity_id",)),
)
OWN_META = ("schema_version", "data_version", "bulk_fts")  # each store keeps its own
BATCH = 2000

Progress = Callable[[str, int, int], None]  # (table, rows copied, rows in the table)


def copy_store(src: Any, dst: Any, progress: Progress | None = None) -> dict[str, int]:
    """Copy every row of src into dst (both open stores of any backend), skipping rows dst already has;
    returns the rows of each table. Raises BadInput when the copy does not match src afterwards."""
    if src.path == dst.path:
        raise BadInput("The source and the target are the same store.")
    if dst.count():
        theirs = {r[0] for r in dst.execute("SELECT id FROM articles")}
        if theirs - {r[0] for r in src.execute("SELECT id FROM articles")}:
            raise BadInput("The target already holds articles the source does not have; migrate into an empty store.")
    copied: dict[str, int] = {}
    tables = tables_of(src)
    listed = {t for t, _ in TABLES}
    for table, _ in tables:  # a stage's table the target lacks: made there with the source's columns
        if table not in listed and not dst.columns(table):
            dst.outputs.ensure(table, src.outputs.shape(table))
    if absent := [t for t, _ in tables if not dst.columns(t)]:
        raise BadInput(f"The target has no table {', '.join(absent)}; it was made by other code than the source.")
    for table, keys in tables:
        cols = [c for c in src.columns(table) if c in set(dst.columns(table)) and c != "search"]
        total = int(src.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        have = int(dst.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        if table != "meta" and have >= total:
            copied[table] = total
            if progress:
                progress(table, total, total)
            continue
        insert = dst.dialect.insert(table, cols, conflict="replace" if table == "meta" else "ignore", keys=keys)
        order = ", ".join(keys)
        done = 0
        cur = src.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}")
        while True:
            rows = cur.fetchmany(BATCH)
            if not rows:
                break
            if table == "meta":
                rows = [r for r in rows if r[cols.index("key")] not in OWN_META]
            with dst.transaction():
                dst.executemany(insert, [tuple(r) for r in rows])
            done += len(rows)
            if progress:
                progress(table, done, total)
        copied[table] = total
    dst.after_bulk_copy()
    copy_models(dst)
    with dst.transaction():
        dst.bump_version()
    got = _counts(dst, tables)
    mismatched = {t: (n, m) for t, n in _counts(src, tables).items() if (m := got[t]) != n and t != "meta"}
    if mismatched:
        detail = ", ".join(f"{t} {m:,} of {n:,}" for t, (n, m) in mismatched.items())
        raise BadInput(f"The copy is incomplete ({detail}); run the same migrate command again to finish it.")
    return copied


def copy_models(dst: Any) -> int:
    """Copy the saved topic model folder of each fit (BERTopic's c-TF-IDF and vectorizer) that the copied fits rows
    point at into dst's own models folder, and point the rows there; returns how many fits have their folder
    there. A folder that no longer exists (or a fit without one, as the demo ships) is left as it is."""
    root = dst.fits.models_dir()
    if root is None:
        return 0
    done = 0
    for fit_id, path in dst.execute("SELECT id, model_path FROM fits WHERE model_path IS NOT NULL").fetchall():
        folder, target = Path(path), root / Path(path).name
        if folder.resolve() == target.resolve():
            done += 1
            continue
        if not folder.is_dir():
            continue
        if not target.exists():  # copied under a temporary name first, so an interrupted copy is redone whole
            part = target.with_name(target.name + ".part")
            shutil.rmtree(part, ignore_errors=True)
            shutil.copytree(folder, part)
            part.rename(target)
        with dst.transaction():
            dst.execute("UPDATE fits SET model_path = ? WHERE id = ?", (str(target), fit_id))
        done += 1
    return done


def tables_of(src: Any) -> list[tuple[str, tuple[str, ...]]]:
    """TABLES, then every other table of src keyed by article (a pipeline stage's table added after this list
    was written), by name."""
    listed = {t for t, _ in TABLES}
    extra = [t for t in src.tables() if t not in listed and "article_id" in src.columns(t)]
    return [*TABLES, *((t, ("article_id",)) for t in extra)]


def _counts(store: Any, tables: list[tuple[str, tuple[str, ...]]]) -> dict[str, int]:
    return {t: int(store.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t, _ in tables}
