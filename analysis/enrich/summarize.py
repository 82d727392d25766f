"""Extractive summaries: TF-IDF LexRank over an article's sentences with a lead prior.

News puts the essentials first, so PageRank's teleport vector favours early sentences; centrality
picks the sentences the rest of the article talks about; bylines, captions and calls to action are
never candidates. The sentence tools are in analysis/text (a topic's summary is read there too).
"""

from __future__ import annotations

import re

import numpy as np

from analysis.text.centrality import lexrank, sentence_vectors
from analysis.text.clean import clean_text
from analysis.text.sentences import QUOTE_MARKS, sentences, whole_quotes

SUMMARY_SENTENCES = 3
_NOT_A_SENTENCE = re.compile(
    r"(^(By|BY) [A-Z]|^(Photo|Image|Video|Watch|Listen|Read more|Related|Click|Sign up|Subscribe|Follow|Share|"
    r"Advertisement|Getty Images|AP Photo|File photo|Caption)\b|Getty Images|\(AP Photo|\bPhoto:|/AFP|/Reuters\b|"
    r"All rights reserved|Copyright ©|contributed to this report|can be reached at|@\w+\.com|"
    r"\bMORE\b|\bon (January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4},? in [A-Z])",
    re.IGNORECASE,
)
_TWEETISH = re.compile(r"pic\.twitter\.com|twitter\.com/|\(@\w+\)")


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
    marks = [i for i, c in enumerate(sentence) if c in QUOTE_MARKS]
    found = (sentence[a + 1 : b] for a, b in zip(marks[::2], marks[1::2], strict=False))
    return {re.sub(r"\W+", " ", q).strip().lower() for q in found if len(q.split()) >= 4}


def summarize(text: str, title: str | None = None, n: int = SUMMARY_SENTENCES, redundancy: float = 0.5) -> str:
    """An extractive summary of n sentences (2 to 4 recommended), in the article's order."""
    cands = candidate_sentences(text, title)
    if len(cands) <= n:
        return " ".join(cands) if cands else _fallback(text)
    vec = sentence_vectors(cands)
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
