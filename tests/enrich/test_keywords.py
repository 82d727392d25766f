"""Coherent keywords and mixed topics (analysis/enrich/keywords.py), on corpora small enough to check by hand."""

from __future__ import annotations

import numpy as np

from analysis.enrich.keywords import document_npmi, mixed_topics, pick_coherent
from analysis.enrich.topic_model import DocumentCounts, find_mixed


def _counts(docs: list[str]) -> tuple[DocumentCounts, object]:
    counts = DocumentCounts(docs)
    return counts, (counts.matrix > 0).astype(np.float32).tocsc()


def test_document_npmi_by_hand():
    _, binary = _counts(["tax budget", "tax budget", "storm flood", "storm"])
    vocab = DocumentCounts(["tax budget", "tax budget", "storm flood", "storm"]).vectorizer.vocabulary_
    m = document_npmi(binary, [vocab["tax"], vocab["budget"], vocab["storm"], vocab["flood"]])
    assert m[0, 1] == 1.0  # always together
    assert m[0, 2] == -1.0  # never together
    # storm in 2 of 4, flood in 1 of 4, together in 1: log(0.25 / (0.5 * 0.25)) / -log(0.25) = 0.5
    assert abs(m[2, 3] - 0.5) < 1e-9


def test_coherent_words_win_over_rare_ones_and_no_word_repeats():
    docs = ["tariffs trade china beijing"] * 6 + ["zygote"] + ["quixotic"] + ["trade war tariffs"] * 3
    counts, binary = _counts(docs)
    # c-TF-IDF's order: two one-off words rank high, then the words that belong together
    candidates = [
        ("tariffs", 0.9),
        ("zygote", 0.8),
        ("quixotic", 0.7),
        ("trade war", 0.6),
        ("trade", 0.5),
        ("china", 0.4),
        ("beijing", 0.3),
    ]
    picked = [w for w, _ in pick_coherent(candidates, binary, counts.vectorizer.vocabulary_, top_n=4)]
    assert picked[0] == "tariffs"
    assert "zygote" not in picked and "quixotic" not in picked
    assert not ({"trade", "trade war"} <= set(picked))  # "trade" is not repeated inside "trade war"


def test_mixed_needs_both_low_cohesion_and_low_coherence():
    cohesion = {t: 0.6 + 0.005 * t for t in range(10)}
    coherence = {t: 0.4 for t in range(10)}
    cohesion[10], coherence[10] = 0.35, -0.2  # far from its centroid, words never together: mixed
    cohesion[11], coherence[11] = 0.35, 0.9  # loose but its words belong together: a real broad topic
    assert mixed_topics(cohesion, coherence) == {10}
    assert mixed_topics({0: 0.1, 1: 0.9}, {0: -1.0, 1: 1.0}) == set()  # too few topics to judge


def test_a_junk_topic_built_on_purpose_is_called_mixed():
    subjects = [
        ["hurricane", "storm", "coast"],
        ["budget", "senate", "spending"],
        ["vaccine", "virus", "trial"],
        ["election", "ballot", "voters"],
        ["tariffs", "trade", "china"],
        ["wildfire", "smoke", "acres"],
        ["court", "judge", "ruling"],
        ["oil", "crude", "opec"],
        ["school", "teachers", "students"],
        ["rocket", "launch", "orbit"],
    ]
    docs, topics, sims = [], [], []
    for t, words in enumerate(subjects):
        for k in range(20):
            docs.append(" ".join(words))
            topics.append(t)
            sims.append(0.78 + 0.01 * (k % 5))
    junk_words = ["glosser", "overrated", "reef", "saxophone", "turnip", "ledger", "mosaic", "quarry"]
    for w in junk_words * 2:  # each junk article has one unrelated word: nothing co-occurs
        docs.append(w)
        topics.append(10)
        sims.append(0.3)
    counts = DocumentCounts(docs)
    keywords = {t: [(w, 1.0) for w in words] for t, words in enumerate(subjects)}
    keywords[10] = [(w, 1.0) for w in junk_words[:3]]
    assert find_mixed(np.array(topics), np.array(sims), keywords, counts) == {10}
