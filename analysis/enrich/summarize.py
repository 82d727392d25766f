"""Extractive summaries: TF-IDF LexRank over an article's sentences with a lead prior.

News puts the essentials first, so PageRank's teleport vector favours early sentences; centrality
picks the sentences the rest of the article talks about; bylines, captions and calls to action are
never candidates. Topic summaries pool the best sentences of a topic's representative articles and
pick central ones from different outlets.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from analysis.ingest.textclean import clean_text
from analysis.ingest.textsplit import sentences
from analysis.terms import ENGLISH_STOP_WORDS

SUMMARY_SENTENCES = 3
_TOKEN = re.compile(r"[a-z][a-z'\-]+")
_STOP = frozenset(ENGLISH_STOP_WORDS | {"said", "says", "say", "also", "mr", "ms", "mrs"})
_NOT_A_SENTENCE = re.compile(
    r"(^(By|BY) [A-Z]|^(Photo|Image|Video|Watch|Listen|Read more|Related|Click|Sign up|Subscribe|Follow|Share|"
    r"Advertisement|Getty Images|AP Photo|File photo|Caption)\b|Getty Images|\(AP Photo|\bPhoto:|/AFP|/Reuters\b|"
    r"All rights reserved|Copyright ©|contributed to this report|can be reached at|@\w+\.com|"
    r"\bMORE\b|\bon (January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4},? in [A-Z])",
    re.IGNORECASE,
)


_QUOTE_MARKS = '"“”„«»'
_TWEETISH = re.compile(r"pic\.twitter\.com|twitter\.com/|\(@\w+\)")


def _open_quotes(text: str) -> bool:
    """An odd number of double quotation marks (curly and straight counted alike: sources mix them)."""
    return sum(text.count(q) for q in _QUOTE_MARKS) % 2 == 1


def whole_quotes(parts: Sequence[str], max_join: int = 3) -> list[str]:
    """Sentences joined where a quotation runs over several of them, so no candidate opens a quote it
    does not close; a quotation still open after max_join sentences is dropped, never cut."""
    out: list[str] = []
    i = 0
    while i < len(parts):
        s = parts[i]
        j = i + 1
        while _open_quotes(s) and j < len(parts) and j - i < max_join:
            s = f"{s} {parts[j]}"
            j += 1
        if not _open_quotes(s):
            out.append(s)
        i = j
    return out


def candidate_sentences(text: str, title: str | None = None) -> list[str]:
    """Sentences that can go into a summary: boilerplate removed, no bylines, captions or tweets, every
    quotation whole, each sentence once, sane length."""
    out, seen = [], set()
    for paragraph in clean_text(text, title).split("\n\n"):
        for s in whole_quotes(sentences(paragraph)):
            words = s.split()
            if not 6 <= len(words) <= 90 or _NOT_A_SENTENCE.search(s) or _TWEETISH.search(s):
                continue
            letters = sum(c.isalpha() for c in s)
            if letters < 0.6 * len(s) or s.isupper():
                continue
            key = re.sub(r"\W+", " ", s).strip().lower()
            if key in seen:
                continue
            seen.add(key)
            out.append(s)
    return out


def _quotes(sentence: str) -> set[str]:
    """The quotations (4+ words) of a sentence, pairing its quotation marks in order."""
    marks = [i for i, c in enumerate(sentence) if c in _QUOTE_MARKS]
    found = (sentence[a + 1 : b] for a, b in zip(marks[::2], marks[1::2], strict=False))
    return {re.sub(r"\W+", " ", q).strip().lower() for q in found if len(q.split()) >= 4}


def _vectors(sents: Sequence[str]) -> np.ndarray:
    """Row-normalised TF-IDF vectors of sentences over their own vocabulary."""
    bags = [Counter(w for w in _TOKEN.findall(s.lower()) if w not in _STOP) for s in sents]
    vocab = {w: i for i, w in enumerate(sorted({w for b in bags for w in b}))}
    if not vocab:
        return np.zeros((len(sents), 1))
    df = Counter(w for b in bags for w in b)
    n = len(sents)
    m = np.zeros((n, len(vocab)), dtype=np.float32)
    for i, b in enumerate(bags):
        for w, c in b.items():
            m[i, vocab[w]] = (1 + math.log(c)) * math.log((1 + n) / (1 + df[w]) + 1)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


def lexrank(vectors: np.ndarray, prior: np.ndarray, damping: float = 0.85, iters: int = 50) -> np.ndarray:
    """PageRank over the cosine-similarity graph with a personalised teleport distribution."""
    sim = vectors @ vectors.T
    np.fill_diagonal(sim, 0.0)
    sim[sim < 0.05] = 0.0
    rows = sim.sum(axis=1, keepdims=True)
    trans = np.where(rows > 0, sim / np.where(rows == 0, 1, rows), 1.0 / len(sim))
    prior = prior / prior.sum()
    score = prior.copy()
    for _ in range(iters):
        new = (1 - damping) * prior + damping * (trans.T @ score)
        if np.abs(new - score).sum() < 1e-6:
            return new
        score = new
    return score


def summarize(text: str, title: str | None = None, n: int = SUMMARY_SENTENCES, redundancy: float = 0.5) -> str:
    """An extractive summary of n sentences (2 to 4 recommended), in the article's order."""
    cands = candidate_sentences(text, title)
    if len(cands) <= n:
        return " ".join(cands) if cands else _fallback(text)
    vec = _vectors(cands)
    prior = 1.0 / np.sqrt(np.arange(1, len(cands) + 1))
    prior[0] *= 2.0  # the lede
    score = lexrank(vec, prior) * (0.5 + prior)  # centrality, tilted toward the top of the story
    picked: list[int] = []
    quoted: set[str] = set()
    for i in np.argsort(-score, kind="stable"):
        if any(float(vec[i] @ vec[j]) > redundancy for j in picked):
            continue
        q = _quotes(cands[i])
        if any(a in b or b in a for a in q for b in quoted):  # the same quotation, reported twice
            continue
        picked.append(int(i))
        quoted |= q
        if len(picked) == n:
            break
    return " ".join(cands[i] for i in sorted(picked))


def _fallback(text: str) -> str:
    """For a text with no usable sentence: its first 300 characters."""
    flat = " ".join((text or "").split())
    return flat[:300] + ("…" if len(flat) > 300 else "")


def lead(text: str, title: str | None = None, n: int = SUMMARY_SENTENCES) -> str:
    """The lead-n baseline: the first n candidate sentences."""
    return " ".join(candidate_sentences(text, title)[:n])


def topic_summary(items: Sequence[tuple[str, str]], n: int = 3) -> list[tuple[str, str]]:
    """The most central sentences across a topic's representative articles, one outlet each first.

    items: (outlet, article summary) pairs. Returns (outlet, sentence) pairs.
    """
    pool = [(o, s) for o, summary in items for s in whole_quotes(sentences(summary))]
    if not pool:
        return []
    vec = _vectors([s for _, s in pool])
    score = lexrank(vec, np.ones(len(pool)))
    picked: list[int] = []
    outlets: set[str] = set()
    for relax in (False, True):
        for i in np.argsort(-score, kind="stable"):
            i = int(i)
            if i in picked or (not relax and pool[i][0] in outlets):
                continue
            if any(float(vec[i] @ vec[j]) > 0.5 for j in picked):
                continue
            picked.append(i)
            outlets.add(pool[i][0])
            if len(picked) == n:
                return [pool[j] for j in picked]
    return [pool[j] for j in picked]
