"""Topic quality on several labelled corpora: our pipeline against plain BERTopic with the same embeddings,
in the same run.

For each corpus (bench/topic_corpora.py): topics, themes, NMI/ARI against the gold labels at the topic
level and at the theme level (against the coarse gold labels where a corpus has them), homogeneity and
completeness, NPMI coherence and diversity of the top-10 words, unassigned share, fit time.

NPMI is measured as the BERTopic paper's evaluation does: gensim's CoherenceModel(coherence="c_npmi",
topn=10) with the corpus's own tokenised documents as reference texts and dictionary; diversity is the
share of unique words among all topics' top-10 words. Both models' keywords are split into single
words with one tokeniser (scikit-learn's default token pattern, the one plain BERTopic uses), so a
phrase keyword counts as its words.

    python -m bench.eval_topics                      # every corpus that is present, except allsides-full
    python -m bench.eval_topics --corpora reuters,intl --set min_cluster_size=12
    python -m bench.eval_topics --full               # also the 37,554-article AllSides corpus
"""

from __future__ import annotations

import argparse
import hashlib
import re
import time
import warnings
from dataclasses import fields
from typing import Any

import numpy as np

from bench.common import report
from bench.topic_corpora import CACHE, LOADERS, Corpus

TOKEN = re.compile(r"(?u)\b\w\w+\b")


def top_words(keywords: list[str], n: int = 10) -> list[str]:
    """The first n distinct single words of a topic's keywords (phrases split into their words)."""
    out: list[str] = []
    for k in keywords:
        for w in TOKEN.findall(k.lower()):
            if w not in out:
                out.append(w)
            if len(out) == n:
                return out
    return out


def npmi(topics: list[list[str]], tokenised: list[list[str]], dictionary: Any = None) -> float:
    """gensim's c_npmi (window 10) of each topic's top-10 words over the reference texts, averaged."""
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    dictionary = dictionary or Dictionary(tokenised)
    known = [[w for w in ws if w in dictionary.token2id] for ws in topics]
    known = [ws for ws in known if len(ws) >= 2]
    if not known:
        return float("nan")
    cm = CoherenceModel(topics=known, texts=tokenised, dictionary=dictionary, coherence="c_npmi", topn=10, processes=1)
    return float(cm.get_coherence())


def diversity(topics: list[list[str]]) -> float:
    words = [w for ws in topics for w in ws[:10]]
    return len(set(words)) / len(words) if words else 0.0


def label_scores(gold: list[str] | None, pred: np.ndarray, prefix: str = "") -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, homogeneity_completeness_v_measure, normalized_mutual_info_score

    if gold is None:
        return {}
    h, c, _ = homogeneity_completeness_v_measure(gold, pred)
    return {
        f"{prefix}NMI": round(normalized_mutual_info_score(gold, pred), 3),
        f"{prefix}ARI": round(adjusted_rand_score(gold, pred), 3),
        **({"homog": round(h, 3), "compl": round(c, 3)} if not prefix else {}),
    }


def embeddings_for(corpus: Corpus, embedder: Any) -> np.ndarray:
    """Vectors of what the product embeds for each article, cached per corpus and text."""
    from analysis.enrich.embeddings import embedding_text

    if corpus.vectors is not None:
        return np.asarray(corpus.vectors, dtype=np.float32)
    texts = [embedding_text(t, x) for t, x in zip(corpus.titles, corpus.texts, strict=True)]
    digest = hashlib.sha1((embedder.name + "\n".join(texts)).encode()).hexdigest()[:12]
    path = CACHE / f"emb-{corpus.name}-{digest}.npy"
    if path.exists():
        return np.load(path).astype(np.float32)
    t = time.perf_counter()
    vec = np.asarray(embedder.encode(texts), dtype=np.float32)
    print(f"  embedded {len(texts):,} in {time.perf_counter() - t:.0f} s", flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vec.astype(np.float16))
    return vec


def evaluate(
    corpus: Corpus, embedder: Any, overrides: dict[str, Any], plain: bool = True, first_of_run: bool = False
) -> list[dict[str, Any]]:
    import pandas as pd
    from gensim.corpora import Dictionary

    from analysis.enrich.topic_model import TopicParams, fit_topics
    from analysis.pipeline.fit import keyword_docs

    emb = embeddings_for(corpus, embedder)
    docs = keyword_docs(pd.DataFrame({"title": corpus.titles, "text": corpus.texts}))
    tokenised = [TOKEN.findall(d.lower()) for d in docs]
    dictionary = Dictionary(tokenised)
    base = {"corpus": corpus.name, "articles": len(corpus), "gold": len(set(corpus.labels))}
    rows = []

    t = time.perf_counter()
    ours = fit_topics(docs, emb, embedder, TopicParams(**overrides))
    secs = time.perf_counter() - t
    words = [top_words([w for w, _ in ours.keywords[k]]) for k in sorted(ours.keywords)]
    themes = getattr(ours, "themes", None)
    row = {
        **base,
        "model": "ours",
        "topics": len(ours.sizes),
        "themes": len(set(themes[themes >= 0].tolist())) if themes is not None else "",
        **label_scores(corpus.labels, ours.topics),
        **(label_scores(corpus.coarse or corpus.labels, themes, "theme ") if themes is not None else {}),
        "NPMI": round(npmi(words, tokenised, dictionary), 3),
        "diversity": round(diversity(words), 3),
        "unassigned": round(ours.outlier_share, 3),
        "mixed": len(ours.mixed),
        "fit_s": round(secs, 1),
    }
    if corpus.coarse is not None:
        row.update(label_scores(corpus.coarse, ours.topics, "coarse "))
    if first_of_run:
        again = fit_topics(docs, emb, embedder, TopicParams(**overrides))
        row["same seed twice"] = bool(np.array_equal(again.topics, ours.topics))
    rows.append(row)
    print(row, flush=True)
    if plain:
        rows.append(plain_bertopic(corpus, docs, emb, embedder, tokenised, dictionary, base))
        print(rows[-1], flush=True)
    return rows


def plain_bertopic(corpus, docs, emb, embedder, tokenised, dictionary, base) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """BERTopic() with only the embeddings (and a seeded UMAP, for a repeatable run) given."""
    from bertopic import BERTopic
    from umap import UMAP

    from analysis.enrich.topic_model import bertopic_backend

    t = time.perf_counter()
    model = BERTopic(
        embedding_model=bertopic_backend(embedder),
        umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42),
    )
    topics = np.asarray(model.fit_transform(docs, embeddings=emb)[0])
    secs = time.perf_counter() - t
    words = [top_words([w for w, _ in (model.get_topic(k) or [])]) for k in sorted(set(topics.tolist()) - {-1})]
    row = {
        **base,
        "model": "plain BERTopic",
        "topics": len(words),
        "themes": "",
        **label_scores(corpus.labels, topics),
        "NPMI": round(npmi(words, tokenised, dictionary), 3),
        "diversity": round(diversity(words), 3),
        "unassigned": round(float(np.mean(topics == -1)), 3),
        "fit_s": round(secs, 1),
    }
    if corpus.coarse is not None:
        row.update(label_scores(corpus.coarse, topics, "coarse "))
    return row


def parse_overrides(pairs: list[str]) -> dict[str, Any]:
    from analysis.enrich.topic_model import TopicParams

    types = {f.name: f.type for f in fields(TopicParams)}
    out: dict[str, Any] = {}
    for pair in pairs:
        key, value = pair.split("=", 1)
        if key not in types:
            raise SystemExit(f"unknown parameter {key}; known: {', '.join(types)}")
        kind = str(types[key])
        out[key] = (
            (float(value) if "float" in kind else int(value) if "int" in kind else value) if value != "None" else None
        )
    return out


def run(argv: list[str] | None = None) -> None:
    warnings.filterwarnings("ignore")
    import logging

    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    ap = argparse.ArgumentParser(prog="bench.eval_topics")
    ap.add_argument("--corpora", default="allsides-demo,intl,huffpost,reuters")
    ap.add_argument("--full", action="store_true", help="also the full AllSides corpus (37,554 articles)")
    ap.add_argument("--set", action="append", default=[], metavar="PARAM=VALUE", help="a TopicParams override")
    ap.add_argument("--no-plain", action="store_true", help="skip plain BERTopic (while tuning)")
    ap.add_argument("--name", default="topics_quality", help="results file name")
    args = ap.parse_args(argv or [])  # `python -m analysis bench topics` runs the defaults
    from analysis.enrich.embeddings import get_embedder

    embedder = get_embedder()
    names = args.corpora.split(",") + (["allsides-full"] if args.full else [])
    overrides = parse_overrides(args.set)
    rows: list[dict[str, Any]] = []
    notes = [f"overrides: {overrides}"] if overrides else []
    for name in names:
        corpus = LOADERS[name]()
        if isinstance(corpus, str):
            notes.append(f"{name}: {corpus}")
            print(notes[-1])
            continue
        print(f"# {name}: {len(corpus):,} articles, {len(set(corpus.labels))} gold labels", flush=True)
        notes += [f"{name}: {n}" for n in corpus.notes]
        rows += evaluate(corpus, embedder, overrides, plain=not args.no_plain, first_of_run=not rows)
    notes.append("fit_s of a corpus's first model includes numba compiling UMAP in this process")
    notes.append(
        "NPMI: gensim c_npmi, top-10 words, the corpus's tokenised documents as reference; plain BERTopic "
        "= BERTopic() given the same embeddings and a seeded UMAP"
    )
    report(args.name, rows, notes)


if __name__ == "__main__":
    import sys

    run(sys.argv[1:])
