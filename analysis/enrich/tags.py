"""Keyphrase tags for articles: the terms that set an article apart from the corpus (TF-IDF over
headline + text, unigrams and bigrams, stop words removed), readable and in the corpus's spelling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.enrich.labels import case_map, title_case
from analysis.enrich.terms import analyze

MIN_TAGS, MAX_TAGS = 3, 6
# -ly words that are not adverbs made from another word (so they may be tags).
_NOT_ADVERBS = frozenset(
    {
        "lonely",
        "elderly",
        "hourly",
        "daily",
        "weekly",
        "monthly",
        "quarterly",
        "yearly",
        "early",
        "only",
        "family",
        "holy",
        "ugly",
        "friendly",
        "lovely",
        "likely",
        "unlikely",
        "costly",
        "deadly",
        "timely",
        "lively",
        "orderly",
        "silly",
        "supply",
        "apply",
        "reply",
        "comply",
        "rally",
        "ally",
        "italy",
        "july",
        "kelly",
        "sully",
        "bully",
        "belly",
        "jelly",
        "assembly",
        "anomaly",
        "monopoly",
        "butterfly",
        "philly",
        "molly",
        "holly",
        "billy",
        "emily",
        "beverly",
        "kimberly",
        "stanley",
        "shelly",
        "wholly",
        "ghastly",
        "courtly",
        "kindly",
    }
)


_ADVERB_ENDINGS = ("ately", "itely", "ently", "antly", "ously", "ively", "fully", "lessly", "ingly", "edly", "ily")


def is_adverb(word: str, vocabulary: set[str]) -> bool:
    """A word ending in -ly made from another word of the corpus ("strongly" from "strong", "happily"
    from "happy", "spectacularly" from "spectacular"): such words describe, they are not topics."""
    w = word.lower()
    if " " in w or not w.endswith("ly") or len(w) < 6 or w in _NOT_ADVERBS:
        return False
    if w.endswith(_ADVERB_ENDINGS):
        return True
    stems = {w[:-2], w[:-2] + "e", w[:-3] + "y", w[:-1] if w.endswith("bly") else w[:-2]}
    if w.endswith("ally"):
        stems |= {w[:-4], w[:-2]}
    return bool(stems & vocabulary)


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
    vocabulary = {str(w) for w, b in zip(words, is_bigram, strict=True) if not b}
    adverb = np.array([not b and is_adverb(str(w), vocabulary) for w, b in zip(words, is_bigram, strict=True)])
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
            if (is_bigram[j] and not names[j] and counts[i, j] < 2) or adverb[j]:
                continue
            parts = set(w.split())
            if any(parts & set(p.split()) for p in picked):
                continue
            picked.append(w)
            if len(picked) == max_tags:
                break
        out.append([title_case(w, cases) for w in picked])
    return out
