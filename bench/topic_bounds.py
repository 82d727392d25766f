"""What the topic-quality targets can reach on the development corpora (bench/topic_corpora.py).

Two rows per corpus, both from our fit with its default parameters and with finer ones:
- homogeneity of the topics against the gold labels as the topic count grows (min_cluster_size 5 and 8
  give several times the default count), which shows how far purity can go when gold labels overlap;
- an oracle: each topic grouped under its majority gold label (the labels a real grouping never sees),
  the grouping the gold labels themselves suggest, next to our themes.

    python -m bench.topic_bounds                  # allsides-demo, intl, huffpost, reuters
    python -m bench.topic_bounds --corpora huffpost
"""

from __future__ import annotations

import argparse
import logging
import warnings
from typing import Any

import numpy as np

from bench.common import report
from bench.eval_topics import embeddings_for
from bench.topic_corpora import LOADERS


def majority_grouping(gold: list[str], topics: np.ndarray) -> np.ndarray:
    """Each document's topic replaced by that topic's most common gold label (unassigned stays apart)."""
    g = np.asarray(gold, dtype=object)
    out = np.full(len(g), "(unassigned)", dtype=object)
    for t in set(topics.tolist()) - {-1}:
        members = topics == t
        values, counts = np.unique(g[members], return_counts=True)
        out[members] = values[counts.argmax()]
    return out


def run(argv: list[str] | None = None) -> None:
    warnings.filterwarnings("ignore")
    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    import pandas as pd
    from sklearn.metrics import adjusted_rand_score, homogeneity_score, normalized_mutual_info_score

    from analysis.enrich.embeddings import get_embedder
    from analysis.enrich.topic_model import TopicParams, fit_topics
    from analysis.pipeline.fit import keyword_docs

    ap = argparse.ArgumentParser(prog="bench.topic_bounds")
    ap.add_argument("--corpora", default="allsides-demo,intl,huffpost,reuters")
    args = ap.parse_args(argv or [])
    embedder = get_embedder()
    rows: list[dict[str, Any]] = []
    for name in args.corpora.split(","):
        corpus = LOADERS[name]()
        if isinstance(corpus, str):
            print(f"{name}: {corpus}")
            continue
        emb = embeddings_for(corpus, embedder)
        docs = keyword_docs(pd.DataFrame({"title": corpus.titles, "text": corpus.texts}))
        coarse = corpus.coarse or corpus.labels
        for mcs in (None, 8, 5):
            fit = fit_topics(docs, emb, embedder, TopicParams(**({"min_cluster_size": mcs} if mcs else {})))
            row: dict[str, Any] = {
                "corpus": name,
                "articles": len(corpus),
                "min_cluster_size": mcs or f"default ({fit.params.min_cluster_size})",
                "topics": len(fit.sizes),
                "homog": round(homogeneity_score(corpus.labels, fit.topics), 3),
            }
            if mcs is None:
                oracle = majority_grouping(coarse, fit.topics)
                row |= {
                    "themes": len(set(fit.themes.tolist()) - {-1}),
                    "theme NMI": round(normalized_mutual_info_score(coarse, fit.themes), 3),
                    "theme ARI": round(adjusted_rand_score(coarse, fit.themes), 3),
                    "oracle NMI": round(normalized_mutual_info_score(coarse, oracle), 3),
                    "oracle ARI": round(adjusted_rand_score(coarse, oracle), 3),
                }
            rows.append(row)
            print(row, flush=True)
    report(
        "topic_bounds",
        rows,
        [
            "homog: homogeneity of the topics against the corpus's gold labels (fine labels for AllSides)",
            "oracle: every topic put under its majority gold label (coarse labels where a corpus has them); "
            "the grouping the gold labels themselves suggest, "
            "a reference no label-blind grouping should expect to beat",
        ],
    )


if __name__ == "__main__":
    import sys

    run(sys.argv[1:])
