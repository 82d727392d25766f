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
from analysis.text.sentences import QUOTE_MARKS, open_quotes, sentences, whole_quotes

SUMMARY_SENTENCES = 3
VERSION = "2"  # the rules' version: a change makes the summaries stage read every article again
_NOT_A_SENTENCE = re.compile(
    r"(^(?-i:(By|BY) [A-Z])|^(Photo|Image|Video|Watch|Listen|Read more|Related|Click|Sign up|Subscribe|Follow|Share|"
    r"Advertisement|Getty Images|AP Photo|File photo|Caption)\b|Getty Images|[(/]AP Photo|\bPhoto:|/AFP|/Reuters\b|"
    r"All rights reserved|Copyright ©|contributed to this report|can be reached at|@\w+\.com|\bRead more\.?$|"
    r"(?-i:\bMORE\b)|\bon (January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4},? in [A-Z])",
    re.IGNORECASE,
)
_TWEETISH = re.compile(r"pic\.twitter\.com|twitter\.com/|\(@\w+\)")
# A photo caption: a name, then what the photo shows in the present tense, with where or when it was taken ("Brian
# Kemp reacts after appearing at his election night party in Athens, Ga., Nov. 6, 2018.") or short.
_CAPTION = re.compile(
    r"^(?!(?:The|A|An|This|That|These|Those|It|He|She|They|We|I|His|Her|Their|Its)\s)(?:[A-Z][\w.'’-]*,?\s|(?:chairman|chairwoman|leader|nominee|candidate|director|spokesman|spokeswoman|"
    r"secretary|senator|governor|judge|minister|official|president|member|lawyer|attorney|adviser|advisor)\s)"
    r"{1,9}(?:reacts|poses|speaks|looks on|gestures|arrives|waves|listens|walks|stands|"
    r"sits|smiles|holds|attends|delivers|addresses|departs|leaves|greets|shakes|is seen|are seen|pauses|testifies|"
    r"participates|kneels|prays|marches|rallies|wears|looks|talks|answers|takes)\b"
)
_DATED = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{1,2}|\b(?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December)\b|\b(?:19|20)\d\d\b|\b(?:file|File) (?:photo|image)"
)
# A link to another story set into the text: "(RELATED: ...)", "NOW WATCH: ...", "READ MORE: ...".
_INSERT = re.compile(
    r"\((?:RELATED|READ MORE|WATCH|SEE ALSO)\b[^)]{0,200}\)"
    r"|\b(?:NOW WATCH|READ MORE|RELATED|WATCH|SEE ALSO|LISTEN)\s*:[^.!?]{0,200}[.!?]?"
)
# Two sentences run together without a stop, as when a page's standfirst is glued to its first paragraph:
# "... obstruction of justice by Trump On Thursday, the ...".
_GLUE = re.compile(
    r"(?<=[a-z0-9’'])\s(?=(?:On|In|The|A|An|But|And|As|At|After|When|While|It|He|She|They|This|That|Last|Earlier|"
    r"Meanwhile|However)\s(?:[a-z]|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b))"
)
_HEADING_COLON = re.compile(r"(?<=[a-z0-9'’)]):(?=[A-Z])")  # "Kanye West says he's running:There is no evidence"


def is_caption(sentence: str) -> bool:
    """Whether a sentence is a photo caption: a name, a present-tense verb of what the photo shows, dated or short."""
    return bool(_CAPTION.match(sentence)) and (bool(_DATED.search(sentence)) or len(sentence.split()) < 25)


def _pieces(sentence: str) -> list[str]:
    """A sentence split where a heading or standfirst runs into it; a piece without its own stop before the last
    is the heading (dropped)."""
    marked = _HEADING_COLON.sub(" \n", sentence)
    cuts = [m.start() for m in _GLUE.finditer(marked) if not open_quotes(marked[: m.start()])]  # never in a quotation
    parts = [marked[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(marked)], strict=True)]
    parts = [q.strip() for p in parts for q in p.split(" \n")]
    return [p for i, p in enumerate(parts) if p and (i == len(parts) - 1 or p[-1] in '.!?"”’')]


def candidate_sentences(text: str, title: str | None = None) -> list[str]:
    """Sentences that can go into a summary: boilerplate removed, no bylines, captions or tweets, every
    quotation whole, each sentence once, sane length."""
    out, seen = [], set()
    for paragraph in _INSERT.sub(" ", clean_text(text, title)).split("\n\n"):
        for s in (p for whole in whole_quotes(sentences(paragraph)) for p in _pieces(whole)):
            words = s.split()
            if not 6 <= len(words) <= 90 or _NOT_A_SENTENCE.search(s) or _TWEETISH.search(s) or is_caption(s):
                continue
            letters = sum(c.isalpha() for c in s)
            if letters < 0.6 * len(s) or s.isupper():
                continue
            key = re.sub(r"\W+", " ", s).strip().lower()
            if key in seen:
                continue
            seen.add(key)
            out.append(s + "." if s[-1:].isalnum() else s)  # a standfirst is its own sentence, with its stop
    return out


def story_text(text: str, title: str | None = None) -> str:
    """The article's own words in order: boilerplate, bylines, credits, captions and related-link inserts left
    out, every other sentence kept (what tone is read from: a caption's "reacts" or a vigil photo is not the
    story's tone)."""
    kept = [
        p
        for paragraph in _INSERT.sub(" ", clean_text(text, title)).split("\n\n")
        for whole in whole_quotes(sentences(paragraph))
        for p in _pieces(whole)
        if not (_NOT_A_SENTENCE.search(p) or _TWEETISH.search(p) or is_caption(p))
    ]
    return " ".join(kept)


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
    """For a text with no usable sentence: its first 300 characters of whole sentences (a heading glued to the
    first one left out), else of the text."""
    flat = " ".join(_INSERT.sub(" ", text or "").split())
    pieces = [p for s in sentences(flat[:2000]) for p in _pieces(s)]
    kept = " ".join(p for p in pieces if not is_caption(p))
    flat = kept or flat
    return flat[:300] + ("…" if len(flat) > 300 else "")


def lead(text: str, title: str | None = None, n: int = SUMMARY_SENTENCES) -> str:
    """The lead-n baseline: the first n candidate sentences."""
    return " ".join(candidate_sentences(text, title)[:n])
