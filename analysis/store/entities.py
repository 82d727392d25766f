"""People, organisations and places: each article's mentions as the tagger found them, the entities they
resolve to (ids stable across regroupings, keyed by the entity's normalised name), and the user's edits."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import pandas as pd

from analysis.errors import BadInput, NotFound
from analysis.store.base import Family, utcnow
from analysis.store.topics import clean_label, resolve_merge

ENTITY_COLUMNS = ["entity_id", "name", "auto_name", "kind", "mentions", "articles", "aliases", "merged_into"]


class Entities(Family):
    """People, organisations and places: mentions, entities with stable ids, the user's edits."""

    def done_ids(self, tagger: str) -> set[str]:
        """Articles this tagger has read (those with no entity too); a new tagger reads them all again."""
        return {r[0] for r in self.db.execute("SELECT article_id FROM entity_done WHERE tagger = ?", (tagger,))}

    def untagged_count(self, tagger: str) -> int:
        """Articles this tagger has not read."""
        row = self.db.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM entity_done d WHERE d.article_id = a.id AND d.tagger = ?)",
            (tagger,),
        ).fetchone()
        return int(row[0])

    def done_ids_of(self, tagger: str, ids: Sequence[str]) -> set[str]:
        """Which of these articles this tagger has read."""
        out: set[str] = set()
        step = self.db.dialect.max_params - 1
        for i in range(0, len(ids), step):
            part = list(ids[i : i + step])
            rows = self.db.execute(
                f"SELECT article_id FROM entity_done WHERE tagger = ? AND article_id IN ({','.join('?' * len(part))})",
                (tagger, *part),
            )
            out |= {r[0] for r in rows}
        return out

    def save_mentions(self, rows: Sequence[tuple[str, str, str, int]], done: Iterable[str], tagger: str) -> None:
        """Write (article_id, surface, kind, count) mentions and mark the articles read, in one transaction."""
        with self.db.transaction():
            mention = self.db.dialect.insert(
                "article_mentions",
                ("article_id", "surface", "kind", "count"),
                conflict="replace",
                keys=("article_id", "surface", "kind"),
            )
            done = list(done)
            step = self.db.dialect.max_params
            for i in range(0, len(done), step):  # what an earlier tagger found goes
                part = done[i : i + step]
                self.db.execute(f"DELETE FROM article_mentions WHERE article_id IN ({','.join('?' * len(part))})", part)
            self.db.executemany(mention, rows)
            mark = self.db.dialect.insert(
                "entity_done", ("article_id", "tagger"), conflict="replace", keys=("article_id",)
            )
            self.db.executemany(mark, [(a, tagger) for a in done])

    def mentions(self) -> pd.DataFrame:
        """Every stored mention: article_id, surface, kind, count."""
        return self.db.frame("SELECT article_id, surface, kind, count FROM article_mentions")

    def replace_entities(self, links: pd.DataFrame, entities: pd.DataFrame) -> int:
        """Store the resolved entities (key, name, kind, mentions, articles, aliases) and each article's
        (article_id, key, count), keeping the id of every key seen before; an entity no longer mentioned
        keeps its row with zero counts, so links to it still open. Returns how many entities are mentioned."""
        with self.db.transaction():
            known = dict(self.db.execute("SELECT key, entity_id FROM entities").fetchall())
            next_id = max(known.values(), default=-1) + 1
            ids: dict[str, int] = {}
            for key in entities["key"]:
                if key not in known:
                    known[key], next_id = next_id, next_id + 1
                ids[key] = known[key]
            self.db.execute("UPDATE entities SET mentions = 0, articles = 0")
            upsert = self.db.dialect.insert(
                "entities",
                ("entity_id", "key", "name", "kind", "mentions", "articles", "aliases"),
                conflict="replace",
                keys=("entity_id",),
            )
            self.db.executemany(
                upsert,
                [
                    (
                        ids[r.key],
                        r.key,
                        r.name,
                        r.kind,
                        int(r.mentions),
                        int(r.articles),
                        json.dumps(list(r.aliases)[:20]),
                    )
                    for r in entities.itertuples()
                ],
            )
            self.db.execute("DELETE FROM article_entities")
            self.db.executemany(
                "INSERT INTO article_entities(article_id, entity_id, count) VALUES (?, ?, ?)",
                [
                    (a, ids[k], int(n))
                    for a, k, n in zip(links["article_id"], links["key"], links["count"], strict=True)
                ],
            )
            self.db.bump_version()
        return len(entities)

    # -- reading, with the user's edits applied --------------------------------------------------
    def _merges(self) -> dict[int, int]:
        rows = self.db.execute("SELECT entity_id, merged_into FROM entity_edits WHERE merged_into IS NOT NULL")
        return {int(a): int(b) for a, b in rows}

    def entity_table(self) -> pd.DataFrame:
        """Entities that are mentioned, most mentioned first, merges folded in: entity_id, name (the
        user's label, else the found name), auto_name, kind, mentions, articles, aliases (list),
        merged_into (None). Empty in a store from before entities (opened read-only, not yet migrated)."""
        if not self.db.columns("entities"):
            return pd.DataFrame(columns=ENTITY_COLUMNS)
        df = self.db.frame(
            "SELECT e.entity_id, e.name AS auto_name, d.label, e.kind, e.mentions, e.articles, e.aliases"
            " FROM entities e LEFT JOIN entity_edits d ON d.entity_id = e.entity_id WHERE e.mentions > 0"
        )
        if df.empty:
            return pd.DataFrame(columns=ENTITY_COLUMNS)
        df["name"] = df["label"].where(df["label"].notna() & (df["label"] != ""), df["auto_name"])
        df["aliases"] = df["aliases"].map(json.loads)
        merges = self._merges()
        df["target"] = [resolve_merge(merges, int(e)) for e in df["entity_id"]]
        if merges:
            counts = self.article_entities()
            per = counts.groupby("entity_id").agg(mentions=("count", "sum"), articles=("article_id", "nunique"))
            extra = (
                df[df["target"] != df["entity_id"]]
                .groupby("target")["aliases"]
                .agg(lambda s: [a for x in s for a in x])
            )
            df = df[df["target"] == df["entity_id"]].copy()
            df["mentions"] = df["entity_id"].map(per["mentions"]).fillna(df["mentions"]).astype(int)
            df["articles"] = df["entity_id"].map(per["articles"]).fillna(df["articles"]).astype(int)
            df["aliases"] = [a + extra.get(e, []) for e, a in zip(df["entity_id"], df["aliases"], strict=True)]
        df["merged_into"] = None
        df = df.sort_values(["mentions", "entity_id"], ascending=[False, True]).reset_index(drop=True)
        return df[ENTITY_COLUMNS]

    def article_entities(self, article_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """(article_id, entity_id, count) with merged entities counted under the entity they were merged into."""
        if article_ids is None:
            df = self.db.frame("SELECT article_id, entity_id, count FROM article_entities")
        else:
            ids = list(dict.fromkeys(article_ids))
            step = self.db.dialect.max_params
            parts = [
                self.db.frame(
                    "SELECT article_id, entity_id, count FROM article_entities WHERE article_id IN"
                    f" ({','.join('?' * len(ids[i : i + step]))})",
                    ids[i : i + step],
                )
                for i in range(0, len(ids), step)
            ]
            df = (
                pd.concat(parts, ignore_index=True)
                if parts
                else pd.DataFrame(columns=["article_id", "entity_id", "count"])
            )
        merges = self._merges()
        if merges and not df.empty:
            df["entity_id"] = [resolve_merge(merges, int(e)) for e in df["entity_id"]]
            df = df.groupby(["article_id", "entity_id"], as_index=False)["count"].sum()
        return df.astype({"entity_id": int, "count": int}) if not df.empty else df

    def raw_entity_ids(self, entities: Iterable[int]) -> tuple[int, ...]:
        """The stored entity ids behind displayed ones (an entity and every entity merged into it)."""
        merges = self._merges()
        want = {int(e) for e in entities}
        every = {int(r[0]) for r in self.db.execute("SELECT entity_id FROM entities")}
        return tuple(sorted(e for e in every if resolve_merge(merges, e) in want))

    # -- the user's edits ----------------------------------------------------------------------
    def _edit(self, entity: int, **fields: object) -> None:
        if not self.db.execute("SELECT 1 FROM entities WHERE entity_id = ?", (entity,)).fetchone():
            raise NotFound(f"There is no entity {entity}.")
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO entity_edits(entity_id, updated) VALUES (?, ?) ON CONFLICT(entity_id) DO NOTHING",
                (entity, utcnow()),
            )
            sets = "".join(f"{k} = ?, " for k in fields)
            self.db.execute(
                f"UPDATE entity_edits SET {sets}updated = ? WHERE entity_id = ?", (*fields.values(), utcnow(), entity)
            )
            self.db.bump_version()

    def rename_entity(self, entity: int, label: str) -> None:
        """Give an entity a name of the user's choosing (kept when entities are regrouped)."""
        self._edit(entity, label=clean_label("entity", label))

    def merge_entities(self, source: int, target: int) -> None:
        """Count entity `source` as part of `target` everywhere."""
        if source == target:
            raise BadInput("An entity cannot be merged into itself.")
        self._edit(target)
        if resolve_merge(self._merges(), target) == source:
            raise BadInput(f"Entity {target} is already merged into {source}.")
        self._edit(source, merged_into=target)

    def unmerge_entity(self, entity: int) -> None:
        self._edit(entity, merged_into=None)
