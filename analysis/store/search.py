"""Full-text search: a user's search read once (analysis.store.query) and run on the backend's index (FTS5 on
SQLite, a weighted tsvector on PostgreSQL), with the sentences that say how it was read. A search the engine
still refuses is run again as plain words, here and nowhere else; nothing a user types raises."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.store import query as q
from analysis.store.base import Family


@dataclass(frozen=True)
class Matches:
    """The articles matching a search, best first: `keys` are row numbers where the index answers by row (SQLite:
    `by_row`) and article ids otherwise; `ranks` are lower-is-better scores (BM25, or minus ts_rank_cd)."""

    query: q.Query
    keys: np.ndarray
    ranks: np.ndarray
    by_row: bool

    @property
    def notes(self) -> tuple[str, ...]:
        return self.query.notes

    def __len__(self) -> int:
        return len(self.keys)


class Search(Family):
    """Full-text search over titles and texts."""

    def matches(self, text: str) -> Matches:
        """The articles matching a search as a user typed it (never raises on what was typed)."""
        query = q.read(text)
        dialect = self.db.dialect
        if query.node is not None and q.uses_near(query.node) and not dialect.near:
            query = q.Query(query.text, query.node, (*query.notes, "NEAR is searched as all its words here."))
        try:
            return self._run(query)
        except Exception as exc:
            if not dialect.is_search_syntax_error(exc):
                raise
        fallback = q.plain(text)
        try:
            return self._run(q.Query(fallback.text, fallback.node, (*query.notes, *fallback.notes)))
        except Exception as exc:
            if not dialect.is_search_syntax_error(exc):
                raise
        refused = f"“{query.text}” could not be searched; try other words."
        return self._run(q.Query(query.text, None, (refused,)))

    def _run(self, query: q.Query) -> Matches:
        by_row = self.db.dialect.by_row
        if query.node is None:
            keys = np.zeros(0, dtype=np.int64) if by_row else np.zeros(0, dtype=object)
            return Matches(query, keys, np.zeros(0), by_row)
        sql, params = self.db.dialect.match(query.node)
        rows = self.db.tuples(sql, params)
        if by_row:
            keys = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        else:
            keys = np.array([r[0] for r in rows], dtype=object)
        ranks = np.fromiter((r[1] for r in rows), dtype=float, count=len(rows))
        order = np.argsort(ranks, kind="stable")  # ties in row order; sorting here, not in SQL, halves a common word
        return Matches(query, keys[order], ranks[order], by_row)

    def ids_of(self, matches: Matches) -> list[str]:
        """The article ids of matches, best first."""
        if not matches.by_row:
            return [str(k) for k in matches.keys]
        out: list[str] = []
        step = self.db.dialect.max_params
        keys = matches.keys.tolist()
        for i in range(0, len(keys), step):
            part = keys[i : i + step]
            sql = f"SELECT rid, id FROM articles WHERE rid IN ({','.join('?' * len(part))})"
            found = dict(self.db.tuples(sql, part))
            out += [found[k] for k in part if k in found]
        return out

    def best_ids(self, words: list[str], limit: int) -> list[str]:
        """Ids of the (at most limit) articles that best match any of these words (the seed of similar news for
        an undated article)."""
        atoms = [q.Word(w.lower()) for w in words if w.strip()]
        if not atoms:
            return []
        node: q.Node = atoms[0] if len(atoms) == 1 else q.Either(tuple(atoms))
        found = self._run(q.Query(" ".join(words), node))
        head = Matches(found.query, found.keys[:limit], found.ranks[:limit], found.by_row)
        return self.ids_of(head)
