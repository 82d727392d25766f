"""Keyphrase tags for articles: the terms that set an article apart from the corpus (TF-IDF over
headline + text, unigrams and bigrams, stop words removed), readable and in the corpus's spelling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.terms import analyze
from analysis.topics import _title, case_map

MIN_TAGS, MAX_TAGS = 3, 6


def tag_articles(docs: Sequence[str], max_tags: int = MAX_TAGS, min_tags: int = MIN_TAGS) -> list[list[str]]:
    """3 to 6 tags per document ("Supreme Court, Kavanaugh, Confirmation Hearing")."""
    from sklearn.feature_extraction.text import CountVectorizer

    docs = list(docs)
    if not docs:
        return []
    vec = CountVectorizer(
        analyzer=analyze, min_df=2 if len(docs) >= 1000 else 1, max_df=0.3 if len(docs) >= 20 else 1.0
    )
    try:
        counts = vec.fit_transform(docs).tocsr()
    except ValueError:  # nothing left after stop words
        return [[] for _ in docs]
    words = vec.get_feature_names_out()
    is_bigram = np.array([" " in w for w in words])
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1 + len(docs)) / (1 + df)) + 1
    weight = idf * np.where(is_bigram, 1.5, 1.0)
    cases = case_map(docs)
    # A bigram is a tag when it is a name (both words capitalised in the corpus) or recurs in the article.
    names = np.array([all(cases.get(p, p)[:1].isupper() for p in w.split()) if " " in w else False for w in words])
    out: list[list[str]] = []
    for i in range(counts.shape[0]):
        row = counts.getrow(i)
        if row.nnz == 0:
            out.append([])
            continue
        tf = 1 + np.log(row.data.astype(float))
        score = tf * weight[row.indices]
        order = row.indices[np.argsort(-score, kind="stable")]
        best = float(score.max())
        by_index = dict(zip(row.indices, score, strict=True))
        picked: list[str] = []
        for j in order:
            w = str(words[j])
            if len(picked) >= min_tags and by_index[j] < 0.35 * best:
                break
            if is_bigram[j] and not names[j] and counts[i, j] < 2:
                continue
            parts = set(w.split())
            if any(parts & set(p.split()) for p in picked):
                continue
            picked.append(w)
            if len(picked) == max_tags:
                break
        out.append([_title(w, cases) for w in picked])
    return out
