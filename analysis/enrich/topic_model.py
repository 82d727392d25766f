"""BERTopic topic modelling tuned for news: seeded UMAP + HDBSCAN run here, outliers reassigned by
centroid similarity, then BERTopic's c-TF-IDF with keywords re-picked for coherence (analysis/enrich/keywords.py),
and themes above the topics (analysis/enrich/themes.py).

Everything here works on arrays and lists; the pipeline stores a fit (analysis.store.fits, analysis.store.topics).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from analysis.config import MIN_ARTICLES_FOR_TOPICS, settings
from analysis.enrich.labels import case_map, make_labels
from analysis.enrich.themes import Themes, build_themes
from analysis.errors import BadInput
from analysis.lifetime import joblib_workers_end_with_this_process
from analysis.terms import analyze


class TooFewArticles(BadInput):
    """The corpus is too small for topic modelling; the message says how many are needed."""


@dataclass
class TopicParams:
    """Fit parameters. Those left None adapt to the corpus size (see for_size)."""

    seed: int = field(default_factory=lambda: settings().seed)
    n_neighbors: int = 15
    n_components: int = 5
    min_cluster_size: int | None = None
    min_samples: int | None = None
    cluster_selection_method: str = "eom"
    outlier_threshold: float = 0.30
    top_n_words: int = 10
    mmr_diversity: float = 0.2
    # c-TF-IDF candidates re-picked for co-occurrence (analysis/enrich/keywords.py); or "mmr", "keybert+mmr", "ctfidf"
    representation: str = "coherent"

    def for_size(self, n: int) -> TopicParams:
        """A copy with size-dependent values filled in."""
        p = TopicParams(**asdict(self))
        if p.min_cluster_size is None:
            # 11 at 2k articles, 22 at 8k, 48 at 37k; chosen on bench/eval_topics.py's table of several
            # labelled corpora: smaller topics fragmented a corpus (85 topics for 2,000 articles of five
            # sections), larger ones cost purity. Themes give the coarse level above.
            p.min_cluster_size = max(10, round(math.sqrt(n) / 4))
        if p.min_samples is None:
            p.min_samples = max(2, p.min_cluster_size // 2)
        p.n_neighbors = min(p.n_neighbors, max(2, n - 1))
        return p


@dataclass
class FitResult:
    """What a fit produced, aligned with the input documents."""

    topics: np.ndarray  # topic per document (-1 = unassigned)
    probabilities: np.ndarray  # cosine similarity to the assigned topic's centroid
    coords: np.ndarray  # 2-D map coordinates, shape (n, 2)
    keywords: dict[int, list[tuple[str, float]]]
    labels: dict[int, str]
    centroids: dict[int, np.ndarray]
    sizes: dict[int, int]
    params: TopicParams
    model: Any = None  # the fitted BERTopic instance (c-TF-IDF, vectorizer, representations)
    counts: DocumentCounts | None = None  # per-document word counts (reused for words per period)
    timings: dict[str, float] = field(default_factory=dict)
    theme_set: Themes | None = None  # the themes above the topics
    mixed: set[int] = field(default_factory=set)  # topics whose articles share no subject (labelled "Mixed: ...")

    @property
    def themes(self) -> np.ndarray:
        """The theme of each document (-1 for unassigned)."""
        of = self.theme_set.of_topic if self.theme_set else {}
        return np.array([of.get(int(t), -1) for t in self.topics], dtype=np.int64)

    @property
    def outlier_share(self) -> float:
        return float(np.mean(self.topics == -1)) if len(self.topics) else 0.0


def check_size(n: int) -> None:
    if n < MIN_ARTICLES_FOR_TOPICS:
        raise TooFewArticles(
            f"Topic modelling needs at least {MIN_ARTICLES_FOR_TOPICS} articles with text; this store has {n}. "
            "Import more articles, then run fit again."
        )


def reduce(embeddings: np.ndarray, params: TopicParams) -> tuple[np.ndarray, np.ndarray]:
    """Seeded UMAP to params.n_components dimensions for clustering, and to 2-D for the map."""
    import warnings

    from umap import UMAP

    warnings.filterwarnings("ignore", message=".*(n_jobs value|knn_search_index).*", category=UserWarning)
    n = len(embeddings)
    reducer = UMAP(
        n_neighbors=params.n_neighbors,
        n_components=min(params.n_components, max(2, n - 2)),
        min_dist=0.0,
        metric="cosine",
        random_state=params.seed,
        low_memory=True,
    )
    cluster_space = reducer.fit_transform(embeddings)
    # The map reuses the first run's nearest-neighbour graph (3x faster than a second neighbour search
    # at 37k articles); only the 2-D layout is optimised again.
    knn = getattr(reducer, "_knn_indices", None)
    coords = UMAP(
        n_neighbors=params.n_neighbors,
        n_components=2,
        min_dist=0.1,
        metric="cosine",
        random_state=params.seed,
        low_memory=True,
        n_epochs=100 if n > 10_000 else None,  # a display: half UMAP's 200 epochs suffice
        **({"precomputed_knn": (knn, reducer._knn_dists, None)} if knn is not None else {}),
    ).fit_transform(embeddings)
    return cluster_space.astype(np.float32), coords.astype(np.float32)


def cluster(reduced: np.ndarray, params: TopicParams) -> np.ndarray:
    """HDBSCAN labels, topics renumbered by size (0 = largest), -1 = noise. Its worker processes (for more than
    16,384 points) end with this process."""
    from hdbscan import HDBSCAN

    with joblib_workers_end_with_this_process():
        labels = HDBSCAN(
            min_cluster_size=params.min_cluster_size,
            min_samples=params.min_samples,
            metric="euclidean",
            cluster_selection_method=params.cluster_selection_method,
            prediction_data=False,
        ).fit_predict(reduced)
    return renumber_by_size(labels)


def renumber_by_size(labels: np.ndarray) -> np.ndarray:
    ids, counts = np.unique(labels[labels >= 0], return_counts=True)
    order = ids[np.argsort(-counts, kind="stable")]
    mapping = {int(old): new for new, old in enumerate(order)}
    return np.array([mapping.get(int(x), -1) for x in labels], dtype=np.int64)


def centroids_of(embeddings: np.ndarray, topics: np.ndarray) -> dict[int, np.ndarray]:
    """Unit-length mean embedding of each topic."""
    out = {}
    for t in np.unique(topics[topics >= 0]):
        c = embeddings[topics == t].mean(axis=0)
        out[int(t)] = c / (np.linalg.norm(c) or 1.0)
    return out


def nearest_topic(
    embeddings: np.ndarray, centroids: dict[int, np.ndarray], threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """The most similar centroid for each vector, or -1 below the threshold; with the similarity."""
    if not centroids or len(embeddings) == 0:
        return np.full(len(embeddings), -1), np.zeros(len(embeddings))
    ids = np.array(list(centroids))
    mat = np.stack([centroids[i] for i in ids])
    sims = embeddings @ mat.T
    best = sims.argmax(axis=1)
    best_sim = sims[np.arange(len(embeddings)), best]
    return np.where(best_sim >= threshold, ids[best], -1), best_sim


def reassign_outliers(embeddings: np.ndarray, topics: np.ndarray, threshold: float) -> np.ndarray:
    """Give unassigned documents the nearest topic centroid when their similarity reaches the threshold."""
    nearest, _ = nearest_topic(embeddings, centroids_of(embeddings, topics), threshold)
    return np.where(topics >= 0, topics, nearest)


def bertopic_backend(embedder: Any, vectors: Callable[[list[str]], np.ndarray] | None = None):
    """Our Embedder behind BERTopic's backend interface (used by KeyBERTInspired and MMR).

    Texts are remembered, and `prefetch` embeds many at once; `vectors` (e.g. the store's cache)
    replaces the embedder for texts not seen yet."""
    from bertopic.backend import BaseEmbedder

    class Backend(BaseEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self.memo: dict[str, np.ndarray] = {}

        def prefetch(self, texts: Sequence[str]) -> None:
            todo = list(dict.fromkeys(t for t in texts if t not in self.memo))
            if todo:
                found = vectors(todo) if vectors is not None else embedder.encode(todo)
                self.memo.update(zip(todo, found, strict=True))

        def embed(self, documents: list[str], verbose: bool = False) -> np.ndarray:
            documents = list(documents)
            self.prefetch(documents)
            return np.stack([self.memo[d] for d in documents]) if documents else np.zeros((0, embedder.dim))

    return Backend()


def _batched_mmr(diversity: float, top_n_words: int):
    """BERTopic's MMR with every topic's candidate words embedded in one batch (cached) up front,
    instead of two model calls per topic."""
    from bertopic.representation import MaximalMarginalRelevance

    class BatchedMMR(MaximalMarginalRelevance):
        def extract_topics(self, topic_model, documents, c_tf_idf, topics):
            backend = topic_model.embedding_model
            if hasattr(backend, "prefetch"):
                words = [[w for w, _ in ws] for ws in topics.values()]
                backend.prefetch([w for ws in words for w in ws] + [" ".join(ws) for ws in words])
            return super().extract_topics(topic_model, documents, c_tf_idf, topics)

    return BatchedMMR(diversity=diversity, top_n_words=top_n_words)


class DocumentCounts:
    """Each keyword document tokenised once: BERTopic's per-topic counts are sums of these rows,
    and the words-per-period stage reuses them (before, the corpus was tokenised twice)."""

    def __init__(self, docs: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import CountVectorizer

        self.vectorizer = CountVectorizer(analyzer=analyze, min_df=1)
        self.matrix = self.vectorizer.fit_transform(docs).tocsr()

    def by_group(self, groups: np.ndarray) -> Any:
        """Summed counts per group, groups in sorted order (rows of `groups` align with the docs)."""
        from scipy import sparse

        keys, inverse = np.unique(np.asarray(groups), return_inverse=True)
        indicator = sparse.csr_matrix(
            (np.ones(len(inverse)), (inverse, np.arange(len(inverse)))), shape=(len(keys), len(inverse))
        )
        return (indicator @ self.matrix).tocsr()


def build_bertopic(embedder: Any, params: TopicParams, counts: DocumentCounts | None = None, vectors: Any = None):
    """BERTopic that takes our clusters as given and computes c-TF-IDF and keyword representations.

    With `counts`, c-TF-IDF uses the documents' precomputed counts instead of tokenising the corpus."""
    from bertopic import BERTopic
    from bertopic.cluster import BaseCluster
    from bertopic.dimensionality import BaseDimensionalityReduction
    from bertopic.representation import KeyBERTInspired
    from bertopic.vectorizers import ClassTfidfTransformer
    from sklearn.feature_extraction.text import CountVectorizer

    class NewsBERTopic(BERTopic):
        ctfidf_model: Any
        vectorizer_model: Any

        def _extract_topics(self, documents, *args, **kwargs):
            if counts is not None:
                self._topic_counts = counts.by_group(documents["Topic"].to_numpy()[np.argsort(documents["ID"])])
            try:
                return super()._extract_topics(documents, *args, **kwargs)
            finally:
                self._topic_counts = None

        def _c_tf_idf(self, documents_per_topic, fit=True, partial_fit=False):
            pre = getattr(self, "_topic_counts", None)
            if counts is None or pre is None or not fit or partial_fit or pre.shape[0] != len(documents_per_topic):
                return super()._c_tf_idf(documents_per_topic, fit=fit, partial_fit=partial_fit)
            self.vectorizer_model = counts.vectorizer
            self.ctfidf_model = self.ctfidf_model.fit(pre)
            return self.ctfidf_model.transform(pre), self.vectorizer_model.get_feature_names_out()

        def _save_representative_docs(self, documents):
            # We pick representative articles ourselves (closest to the centroid, one per outlet);
            # BERTopic's pass re-tokenises up to 500 documents per topic.
            self.representative_docs_ = {}

    # BERTopic fits this on one joined document per topic, so min_df counts topics: 1 keeps words that
    # only one topic uses (often its best keywords); c-TF-IDF's frequent-word reduction handles the rest.
    vectorizer = counts.vectorizer if counts is not None else CountVectorizer(analyzer=analyze, min_df=1)
    representation: Any = None
    if params.representation == "keybert+mmr":
        representation = [
            KeyBERTInspired(top_n_words=30, random_state=params.seed),
            _batched_mmr(params.mmr_diversity, params.top_n_words),
        ]
    elif params.representation == "mmr":
        representation = _batched_mmr(params.mmr_diversity, params.top_n_words)
    elif params.representation == "coherent" and counts is not None:
        from analysis.enrich.keywords import coherent_representation

        representation = coherent_representation(counts, params.top_n_words)
    return NewsBERTopic(
        embedding_model=bertopic_backend(embedder, vectors) if embedder is not None else None,
        umap_model=BaseDimensionalityReduction(),
        hdbscan_model=BaseCluster(),
        vectorizer_model=vectorizer,
        ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True, bm25_weighting=True),
        representation_model=representation,
        top_n_words=params.top_n_words,
        calculate_probabilities=False,
        verbose=False,
    )


def fit_topics(
    docs: Sequence[str],
    embeddings: np.ndarray,
    embedder: Any,
    params: TopicParams | None = None,
    step: Callable[[str, bool], None] | None = None,
    vectors: Callable[[list[str]], np.ndarray] | None = None,
) -> FitResult:
    """Fit topics on documents (text for keywords) and their embeddings (for clustering).

    `vectors` embeds keywords (e.g. through the store's cache); by default the embedder does."""
    check_size(len(docs))
    params = (params or TopicParams()).for_size(len(docs))
    timings: dict[str, float] = {}

    def mark(name: str, t0: float, then: str | None = None) -> float:
        """Time the step that ends (step(name, True)) and say which starts (step(then, False))."""
        timings[name] = round(time.perf_counter() - t0, 2)
        if step:
            step(name, True)
            if then:
                step(then, False)
        return time.perf_counter()

    if step:
        step("umap", False)
    t = time.perf_counter()
    reduced, coords = reduce(embeddings, params)
    t = mark("umap", t, "hdbscan")
    topics = cluster(reduced, params)
    if (topics >= 0).sum() == 0:
        topics = np.zeros(len(docs), dtype=np.int64)  # one topic rather than none
    t = mark("hdbscan", t, "outliers")
    topics = reassign_outliers(embeddings, topics, params.outlier_threshold)
    t = mark("outliers", t, "representation")
    counts = DocumentCounts(docs)
    model = build_bertopic(embedder, params, counts=counts, vectors=vectors)
    model.fit(list(docs), embeddings=embeddings, y=topics)
    # BERTopic may renumber topics by size; its numbering is the one its keywords use.
    topics = np.asarray(model.topics_, dtype=np.int64)
    cents = centroids_of(embeddings, topics)
    sim = np.array([float(embeddings[i] @ cents[int(t)]) if t >= 0 else 0.0 for i, t in enumerate(topics)])
    t = mark("representation", t, "themes")
    keywords: dict[int, list[tuple[str, float]]] = {}
    for topic_id in sorted(set(int(x) for x in topics) - {-1}):
        words = model.get_topic(topic_id) or []
        keywords[topic_id] = [(w, float(s)) for w, s in words if w]
    cases = case_map(docs)
    sizes = {int(k): int(v) for k, v in zip(*np.unique(topics[topics >= 0], return_counts=True), strict=True)}
    labels = make_labels(keywords, cases=cases)
    mixed = find_mixed(topics, sim, keywords, counts)
    for topic_id in mixed:  # shown as what they are; a user can merge or rename them
        labels[topic_id] = f"Mixed: {labels[topic_id]}"
    themes = build_themes(cents, sizes, keywords, cases=cases)
    mark("themes", t)
    return FitResult(
        topics=topics,
        probabilities=sim,
        coords=coords,
        keywords=keywords,
        labels=labels,
        centroids=cents,
        sizes=sizes,
        params=params,
        model=model,
        counts=counts,
        timings=timings,
        theme_set=themes,
        mixed=mixed,
    )


def find_mixed(
    topics: np.ndarray, sims: np.ndarray, keywords: dict[int, list[tuple[str, float]]], counts: DocumentCounts
) -> set[int]:
    """The topics analysis.enrich.keywords.mixed_topics calls mixed, from cohesion and keyword co-occurrence."""
    from analysis.enrich.keywords import mixed_topics, topic_coherence

    binary = (counts.matrix > 0).astype(np.float32).tocsc()
    vocabulary = counts.vectorizer.vocabulary_
    cohesion = {t: float(sims[topics == t].mean()) for t in keywords if (topics == t).any()}
    coherence = {t: topic_coherence([w for w, _ in words], binary, vocabulary) for t, words in keywords.items()}
    return mixed_topics(cohesion, coherence)
