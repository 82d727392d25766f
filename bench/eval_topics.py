"""Topic quality against gold labels: our pipeline vs plain BERTopic with the same embeddings.

Corpus: the shipped demo (8,000 AllSides articles; gold label = the AllSides topic, ~100 classes),
and a 2,000-article sample of it. Metrics: NMI and ARI against the gold topics (outliers count as
their own class, as a user sees them), outlier share, topic count, topic diversity (unique share of
top-10 words) and NPMI coherence of the top-10 words over the corpus's documents. Also: the same
seed twice, and what to embed (headline only / headline + lead / headline + 200 words).
"""

from __future__ import annotations

import json
import tempfile
import time
import warnings
from itertools import combinations
from pathlib import Path

import numpy as np

from bench.common import report


def npmi_coherence(topic_words: list[list[str]], docs: list[str]) -> float:
    """Mean NPMI of top-word pairs, by document co-occurrence (stop words removed, uni+bigrams)."""
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer(binary=True, ngram_range=(1, 2), stop_words="english", min_df=2)
    d = vec.fit_transform(docs).tocsc()
    vocab = vec.vocabulary_
    n = d.shape[0]
    scores = []
    for words in topic_words:
        cols = [vocab[w] for w in words[:10] if w in vocab]
        pair_scores = []
        for a, b in combinations(cols, 2):
            da, db = d[:, a], d[:, b]
            pa, pb = da.sum() / n, db.sum() / n
            pab = da.multiply(db).sum() / n
            if pab == 0:
                pair_scores.append(-1.0)
                continue
            pair_scores.append(np.log(pab / (pa * pb)) / -np.log(pab))
        if pair_scores:
            scores.append(float(np.mean(pair_scores)))
    return float(np.mean(scores)) if scores else float("nan")


def diversity(topic_words: list[list[str]]) -> float:
    words = [w for ws in topic_words for w in ws[:10]]
    return len(set(words)) / len(words) if words else 0.0


def scores(name: str, topics: np.ndarray, gold: np.ndarray, words: list[list[str]], docs: list[str], secs: float):
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    return {
        "pipeline": name,
        "articles": len(topics),
        "topics": len(set(topics.tolist()) - {-1}),
        "outliers": round(float(np.mean(topics == -1)), 4),
        "NMI": round(normalized_mutual_info_score(gold, topics), 4),
        "ARI": round(adjusted_rand_score(gold, topics), 4),
        "diversity": round(diversity(words), 3),
        "NPMI": round(npmi_coherence(words, docs), 4),
        "fit_s": round(secs, 1),
    }


def run() -> None:
    warnings.filterwarnings("ignore")
    import logging

    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    from bertopic import BERTopic
    from umap import UMAP

    from analysis.demo import load_demo
    from analysis.embeddings import embed_articles, embedding_text, get_embedder
    from analysis.pipeline import keyword_docs
    from analysis.store import Store
    from analysis.topic_store import corpus_frame
    from analysis.topics import TopicParams, bertopic_backend, fit_topics

    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "demo.db")
        load_demo(store)
        corpus = corpus_frame(store)
        extra_by_id = {r[0]: json.loads(r[1]) for r in store.conn.execute("SELECT id, extra FROM articles")}
        extras = [extra_by_id[i] for i in corpus["id"]]
        gold_all = np.array([e.get("allsides_topic", "") for e in extras])
        embedder = get_embedder()
        texts = [embedding_text(t, x) for t, x in zip(corpus.title, corpus.text, strict=True)]
        emb_all, _ = embed_articles(store, embedder, corpus.content_hash.tolist(), texts)
        docs_all = keyword_docs(corpus)
        rng = np.random.default_rng(0)
        sample = np.sort(rng.choice(len(corpus), 2000, replace=False))
        for label, idx in (("demo 8k", np.arange(len(corpus))), ("demo 2k sample", sample)):
            docs = [docs_all[i] for i in idx]
            emb, gold = emb_all[idx], gold_all[idx]
            t = time.perf_counter()
            ours = fit_topics(docs, emb, embedder)
            secs = time.perf_counter() - t
            words = [[w for w, _ in ours.keywords[k]] for k in sorted(ours.keywords)]
            rows.append({"corpus": label, **scores("ours", ours.topics, gold, words, docs, secs)})
            print(rows[-1], flush=True)
            if label == "demo 8k":
                again = fit_topics(docs, emb, embedder)
                same = bool(np.array_equal(again.topics, ours.topics))
                notes.append(f"same seed twice on {label}: identical assignments = {same}")
                t = time.perf_counter()
                kb = fit_topics(docs, emb, embedder, TopicParams(representation="keybert+mmr"))
                secs = time.perf_counter() - t
                kw = [[w for w, _ in kb.keywords[k]] for k in sorted(kb.keywords)]
                rows.append({"corpus": label, **scores("ours, KeyBERTInspired + MMR keywords", kb.topics, gold, kw,
                                                        docs, secs)})  # fmt: skip
                print(rows[-1], flush=True)
            t = time.perf_counter()
            plain = BERTopic(
                embedding_model=bertopic_backend(embedder),
                umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42),
            )
            plain_topics, _ = plain.fit_transform(docs, embeddings=emb)
            secs = time.perf_counter() - t
            pw = [[w for w, _ in (plain.get_topic(k) or [])] for k in sorted(set(plain_topics) - {-1})]
            rows.append({"corpus": label, **scores("plain BERTopic", np.asarray(plain_topics), gold, pw, docs, secs)})
            print(rows[-1], flush=True)
        # What to embed, on the 2k sample: NMI of our pipeline for three inputs.
        docs = [docs_all[i] for i in sample]
        gold = gold_all[sample]
        sub = corpus.iloc[sample]
        for name, lead in (("headline only", 0), ("headline + 200 words", 200)):
            t = time.perf_counter()
            variant = embedder.encode([embedding_text(a, b, lead) for a, b in zip(sub.title, sub.text, strict=True)])
            embed_s = time.perf_counter() - t
            res = fit_topics(docs, variant, embedder)
            row = scores(f"ours, embeds {name}", res.topics, gold, [[w for w, _ in res.keywords[k]]
                         for k in sorted(res.keywords)], docs, 0.0)  # fmt: skip
            row["embed_per_s"] = round(len(sample) / embed_s, 1)
            rows.append({"corpus": "demo 2k sample", **row})
            print(rows[-1], flush=True)
    notes.append("gold labels: the AllSides topic of each demo article; plain BERTopic gets the same embeddings "
                 "(headline + 60-word lead) and a seeded UMAP, everything else default")  # fmt: skip
    notes.append("targets: NMI >= plain + 0.05, outliers < 10%, >= 10 topics at 2,000 articles")
    report("topics_quality", rows, notes)


if __name__ == "__main__":
    run()
