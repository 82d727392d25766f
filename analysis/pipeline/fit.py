"""Orchestration: articles -> embeddings -> topics (full fit or incremental update), with timings."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis.enrich.embeddings import Embedder, embedding_text, get_embedder
from analysis.enrich.lineage import Lineage, match_topics
from analysis.enrich.themes import Themes, build_themes
from analysis.enrich.tone import ToneClassifier
from analysis.enrich.topic_model import TooFewArticles, TopicParams, check_size, fit_topics, nearest_topic
from analysis.periods import choose_period, period_start
from analysis.pipeline.model_cache import embed_articles, text_vectors
from analysis.pipeline.regroup import group_entities, regroup_stories
from analysis.pipeline.stages import STAGES, Context, Mode, Models, prepare, run_stages
from analysis.pipeline.stages.pool import run_in_workers, workers_for
from analysis.store import Database

# The topic fit's steps, as the progress bars name them.
TOPIC_STEPS = {
    "umap": "topics: arranging the articles (UMAP)",
    "hdbscan": "topics: finding the groups (HDBSCAN)",
    "outliers": "topics: placing the rest",
    "representation": "topics: keywords",
    "themes": "topics: labels and themes",
}
READING = "reading the articles and loading the models"
KEYWORD_CHARS = 1500  # of each article's text used for c-TF-IDF keywords (the lead and what follows)
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class RunReport:
    """What a fit or update did, for the command line and the app."""

    kind: str
    articles: int = 0
    embedded: int = 0
    cached: int = 0
    topics: int = 0
    outlier_share: float = 0.0
    assigned: int = 0
    fit_id: int | None = None
    stories: int = 0  # every story the grouping made
    stories_across: int = 0  # those with articles from two outlets or more (the Stories page's)
    entities: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    lineage: dict[str, int] = field(default_factory=dict)
    done: dict[str, int] = field(default_factory=dict)  # articles each per-article stage computed
    workers: int = 1  # processes the per-article stages ran in

    def stories_text(self) -> str:
        return f"{self.stories_across:,} stories across outlets ({self.stories:,} with those of one outlet)"

    def summary(self) -> str:
        t = ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())
        if self.kind == "update" and not self.articles:
            filled = ", ".join(f"{k} {v:,}" for k, v in self.done.items() if v)
            return "Update: no new articles" + (
                f"; filled in for articles that lacked them: {filled}; {self.stories_text()}." if filled else "."
            )
        if self.kind == "update":
            return (
                f"Update: {self.assigned:,} of {self.articles:,} new articles assigned to topics"
                f" ({self.embedded:,} embedded); {self.stories_text()}; {self.entities:,} people,"
                f" organisations and places. Timings: {t}."
            )
        changes = ", ".join(f"{v} {k}" for k, v in self.lineage.items()) or "first fit"
        return (
            f"Fit: {self.articles:,} articles, {self.topics} topics, {self.outlier_share:.1%} unassigned;"
            f" {self.embedded:,} embedded, {self.cached:,} from cache; topics vs previous fit: {changes};"
            f" {self.stories_text()}; {self.entities:,} people, organisations and places."
            f" Timings: {t}."
        )


def _embed(
    store: Database, embedder: Embedder, corpus: pd.DataFrame, progress: Progress | None
) -> tuple[np.ndarray, int]:
    """Vectors of the corpus's articles; without a text column, texts are read only for cache misses."""
    ids = corpus["id"].tolist()
    if "text" in corpus.columns:
        texts: Any = [embedding_text(t, x) for t, x in zip(corpus["title"], corpus["text"], strict=True)]
    else:

        def texts(idx: list[int]) -> list[str]:
            rows = store.fits.texts_of([ids[i] for i in idx])
            return [embedding_text(*rows[ids[i]]) for i in idx]

    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        if progress:
            progress("embed", done[0], len(ids))

    return embed_articles(store, embedder, corpus["content_hash"].tolist(), texts, progress=tick)


def keyword_docs(corpus: pd.DataFrame) -> list[str]:
    """Headline and the text's first KEYWORD_CHARS characters (from `text`, or `lead` when read without it)."""
    texts = corpus["text"] if "text" in corpus.columns else corpus["lead"]
    return [f"{t}. {x[:KEYWORD_CHARS]}" for t, x in zip(corpus["title"], texts, strict=True)]


def words_over_time(
    model: Any, docs: list[str], topics: np.ndarray, published: pd.Series, top_n: int = 5, counts: Any = None
) -> pd.DataFrame:
    """Each topic's words in each period, as BERTopic's topics_over_time computes them (c-TF-IDF of
    the topic's articles in that period, averaged with the topic's global c-TF-IDF), without
    re-running the representation model per period (which made BERTopic's version take minutes).
    Periods (day/week/month/...) are chosen from the span so there are at most 100. `counts`, the
    fit's per-document word counts, saves tokenising the documents again.
    """
    from scipy import sparse
    from sklearn.preprocessing import normalize

    empty = pd.DataFrame(columns=["topic", "period", "words", "frequency"])
    dated = published.notna().to_numpy() & (np.asarray(topics) >= 0)
    if dated.sum() < 2 or model is None or getattr(model, "c_tf_idf_", None) is None:
        return empty
    ts = pd.to_datetime(published[dated], utc=True)
    period = choose_period(ts.min(), ts.max(), max_periods=100)
    starts = period_start(published[dated], period).dt.strftime("%Y-%m-%d").to_numpy()
    sub_topics = np.asarray(topics)[dated]
    if counts is not None and counts.matrix.shape[0] == len(docs):
        counts = counts.matrix[np.flatnonzero(dated)]
    else:
        counts = model.vectorizer_model.transform([d for d, keep in zip(docs, dated, strict=True) if keep])
    keys = pd.MultiIndex.from_arrays([sub_topics, starts])
    groups, uniques = pd.factorize(keys)
    indicator = sparse.csr_matrix(
        (np.ones(len(groups)), (groups, np.arange(len(groups)))), shape=(len(uniques), len(groups))
    )
    local = normalize(model.ctfidf_model.transform(indicator @ counts), norm="l1", axis=1)
    global_tfidf = normalize(model.c_tf_idf_, norm="l1", axis=1)
    # Row of each topic in BERTopic's c-TF-IDF matrix (outliers, when present, come first).
    offset = 1 if -1 in set(model.topics_) else 0
    words = np.asarray(model.vectorizer_model.get_feature_names_out())
    freq = np.bincount(groups, minlength=len(uniques))
    topic_rows = np.array([int(t) + offset for t, _ in uniques])
    local, global_tfidf = local.tocsr(), global_tfidf.tocsr()
    rows = []
    for lo_g in range(0, len(uniques), 256):  # in blocks: a topic's global row can hold thousands of words
        block = slice(lo_g, lo_g + 256)
        both = ((local[block] + global_tfidf[topic_rows[block]]) / 2).tocsr()  # only words either uses
        for j, (topic, start) in enumerate(uniques[block]):
            lo, hi = both.indptr[j], both.indptr[j + 1]
            top = both.indices[lo:hi][np.argsort(-both.data[lo:hi], kind="stable")[:top_n]]
            rows.append(
                {"topic": int(topic), "period": start, "words": ", ".join(words[top]), "frequency": int(freq[lo_g + j])}
            )
    return pd.DataFrame(rows).sort_values(["topic", "period"]).reset_index(drop=True)


def run_fit(
    store: Database,
    embedder: Embedder | None = None,
    params: TopicParams | None = None,
    progress: Progress | None = None,
    *,
    with_intel: bool = True,
    tone: ToneClassifier | None = None,
    entities: Any = None,
    sample: int | None = None,
    _fail_after_topics: bool = False,
) -> RunReport:
    """Full fit: embed what is not cached, fit topics, match them to the previous fit, persist; then tone,
    summaries, tags, stories and entities. tone and entities: the classifier and the entity tagger
    (analysis.enrich.entity_tagger.EntityTagger by default), injectable like the embedder. sample: fit the topics
    on at most this many articles (seeded); run_update then assigns the others to their nearest topic."""
    from analysis.config import settings

    report = RunReport(kind="full")
    t0 = time.perf_counter()
    if progress:
        progress(READING, 0, 1)
    # Without the per-article stages only the keyword documents need text: each text's lead is read, not the
    # whole (200,000 whole texts held 4 GB through UMAP); vectors not cached read their texts when embedded.
    lead = None if with_intel else KEYWORD_CHARS
    heads = store.fits.corpus_frame(with_text=False) if sample is not None else None
    if sample is not None and heads is not None and len(heads) > sample:
        picked = heads.sample(n=sample, random_state=settings().seed).sort_index()["id"].tolist()
        corpus = store.fits.rows_of(picked, lead_chars=lead)  # only the sample's texts are read
    else:
        corpus = store.fits.corpus_frame(lead_chars=lead)
    heads = None  # a million headlines need not stay through UMAP
    try:
        check_size(len(corpus))
    except TooFewArticles:
        # Too few for topics, but tone, summaries, tags and stories still work.
        if len(corpus):
            embedder = embedder or get_embedder()
            ids = corpus["id"].tolist()
            article_stages(store, report, embedder, ids, mode="full", tone=tone, entities=entities, progress=progress)
            regroup(store, report, embedder, progress=progress)
        raise
    parallel = embedder is None and tone is None and entities is None  # the default models: workers can load them
    embedder = embedder or get_embedder()
    report.timings["load"] = round(time.perf_counter() - t0, 2)
    if progress:
        progress(READING, 1, 1)
    if with_intel:  # the stages embed what is not cached, with the rest of each batch
        article_stages(
            store,
            report,
            embedder,
            corpus["id"].tolist(),
            mode="full",
            tone=tone,
            entities=entities,
            progress=progress,
            corpus=corpus,
            parallel=parallel,
        )
    t = time.perf_counter()
    embeddings, n_new = _embed(store, embedder, corpus, progress)
    n_new += report.done.get("embeddings", 0)
    report.embedded, report.cached, report.articles = n_new, len(corpus) - n_new, len(corpus)
    report.timings["embed"] = round(time.perf_counter() - t, 2) + report.timings.get("embeddings", 0.0)
    docs = keyword_docs(corpus)
    corpus = corpus.drop(columns=["lead"], errors="ignore")

    def step(name: str, done: bool) -> None:
        if progress:
            progress(TOPIC_STEPS.get(name, name), int(done), 1)

    result = fit_topics(docs, embeddings, embedder, params, step=step, vectors=text_vectors(store, embedder, "keyword"))
    report.timings.update(result.timings)
    t = time.perf_counter()
    previous = store.active_fit
    if previous is not None:
        old = store.fits.topic_centroids(previous)
        lineage = match_topics(result.centroids, old, int(store.meta("next_topic_id", "0")))
    else:
        ids = sorted(result.centroids)
        lineage = Lineage(
            mapping={i: i for i in ids},
            events=[{"event": "born", "topic": i, "previous": [], "similarity": None} for i in ids],
            next_id=(max(ids) + 1) if ids else 0,
        )
    wot = words_over_time(result.model, docs, result.topics, corpus["published"], counts=result.counts)
    result.counts = None
    report.timings["over_time"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    model_path = store.fits.save_model(result.model)
    report.fit_id = store.fits.save_fit(
        result=result,
        corpus=corpus,
        lineage=lineage,
        theme_ids=stable_theme_ids(store, result.theme_set),
        embedding_model=embedder.name,
        model_path=model_path,
        words_over_time=wot,
        timings=report.timings,
        fail_after_topics=_fail_after_topics,
    )
    report.timings["save"] = round(time.perf_counter() - t, 2)
    if with_intel:  # the vectors made above flow on to the stories
        regroup(store, report, embedder, progress=progress, corpus=corpus, vectors=embeddings)
    index_vectors(store, embedder.name, report, progress)
    report.timings["total"] = round(time.perf_counter() - t0, 2)
    report.topics = len(result.sizes)
    report.outlier_share = result.outlier_share
    topic_seconds = sum(result.timings.values()) + report.timings["over_time"] + report.timings["save"]
    store.outputs.record_rate("topics", len(corpus), topic_seconds)
    if previous is not None:
        for e in lineage.events:
            report.lineage[e["event"]] = report.lineage.get(e["event"], 0) + 1
    return report


def run_update(
    store: Database,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    *,
    with_intel: bool = True,
    tone: ToneClassifier | None = None,
    entities: Any = None,
) -> RunReport:
    """Assign topics to articles added since the last fit, by nearest topic centroid (no refit); every per-article
    stage for the articles that lack its output (the new ones; every article for a stage added or changed since),
    and stories and entities regrouped. The stages embed the new articles, so their texts are read once."""
    report = RunReport(kind="update")
    t0 = time.perf_counter()
    if progress:
        progress(READING, 0, 1)
    fit = store.fits.active_fit_row()
    fit_id = int(fit["id"])
    new = store.fits.corpus_frame(unassigned_in=fit_id, with_text=False)
    report.articles = len(new)
    default_models = embedder is None and tone is None and entities is None
    if embedder is None:
        embedder = get_embedder(fit["embedding_model"]) if len(new) else _LazyEmbedder(fit["embedding_model"])
    if progress:
        progress(READING, 1, 1)
    if with_intel:  # with no new article, a stage added or changed since still fills in for the articles it lacks
        article_stages(
            store,
            report,
            embedder,
            store.fits.corpus_ids(),
            mode="update",
            tone=tone,
            entities=entities,
            progress=progress,
            parallel=default_models,
        )
        if len(new) or any(report.done.values()):
            regroup(store, report, embedder, progress=progress)
    if new.empty:
        report.timings["total"] = round(time.perf_counter() - t0, 2)
        return report
    t = time.perf_counter()
    if progress:
        progress("placing new articles in topics", 0, 1)
    vectors, embedded = _embed(store, embedder, new, progress)  # cached by the stages when they ran
    report.embedded = report.done.get("embeddings", 0) + embedded
    report.timings["embed"] = round(time.perf_counter() - t, 2) + report.timings.get("embeddings", 0.0)
    t = time.perf_counter()
    centroids = store.fits.topic_centroids(fit_id)
    threshold = float(fit["params"].get("outlier_threshold", 0.3))
    topics, sims = nearest_topic(vectors, centroids, threshold)
    coords = _place(store, fit_id, embedder.name, vectors)
    placed = zip(new["id"], topics, sims, coords, strict=True)
    store.fits.add_assignments(fit_id, [(a, tp, s, xy[0], xy[1]) for a, tp, s, xy in placed])
    report.assigned = int((topics >= 0).sum())
    report.timings["assign"] = round(time.perf_counter() - t, 2)
    if progress:
        progress("placing new articles in topics", 1, 1)
    index_vectors(store, embedder.name, report, progress)
    report.timings["total"] = round(time.perf_counter() - t0, 2)
    return report


class _LazyEmbedder:
    """The fit's embedder, loaded only when a stage needs new vectors: an update with no new article reads its name
    alone (to see that every vector is cached)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._model: Any = None

    def __getattr__(self, attr: str) -> Any:
        if self._model is None:
            self._model = get_embedder(self.name)
        return getattr(self._model, attr)


def article_stages(
    store: Database,
    report: RunReport,
    embedder: Embedder,
    ids: list[str],
    *,
    mode: Mode,
    tone: ToneClassifier | None = None,
    entities: Any = None,
    progress: Progress | None = None,
    corpus: pd.DataFrame | None = None,
    parallel: bool = False,
) -> None:
    """Every per-article stage (analysis.pipeline.stages.STAGES) for the articles that lack its output. With
    parallel (the default models, a store other processes can open) and enough to do, the stages that run by
    batch run in one worker process per core; tags, weighed against each other, run here after them."""
    ctx = Context(store, Models(embedder, tone, entities), mode=mode)
    t = time.perf_counter()
    by_batch = [s for s in STAGES if not s.whole]
    workers = 1
    if parallel and store.path != ":memory:":
        prepare(ctx, by_batch)
        workers = workers_for(max((len(s.todo(ctx, ids)) for s in by_batch), default=0))
    if workers > 1:
        report.timings.update(run_in_workers(ctx, by_batch, ids, workers, progress))
        report.timings.update(run_stages(ctx, [s for s in STAGES if s.whole], ids, progress, corpus=corpus))
    else:
        report.timings.update(run_stages(ctx, STAGES, ids, progress, corpus=corpus))
    report.timings["all stages"] = round(time.perf_counter() - t, 2)
    report.done = dict(ctx.counts)
    store.outputs.record_rate("stages", max(report.done.values(), default=0), report.timings["all stages"])
    report.workers = workers


def regroup(
    store: Database,
    report: RunReport,
    embedder: Embedder,
    *,
    progress: Progress | None = None,
    corpus: pd.DataFrame | None = None,
    vectors: np.ndarray | None = None,
) -> None:
    """Stories regrouped (from corpus and its vectors when both are given, else from the cache) and entities
    regrouped from the stored mentions."""
    t = time.perf_counter()
    if progress:
        progress("stories", 0, 1)
    whole = vectors is not None and corpus is not None
    report.stories = regroup_stories(
        store, embedder, corpus=corpus if whole else None, vectors=vectors if whole else None
    )
    report.stories_across = store.stories.count(min_outlets=2)
    report.timings["stories"] = round(time.perf_counter() - t, 2)
    if progress:
        progress("stories", 1, 1)
    if progress:
        progress("grouping names", 0, 1)
    found = group_entities(store)
    if progress:
        progress("grouping names", 1, 1)
    report.timings.update(found["timings"])
    report.entities = int(found["entities"])
    corpus_seconds = time.perf_counter() - t
    store.outputs.record_rate("corpus", store.count(), corpus_seconds)


def stable_theme_ids(store: Database, themes: Themes | None) -> Lineage | None:
    """The stable id of each new theme: matched to the active fit's themes by centroid (so renamed themes keep
    their names), new ids for the rest; None when there are no themes."""
    if not themes or not themes.centroids:
        return None
    old = store.fits.theme_centroids(store.active_fit)
    return match_topics(themes.centroids, old, int(store.meta("next_theme_id", "0") or 0), threshold=0.9)


def backfill_themes(store: Database) -> int:
    """Themes for an active fit made before themes existed, from its stored topics (no refit). Returns how many
    themes were made (0 when the fit has them already or there is no fit)."""
    found = store.fits.topics_without_themes()
    if found is None:
        return 0
    fit_id, cents, sizes, keywords = found
    themes = build_themes(cents, sizes, keywords)
    ids = stable_theme_ids(store, themes)
    if ids is None:
        return 0
    store.fits.add_themes(fit_id, themes, ids)
    return len(ids.mapping)


def catch_up(store: Database, progress: Progress | None = None) -> list[str]:
    """What a store that has its topics still lacks from this version of the pipeline, done without a refit:
    a stage added or changed since (its output for every article), stories regrouped with the current rules,
    themes for a fit made before them. Returns a line for each thing done."""
    done = []
    model = str(store.fits.active_fit_row()["embedding_model"])
    ctx = Context(store, Models(), mode="update")
    ids = store.fits.corpus_ids()
    checked = [s for s in STAGES if not s.cache]  # caches are filled by the steps that read them
    prepare(ctx, checked)  # a stage whose code changed starts again
    if any(stage.todo(ctx, ids) for stage in checked):
        report = RunReport(kind="update")
        embedder = get_embedder(model)
        article_stages(store, report, embedder, ids, mode="update", progress=progress, parallel=True)
        regroup(store, report, embedder, progress=progress)
        made = ", ".join(f"{k} {v:,}" for k, v in report.done.items() if v)
        done.append(f"Brought every article up to date ({made}); {report.stories:,} stories.")
    elif store.meta("stories_stale"):  # stories grouped by an older version: first places, lags
        n = regroup_stories(store, get_embedder(model))
        done.append(f"Stories regrouped with this version's rules for who was first: {n:,} stories.")
    if made_themes := backfill_themes(store):
        done.append(f"Grouped the current topics into {made_themes} themes.")
    return done


def index_vectors(store: Database, model: str, report: RunReport, progress: Progress | None = None) -> None:
    """Bring the store's nearest-neighbour index of article vectors up to date (PostgreSQL with pgvector;
    nothing on SQLite), timed in the report."""
    t = time.perf_counter()
    if store.vectors.index_for_search(model, progress) is not None:
        report.timings["vector_index"] = round(time.perf_counter() - t, 2)


PLACE_REFERENCE = 20_000  # placed articles new ones are placed against, at most (a seeded sample beyond)


def _place(store: Database, fit_id: int, model: str, vectors: np.ndarray, k: int = 10) -> np.ndarray:
    """2-D map positions for new articles: the similarity-weighted mean of their k nearest placed ones (among
    a seeded sample of PLACE_REFERENCE placed articles on big stores: 800,000 new articles against 200,000
    placed ones would take half an hour; the map is a picture, and 20,000 neighbours place it as well)."""
    xy, mat = store.fits.placed_vectors(fit_id, model)
    if not len(xy):
        return np.zeros((len(vectors), 2))
    if len(xy) > PLACE_REFERENCE:
        keep = np.sort(np.random.default_rng(0).choice(len(xy), PLACE_REFERENCE, replace=False))
        xy, mat = xy[keep], mat[keep]
    out = np.zeros((len(vectors), 2), dtype=np.float32)
    for start in range(0, len(vectors), 1024):
        sims = vectors[start : start + 1024] @ mat.T
        kk = min(k, mat.shape[0])
        top = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        w = np.clip(np.take_along_axis(sims, top, axis=1), 1e-3, None)
        out[start : start + 1024] = (xy[top] * w[..., None]).sum(axis=1) / w.sum(axis=1, keepdims=True)
    return out
