"""Topic and theme tables as the user sees them: labels, merges, hides and renames applied."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from analysis.errors import BadInput, NotFound
from analysis.store.base import Family, utcnow
from analysis.store.fits import NoFit

if TYPE_CHECKING:  # the app reads fits without importing the topic engine (and scikit-learn)
    pass


def clean_label(kind: str, label: str | None) -> str:
    """A label as typed, with runs of spaces collapsed; empty or over 80 characters is refused."""
    label = " ".join((label or "").split())
    if not label:
        raise BadInput(f"A {kind} label cannot be empty.")
    if len(label) > 80:
        raise BadInput(f"A {kind} label can be at most 80 characters.")
    return label


def resolve_merge(merges: dict[int, int], topic: int) -> int:
    seen = set()
    while topic in merges and topic not in seen:
        seen.add(topic)
        topic = merges[topic]
    return topic


class Topics(Family):
    """Topic and theme tables as the user sees them: labels, merges, hides and renames applied."""

    def _edit(self, topic: int, **fields: Any) -> None:
        self._edit_row("topic", topic, **fields)

    def _edit_row(self, kind: str, key: int, **fields: Any) -> None:
        """Write a user's edit of a topic or theme (kind) of the active fit into {kind}_edits."""
        fit_id = self.db.active_fit
        if fit_id is None:
            raise NoFit("No topic model yet; run `python -m analysis fit` first.")
        exists = self.db.execute(f"SELECT 1 FROM {kind}s WHERE fit_id = ? AND {kind} = ?", (fit_id, key)).fetchone()
        if not exists:
            raise NotFound(f"There is no {kind} {key} in the current model.")
        with self.db.transaction():
            self.db.execute(
                f"INSERT INTO {kind}_edits({kind}, updated) VALUES (?, ?) ON CONFLICT({kind}) DO NOTHING",
                (key, utcnow()),
            )
            sets = "".join(f"{k} = ?, " for k in fields)
            self.db.execute(
                f"UPDATE {kind}_edits SET {sets}updated = ? WHERE {kind} = ?", (*fields.values(), utcnow(), key)
            )
            self.db.bump_version()

    def rename_topic(self, topic: int, label: str) -> None:
        """Give a topic a label of the user's choosing (kept across refits while the topic continues)."""
        label = clean_label("topic", label)
        table = self.topic_table(include_hidden=True)
        clash = table[(table["label"].str.lower() == label.lower()) & (table["topic"] != topic)]
        if not clash.empty:
            other = clash.iloc[0]
            raise BadInput(f"Topic {int(other['topic'])} is already called {other['label']!r}; choose another label.")
        self._edit(topic, label=label)

    def hide_topic(self, topic: int, hidden: bool = True) -> None:
        """Hide a topic from charts and lists (its articles count as unassigned), or show it again."""
        self._edit(topic, hidden=int(hidden))

    def merge_topics(self, source: int, target: int) -> None:
        """Show topic `source` as part of `target` everywhere."""
        if source == target:
            raise BadInput("A topic cannot be merged into itself.")
        self._edit(target)
        if (
            resolve_merge({**self._merges(), source: target}, source) != target
            and resolve_merge(self._merges(), target) == source
        ):
            raise BadInput(f"Topic {target} is already merged into {source}.")
        self._edit(source, merged_into=target)

    def unmerge_topic(self, topic: int) -> None:
        self._edit(topic, merged_into=None)

    def _merges(self) -> dict[int, int]:
        rows = self.db.execute("SELECT topic, merged_into FROM topic_edits WHERE merged_into IS NOT NULL")
        return {int(a): int(b) for a, b in rows}

    def topic_table(self, include_hidden: bool = False) -> pd.DataFrame:
        """The active fit's topics with the user's edits applied.

        Columns: topic, label, auto_label, keywords (list of words), size, share, representative (ids),
        hidden, merged_into, x, y. Merged topics are folded into their target (sizes added).
        """
        fit_id = self.db.active_fit
        if fit_id is None:
            raise NoFit("No topic model yet; run `python -m analysis fit` first.")
        df = self.db.frame(
            "SELECT t.topic, t.label AS auto_label, t.keywords, t.representative, t.x, t.y,"
            " (SELECT count(*) FROM article_topics a WHERE a.fit_id = t.fit_id AND a.topic = t.topic) AS size,"
            " e.label AS edited_label, coalesce(e.hidden, 0) AS hidden, e.merged_into"
            " FROM topics t LEFT JOIN topic_edits e ON e.topic = t.topic WHERE t.fit_id = ? ORDER BY t.topic",
            (fit_id,),
        )
        df["label"] = df["edited_label"].where(
            df["edited_label"].notna() & (df["edited_label"] != ""), df["auto_label"]
        )
        df["keywords"] = df["keywords"].map(lambda s: [w for w, _ in json.loads(s)])
        df["representative"] = df["representative"].map(json.loads)
        merges = self._merges()
        present = set(df["topic"])
        df["merged_into"] = [
            resolve_merge(merges, int(t)) if int(t) in merges and resolve_merge(merges, int(t)) in present else None
            for t in df["topic"]
        ]
        folded = df[df["merged_into"].notna()]
        for _, row in folded.iterrows():
            target = df.index[df["topic"] == int(row["merged_into"])][0]
            df.at[target, "size"] += row["size"]
            df.at[target, "representative"] = df.at[target, "representative"] + row["representative"]
        df = df[df["merged_into"].isna()].copy()
        total = self.db.execute("SELECT count(*) FROM article_topics WHERE fit_id = ?", (fit_id,)).fetchone()[0]
        df["share"] = df["size"] / total if total else 0.0
        df["hidden"] = df["hidden"].astype(bool)
        if not include_hidden:
            df = df[~df["hidden"]]
        themes = self.theme_of_topics()
        labels = self.theme_labels()
        df["theme"] = [themes.get(int(t), -1) for t in df["topic"]]
        df["theme_label"] = df["theme"].map(labels).fillna("No theme")
        cols = [
            "topic",
            "label",
            "auto_label",
            "keywords",
            "size",
            "share",
            "representative",
            "hidden",
            "x",
            "y",
            "theme",
            "theme_label",
        ]
        return df.sort_values(["size", "topic"], ascending=[False, True])[cols].reset_index(drop=True)

    def article_topics(self) -> pd.DataFrame:
        """article_id, topic (edits applied: merged -> target, hidden -> -1), topic_label, probability, x, y."""
        fit_id = self.db.active_fit
        if fit_id is None:
            raise NoFit("No topic model yet; run `python -m analysis fit` first.")
        df = self.db.frame(
            "SELECT article_id, topic, probability, x, y FROM article_topics WHERE fit_id = ?", (fit_id,)
        )
        return self.apply_edits(df)

    def apply_edits(self, df: pd.DataFrame) -> pd.DataFrame:
        """Map a frame's `topic` column through merges and hides, and add topic_label."""
        table = self.topic_table(include_hidden=True)
        merges = self._merges()
        hidden = set(table.loc[table["hidden"], "topic"])
        present = set(table["topic"])
        ids = pd.unique(df["topic"].astype(int))  # a few hundred ids: resolve each once, then map the column
        resolved = {int(t): (resolve_merge(merges, int(t)) if int(t) in merges else int(t)) for t in ids}
        mapped = df["topic"].astype(int).map(resolved)
        mapped = mapped.where(mapped.isin(present), -1)
        df = df.assign(topic=mapped.where(~mapped.isin(hidden), -1).astype(int))
        labels = dict(zip(table["topic"], table["label"], strict=True))
        df["topic_label"] = df["topic"].map(labels).fillna("Unassigned")
        themes = dict(zip(table["topic"], table["theme"], strict=True))
        df["theme"] = df["topic"].map(themes).fillna(-1).astype(int)
        theme_names = dict(zip(table["theme"], table["theme_label"], strict=True))
        df["theme_label"] = df["theme"].map(theme_names).where(df["theme"] >= 0, "Unassigned").fillna("Unassigned")
        return df

    def _theme_merges(self) -> dict[int, int]:
        rows = self.db.execute("SELECT theme, merged_into FROM theme_edits WHERE merged_into IS NOT NULL")
        return {int(a): int(b) for a, b in rows}

    def merged_themes(self) -> dict[int, int]:
        """Themes the user merged away: theme -> the theme it is shown as part of."""
        return self._theme_merges()

    def theme_of_topics(self) -> dict[int, int]:
        """The active fit's topic -> theme (theme merges applied); topics without a theme are left out."""
        fit_id = self.db.active_fit
        if fit_id is None:
            return {}
        merges = self._theme_merges()
        present = {int(r[0]) for r in self.db.execute("SELECT theme FROM themes WHERE fit_id = ?", (fit_id,))}
        out = {}
        for topic, theme in self.db.execute(
            "SELECT topic, theme FROM topics WHERE fit_id = ? AND theme IS NOT NULL", (fit_id,)
        ):
            target = resolve_merge(merges, int(theme))
            out[int(topic)] = target if target in present else int(theme)
        return out

    def theme_labels(self) -> dict[int, str]:
        """Label of each theme of the active fit, the user's where they renamed it."""
        fit_id = self.db.active_fit
        if fit_id is None:
            return {}
        rows = self.db.execute(
            "SELECT t.theme, coalesce(nullif(e.label, ''), t.label) FROM themes t"
            " LEFT JOIN theme_edits e ON e.theme = t.theme WHERE t.fit_id = ?",
            (fit_id,),
        )
        return {int(t): str(label) for t, label in rows}

    def theme_table(self) -> pd.DataFrame:
        """The active fit's themes with edits applied: theme, label, auto_label, keywords (words), size, share,
        topics (ids of its topics, after topic and theme merges), biggest first. Empty when the fit has none."""
        fit_id = self.db.active_fit
        if fit_id is None:
            raise NoFit("No topic model yet; run `python -m analysis fit` first.")
        df = self.db.frame(
            "SELECT t.theme, t.label AS auto_label, t.keywords, e.label AS edited_label FROM themes t"
            " LEFT JOIN theme_edits e ON e.theme = t.theme WHERE t.fit_id = ? ORDER BY t.theme",
            (fit_id,),
        )
        cols = ["theme", "label", "auto_label", "keywords", "size", "share", "topics"]
        if df.empty:
            return pd.DataFrame(columns=cols)
        df["label"] = df["edited_label"].where(
            df["edited_label"].notna() & (df["edited_label"] != ""), df["auto_label"]
        )
        df["keywords"] = df["keywords"].map(lambda s: [w for w, _ in json.loads(s)])
        topics = self.topic_table(include_hidden=False)
        members = topics.groupby("theme")["topic"].apply(list).to_dict()
        sizes = topics.groupby("theme")["size"].sum().to_dict()
        df = df[df["theme"].isin(set(topics["theme"]))].copy()  # merged-away themes are folded into their target
        df["topics"] = df["theme"].map(lambda t: members.get(int(t), []))
        df["size"] = df["theme"].map(lambda t: int(sizes.get(int(t), 0)))
        total = self.db.execute("SELECT count(*) FROM article_topics WHERE fit_id = ?", (fit_id,)).fetchone()[0]
        df["share"] = df["size"] / total if total else 0.0
        return df.sort_values(["size", "theme"], ascending=[False, True])[cols].reset_index(drop=True)

    def _theme_edit(self, theme: int, **fields: Any) -> None:
        self._edit_row("theme", theme, **fields)

    def rename_theme(self, theme: int, label: str) -> None:
        """Give a theme a label of the user's choosing (kept across refits while the theme continues)."""
        label = clean_label("theme", label)
        for other, name in self.theme_labels().items():
            if other != theme and name.lower() == label.lower():
                raise BadInput(f"Theme {other} is already called {name!r}; choose another label.")
        self._theme_edit(theme, label=label)

    def merge_themes(self, source: int, target: int) -> None:
        """Show theme `source` as part of `target` everywhere (its topics move under target)."""
        if source == target:
            raise BadInput("A theme cannot be merged into itself.")
        self._theme_edit(target)
        if resolve_merge(self._theme_merges(), target) == source:
            raise BadInput(f"Theme {target} is already merged into {source}.")
        self._theme_edit(source, merged_into=target)

    def unmerge_theme(self, theme: int) -> None:
        self._theme_edit(theme, merged_into=None)

    def raw_topic_ids(self, topics: Iterable[int]) -> tuple[int, ...]:
        """The active fit's topic ids that display as any of `topics` (merged topics included)."""
        fit_id = self.db.active_fit
        wanted = {int(t) for t in topics}
        if fit_id is None or not wanted:
            return ()
        merges = self._merges()
        ids = [r[0] for r in self.db.execute("SELECT topic FROM topics WHERE fit_id = ?", (fit_id,))]
        return tuple(sorted(t for t in ids if resolve_merge(merges, int(t)) in wanted))

    def raw_theme_topic_ids(self, themes: Iterable[int]) -> tuple[int, ...]:
        """The active fit's topic ids whose articles display under any of `themes` (after topic merges,
        hides and theme merges), for filtering by theme."""
        fit_id = self.db.active_fit
        wanted = {int(t) for t in themes}
        if fit_id is None or not wanted:
            return ()
        table = self.topic_table(include_hidden=True)
        shown = {
            int(t)
            for t, th, hidden in zip(table["topic"], table["theme"], table["hidden"], strict=True)
            if int(th) in wanted and not hidden
        }
        return self.raw_topic_ids(shown)

    def keyword_lists(self, topics: Iterable[int]) -> list[list[tuple[str, float]]]:
        """The stored (keyword, weight) list of each of these raw topic ids of the active fit."""
        ids = list(topics)
        rows = self.db.execute(
            f"SELECT keywords FROM topics WHERE fit_id = ? AND topic IN ({','.join('?' * len(ids))})",
            (self.db.active_fit, *ids),
        ).fetchall()
        return [[(str(w), float(v)) for w, v in json.loads(r[0])] for r in rows]

    def words_over_time(self, topic: int | None = None) -> pd.DataFrame:
        """The stored topic words per period of the active fit: topic, period, words, frequency."""
        if self.db.active_fit is None:
            return pd.DataFrame(columns=["topic", "period", "words", "frequency"])
        sql = "SELECT topic, period, words, frequency FROM topic_words_over_time WHERE fit_id = ?"
        params: list[object] = [self.db.active_fit]
        if topic is not None:
            sql += " AND topic = ?"
            params.append(topic)
        return self.db.frame(sql + " ORDER BY topic, period", params)
