"""The Topics page's questions: the topics (or themes) with their articles in the selection, the 2-D map
(downsampled for the browser), the hierarchy and similarity of the model's topics, and one topic: what the model
says of it (keywords, summary, representative articles) and what the selection holds of it (its share of all
coverage over time, tone, outlets with the one test, stories, who is named)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.explore import working
from analysis.explore.behind import articles as article_rows
from analysis.explore.resolve import resolve
from analysis.explore.results import OverTime, Share
from analysis.explore.selection import Selection, ThemeId, TopicId, Unit
from analysis.explore.topic_stats import windowed_share
from analysis.explore.trends import tone_over_time, unit_shares
from analysis.store import Database
from analysis.text.centrality import topic_summary

MAP_POINTS = 20_000  # most points sent to the browser; WebGL draws this many smoothly
STORIES = 15


@dataclass(frozen=True)
class UnitTable:
    """Every topic (or theme: key) of the model with its articles in the selection (zero included), its share of
    the selection, its size in the whole store, keywords and (themes) its topics."""

    table: pd.DataFrame  # <key>, label, articles, share, size, keywords[, hidden | topics]
    key: str
    articles: int  # the selection's articles
    unassigned: int

    @property
    def measure(self) -> str:
        return f"articles per {self.key} in the selection, share of the selection's {self.articles:,} articles"


def unit_table(store: Database, selection: Selection, include_hidden: bool = False) -> UnitTable:
    """The model's topics (or themes, at the themes level) with their articles in the selection, biggest first."""
    r = resolve(store, selection)
    key = selection.unit
    if key == "theme":
        model = store.topics.theme_table()
    else:
        model = store.topics.topic_table(include_hidden=include_hidden)
    counts = r.rows.loc[r.rows[key] >= 0, key].value_counts()
    out = model.assign(articles=model[key].map(counts).fillna(0).astype(int))
    out["share"] = out["articles"] / len(r.rows) if len(r.rows) else 0.0
    cols = [key, "label", "articles", "share", "size", "keywords", *(["topics"] if key == "theme" else ["hidden"])]
    out = out.sort_values(["articles", "size", key], ascending=[False, False, True])[cols].reset_index(drop=True)
    return UnitTable(out, key, len(r.rows), len(r.rows) - int(counts.sum()))


@dataclass(frozen=True)
class MapPoints:
    """Articles of the selection on the topic map: article_id, x, y, topic, topic_label, theme, theme_label,
    title, outlet, published (day); above MAP_POINTS a sample stratified by topic. total: before sampling."""

    points: pd.DataFrame
    total: int
    key: str


def map_points(store: Database, selection: Selection, max_points: int = MAP_POINTS, seed: int = 0) -> MapPoints:
    """The selection's articles on the topic map (coloured by the selection's level)."""
    return sample_points(resolve(store, selection).rows, selection.unit, max_points, seed)


def sample_points(df: pd.DataFrame, key: str = "topic", max_points: int = MAP_POINTS, seed: int = 0) -> MapPoints:
    """Map coordinates of the rows of an article frame, stratified by topic above max_points (every topic keeps
    at least a few points)."""
    cols = ["article_id", "x", "y", "topic", "topic_label", "theme", "theme_label", "title", "outlet", "published"]
    data = df.dropna(subset=["x", "y"])
    total = len(data)
    if total > max_points:
        rng = np.random.default_rng(seed)
        frac = max_points / total
        keep = np.zeros(total, dtype=bool)
        for _, idx in data.groupby("topic").indices.items():
            n = max(min(len(idx), 5), round(len(idx) * frac))
            keep[rng.choice(idx, size=n, replace=False)] = True
        data = data[keep]
    out = data.assign(published=data["published"].dt.strftime("%Y-%m-%d").fillna(""))[cols].reset_index(drop=True)
    return MapPoints(out, total, key)


def topic_similarity(store: Database, top_n: int = 30) -> pd.DataFrame:
    """Cosine similarity between the centroids of the top_n visible topics (square frame, labels)."""
    table = store.topics.topic_table()
    cents = store.fits.topic_centroids(int(store.active_fit or 0))
    table = table[table["topic"].isin(cents)].head(top_n)
    if table.empty:
        return pd.DataFrame()
    merged = _merged_centroids(store, table["topic"].tolist(), cents)
    m = np.stack([merged[t] for t in table["topic"]])
    sims = np.clip(m @ m.T, -1, 1)
    return pd.DataFrame(sims, index=table["label"].tolist(), columns=table["label"].tolist())


def _merged_centroids(store: Database, topics: list[int], cents: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """Each displayed topic's centroid, averaging in topics merged into it."""
    raw = {t: store.topics.raw_topic_ids([t]) for t in topics}
    out = {}
    for t, members in raw.items():
        vecs = [cents[m] for m in members if m in cents] or [cents[t]]
        v = np.mean(vecs, axis=0)
        out[t] = v / (np.linalg.norm(v) or 1.0)
    return out


@dataclass(frozen=True)
class TopicModel:
    """One topic as the model has it, whatever the selection: its label, keywords with their c-TF-IDF weights,
    size in the whole store, summary sentences across outlets, representative articles, its theme and the fit's
    topic ids behind it (merged ones included)."""

    topic: TopicId
    label: str
    auto_label: str
    hidden: bool
    size: int
    share: float
    theme: ThemeId | None
    theme_label: str
    keywords: pd.DataFrame
    summary: list[tuple[str, str]]
    representative: pd.DataFrame
    members: tuple[int, ...]
    words_over_time: pd.DataFrame


def topic_model(store: Database, topic: TopicId) -> TopicModel | None:
    """One topic of the current model, or None when it has no such topic (a refit may have replaced it)."""
    if not isinstance(topic, TopicId):
        raise TypeError("topic_model takes a TopicId (a theme id is a ThemeId)")
    if store.active_fit is None:
        return None
    table = store.topics.topic_table(include_hidden=True)
    row = table[table["topic"] == topic.value]
    if row.empty:
        return None
    r = row.iloc[0]
    members = tuple(store.topics.raw_topic_ids([topic.value]))
    reps = list(dict.fromkeys(r["representative"]))[:8]
    rep = article_rows(store, reps)
    keywords = _keyword_weights(store, members)
    summary = topic_summary(
        [(o, s) for o, s in zip(rep["outlet"], rep["summary"].fillna(""), strict=True)],
        keywords=keywords["word"].tolist(),
    )
    return TopicModel(
        topic=topic,
        label=str(r["label"]),
        auto_label=str(r["auto_label"]),
        hidden=bool(r["hidden"]),
        size=int(r["size"]),
        share=float(r["share"]),
        theme=ThemeId(int(r["theme"])) if int(r["theme"]) >= 0 else None,
        theme_label=str(r["theme_label"]),
        keywords=keywords,
        summary=summary,
        representative=rep,
        members=members,
        words_over_time=store.topics.words_over_time(topic.value),
    )


def _keyword_weights(store: Database, members: tuple[int, ...]) -> pd.DataFrame:
    """Keywords of a topic (and topics merged into it) with their c-TF-IDF weights, summed."""
    weights: dict[str, float] = {}
    for kw in store.topics.keyword_lists(members):
        for word, w in kw:
            weights[word] = weights.get(word, 0.0) + float(w)
    out = pd.DataFrame(sorted(weights.items(), key=lambda x: -x[1]), columns=["word", "weight"])
    return out.head(10)


@dataclass(frozen=True)
class ThemeModel:
    """One theme as the model has it, whatever the selection: its label, keywords, size in the whole store, its
    visible topics (topic, label, size; biggest first) and the fit's topic ids behind it."""

    theme: ThemeId
    label: str
    auto_label: str
    size: int
    share: float
    keywords: tuple[str, ...]
    topics: pd.DataFrame
    members: tuple[int, ...]


def theme_model(store: Database, theme: ThemeId) -> ThemeModel | None:
    """One theme of the current model, or None when it has no such theme (a refit may have replaced it, or a
    merge folded it into another)."""
    if not isinstance(theme, ThemeId):
        raise TypeError("theme_model takes a ThemeId (a topic id is a TopicId)")
    if store.active_fit is None:
        return None
    table = store.topics.theme_table()
    row = table[table["theme"] == theme.value]
    if row.empty:
        return None
    r = row.iloc[0]
    listed = store.topics.topic_table()
    mine = listed[listed["topic"].isin([int(t) for t in r["topics"]])]
    mine = mine.sort_values(["size", "topic"], ascending=[False, True])[["topic", "label", "size"]]
    return ThemeModel(
        theme=theme,
        label=str(r["label"]),
        auto_label=str(r["auto_label"]),
        size=int(r["size"]),
        share=float(r["share"]),
        keywords=tuple(str(w) for w in r["keywords"]),
        topics=mine.reset_index(drop=True),
        members=tuple(store.topics.raw_theme_topic_ids([theme.value])),
    )


@dataclass(frozen=True)
class TopicCoverage:
    """One topic (or theme: unit) in the selection: its articles there as a share of all coverage (the base: the
    sidebar's dates, outlets, bias and country), over time; its tone over time; each outlet's share of its output
    on it against the others (the one test, corrected across the outlets: `tests`); its biggest stories; who its
    articles name."""

    unit: Unit
    articles: Share
    shares: OverTime
    tone: OverTime
    by_outlet: pd.DataFrame
    tests: int
    stories: pd.DataFrame
    entities: pd.DataFrame


def topic_coverage(store: Database, selection: Selection, unit: Unit, members: tuple[int, ...]) -> TopicCoverage:
    """One topic or theme (unit; the fit's topic ids `members` behind it) in the selection; the sidebar's topics
    or themes do not apply (the unit is the subject), its search, mentions and sources do."""
    from analysis.explore.entities import named_in

    if not isinstance(unit, TopicId | ThemeId):
        raise TypeError("topic_coverage takes a TopicId or a ThemeId")
    key = unit.noun
    r = resolve(store, selection.but(topics=(), themes=()))
    df, base = r.rows, r.base
    inside = df["raw_topic"].isin(list(members)).to_numpy()
    mine = df[inside]
    marked = df.assign(**{key: np.where(inside, unit.value, -1)})
    shares = unit_shares(marked, base, r.span, key=key, shown=[unit.value])
    shares = OverTime(
        shares.table[shares.table[key] == unit.value].reset_index(drop=True),
        shares.period,
        key,
        f"the {key}'s articles as a share of all articles that {shares.period} from the chosen outlets and dates",
        shares.notes,
    )
    tone = tone_over_time(mine, r.span, period=shares.period, min_articles=3)
    by_outlet = windowed_share(df, inside, key, unit.value)
    return TopicCoverage(
        unit=unit,
        articles=Share(len(mine), len(base), "articles from the chosen outlets and dates"),
        shares=shares,
        tone=tone,
        by_outlet=by_outlet,
        tests=len(by_outlet),
        stories=stories_of(store, mine),
        entities=named_in(store, tuple(mine["article_id"])),
    )


def stories_of(store: Database, rows: pd.DataFrame, limit: int = STORIES) -> pd.DataFrame:
    """The biggest stories (two or more outlets) with articles among rows: story_id, title, first_published,
    first_outlet, articles, outlets, in_topic (its articles among rows)."""
    cols = ["story_id", "title", "first_published", "first_outlet", "articles", "outlets", "in_topic"]
    ids = rows["story_id"].to_numpy(dtype=float)
    ids = ids[~np.isnan(ids)].astype(np.int64)
    if not len(ids):
        return pd.DataFrame(columns=cols)
    found, counts = np.unique(ids, return_counts=True)
    table = store.stories.story_table(2)
    out = table.merge(pd.DataFrame({"story_id": found, "in_topic": counts}), on="story_id")
    out = out.sort_values(["articles", "first_published", "story_id"], ascending=[False, False, True]).head(limit)
    out["first_published"] = pd.to_datetime(out["first_published"], utc=True).dt.tz_localize(None)
    return out[cols].reset_index(drop=True)


def unit_labels(store: Database, key: str = "topic") -> dict[int, str]:
    """Label of every visible topic (or theme) of the current model."""
    if store.active_fit is None:
        return {}

    def labels() -> dict[int, str]:
        table = store.topics.theme_table() if key == "theme" else store.topics.topic_table()
        return {int(t): str(lab) for t, lab in zip(table[key], table["label"], strict=True)}

    return dict(working.memo(store, "labels", (key,), labels))


def hierarchy(store: Database) -> pd.DataFrame:
    """The topic hierarchy of the model (analysis.explore.topic_stats.hierarchy)."""
    from analysis.explore.topic_stats import hierarchy as tree

    return tree(store)


def topic_list(store: Database) -> pd.DataFrame:
    """Every topic of the current model, hidden ones included (topic, label, hidden, theme, theme_label), visible
    ones first, biggest first: what the topic picker offers."""
    if store.active_fit is None:
        return pd.DataFrame(columns=["topic", "label", "hidden", "theme", "theme_label"])
    table = store.topics.topic_table(include_hidden=True)
    table = table.sort_values(["hidden", "size", "topic"], ascending=[True, False, True])
    return table[["topic", "label", "hidden", "theme", "theme_label"]].reset_index(drop=True)


def merged_themes(store: Database) -> dict[int, int]:
    """Theme id -> the theme it was merged into."""
    return store.topics.merged_themes() if store.active_fit is not None else {}
