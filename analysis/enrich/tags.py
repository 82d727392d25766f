"""Keyphrase tags for articles: the terms that set an article apart from the corpus (TF-IDF over
headline + text, unigrams and bigrams, stop words removed), readable and in the corpus's spelling."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from analysis.enrich.labels import case_map, title_case
from analysis.terms import analyze, word_set

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


# words that make a term no topic: titles before a name ("Sen", "Rep": "Democrats Sen"), pronouns of quoted speech
# ("Run I'm"), the AP's state abbreviations after a name ("Calif"; not "LA", Los Angeles) and party tags ("r-calif")
NOT_TAG_WORDS = word_set(
    "sen sens rep reps gov gov't mr mrs ms dr i i'm im i've i'd we we're we've we'll you you're you've you'll "
    "me my he's she's it's they're they've they'll "
    "ala ariz ark calif colo conn del fla ga ill kan ky md mass mich minn miss mo mont neb nev okla ore "
    "pa tenn vt va wash wis wyo"
)
_PARTY_TAG = re.compile(r"^[dri]-[a-z]+\.?$")


def unfit(term: str) -> bool:
    """A term that is no topic: a title, a pronoun, a state abbreviation or a party tag in it."""
    return any(w in NOT_TAG_WORDS or _PARTY_TAG.match(w) for w in term.replace("’", "'").split())


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


@dataclass
class TermStats:
    """How many documents of a corpus hold each term (the terms kept for tags), and how many documents it
    has: what tagging a new article against the corpus needs, without reading the corpus again."""

    docs: int
    df: dict[str, int] = field(default_factory=dict)


def term_counts(docs: Sequence[str]) -> TermStats:
    """How many of these documents hold each term: a part's share of a corpus's TermStats (sum the parts)."""
    from sklearn.feature_extraction.text import CountVectorizer

    try:
        counts = CountVectorizer(analyzer=analyze, binary=True).fit(docs)
        matrix = counts.transform(docs)
    except ValueError:  # nothing left after stop words
        return TermStats(docs=len(docs))
    df = np.asarray(matrix.sum(axis=0)).ravel()
    return TermStats(
        docs=len(docs), df={str(w): int(d) for w, d in zip(counts.get_feature_names_out(), df, strict=True)}
    )


def tag_articles(
    docs: Sequence[str], max_tags: int = MAX_TAGS, min_tags: int = MIN_TAGS, prior: TermStats | None = None
) -> list[list[str]]:
    """3 to 6 tags per document ("Supreme Court, Kavanaugh, Confirmation Hearing"), weighed against the
    documents themselves or, with prior, against the corpus they join (see tag_corpus)."""
    return tag_corpus(docs, max_tags, min_tags, prior)[0]


def tag_corpus(
    docs: Sequence[str],
    max_tags: int = MAX_TAGS,
    min_tags: int = MIN_TAGS,
    prior: TermStats | None = None,
    counted: bool = False,
) -> tuple[list[list[str]], TermStats]:
    """Tags per document and the term statistics of the corpus (prior's, with these documents added; with
    counted, prior already counts them: a part of a corpus tagged against the whole, as the Dask engine does).
    A term is kept in 2 documents or more (from 1,000 documents) and in at most 30% (from 20)."""
    from sklearn.feature_extraction.text import CountVectorizer

    docs = list(docs)
    base = prior or TermStats(docs=0)
    if not docs:
        return [], base
    n = base.docs + (0 if counted and prior else len(docs))
    min_df, max_share = (2 if n >= 1000 else 1), (0.3 if n >= 20 else 1.0)
    vec = (
        CountVectorizer(analyzer=analyze)
        if prior
        else CountVectorizer(analyzer=analyze, min_df=min_df, max_df=max_share)
    )
    try:
        counts = vec.fit_transform(docs).tocsr()
    except ValueError:  # nothing left after stop words
        return [[] for _ in docs], base
    words = vec.get_feature_names_out()
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    if prior:
        df = (0 if counted else df) + np.array([prior.df.get(str(w), 0) for w in words])
        keep = (df >= min_df) & (df <= max_share * n)
        counts = counts[:, np.flatnonzero(keep)].tocsr()
        words, df = words[keep], df[keep]
    stats = TermStats(docs=n, df={**base.df, **{str(w): int(d) for w, d in zip(words, df, strict=True)}})
    is_bigram = np.array([" " in w for w in words], dtype=bool)
    vocabulary = {str(w) for w, b in zip(words, is_bigram, strict=True) if not b} | {w for w in base.df if " " not in w}
    adverb = np.array(
        [(not b and is_adverb(str(w), vocabulary)) or unfit(str(w)) for w, b in zip(words, is_bigram, strict=True)],
        dtype=bool,
    )
    idf = np.log((1 + n) / (1 + df)) + 1
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
    return out, stats


def tag_documents(
    titles: Sequence[str], texts: Sequence[str], prior: TermStats | None = None
) -> tuple[list[list[str]], TermStats]:
    """Tags for articles from their headline and the first 3,000 characters of their text, cut at a word
    boundary (a cut word became tags like "White Hou"), weighed against their corpus (or prior's), and the
    corpus's term statistics."""
    return tag_corpus([tag_text(a, b) for a, b in zip(titles, texts, strict=True)], prior=prior)


def tag_text(title: str | None, text: str | None) -> str:
    """What an article's tags are read from: its headline and the first 3,000 characters of its text."""
    return f"{title}. {_head(text or '', 3000)}"


def _head(text: str, chars: int) -> str:
    """The start of a text, at most `chars` long, ending at a whole word."""
    if len(text) <= chars:
        return text
    cut = text[:chars]
    return cut[: cut.rfind(" ")] if " " in cut else cut
