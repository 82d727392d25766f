"""Sentences, quotations kept whole, and a topic's central sentences: plain text in, plain text out."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.text.centrality import lexrank, sentence_vectors, topic_summary
from analysis.text.sentences import open_quotes, paragraphs, sentences, whole_quotes


def test_sentences_end_at_paragraph_breaks_and_keep_abbreviations():
    text = "Mr. Smith went to Washington. He voted no.\n\nA new paragraph without a stop"
    assert paragraphs(text) == ["Mr. Smith went to Washington. He voted no.", "A new paragraph without a stop"]
    assert sentences(text) == ["Mr. Smith went to Washington.", "He voted no.", "A new paragraph without a stop"]


def test_a_quotation_over_two_sentences_is_one_piece_and_an_unclosed_one_is_dropped():
    parts = ['He said "we will win.', 'They cannot stop us."', "Then he left.", '"Nobody ever', "closes", "this", "one"]
    # the unclosed one is dropped after three sentences; the next sentence starts afresh
    assert whole_quotes(parts) == ['He said "we will win. They cannot stop us."', "Then he left.", "one"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list('ab .\n"“”«»')), max_size=40), max_size=12))
def test_no_piece_opens_a_quotation_it_does_not_close(parts):
    out = whole_quotes(parts)
    assert all(not open_quotes(s) for s in out)
    assert len(out) <= len(parts)


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(categories=("L", "N", "P", "S", "Zs")) | st.just("\n"), max_size=400))
def test_any_text_splits_into_trimmed_sentences_that_keep_its_words(text):
    """Printable text (control characters are BlingFire's to drop)."""
    out = sentences(text)
    assert all(s and s == s.strip() for s in out)
    assert " ".join(out).split() == " ".join(paragraphs(text)).split()


def test_central_sentences_rank_the_sentence_the_others_share_words_with_first():
    sents = ["Floods hit the valley town.", "The valley town floods again.", "Floods and the town.", "Cats sleep."]
    score = lexrank(sentence_vectors(sents), np.ones(len(sents)))
    assert score.argmax() in (0, 1) and score.argmin() == 3


def test_topic_summary_prefers_different_outlets():
    items = [
        ("A", "Flood waters rose across the valley on Monday. Residents fled to higher ground."),
        ("A", "Flood waters kept rising across the valley. Rescue teams used boats."),
        ("B", "Rescue teams used boats as flood waters rose in the valley."),
    ]
    out = topic_summary(items, n=2)
    assert {o for o, _ in out} == {"A", "B"}


def test_a_topic_summary_stays_on_the_topics_subject():
    items = [
        ("A", "Budgets for state and local police are about to be decimated. Cities are cutting back."),
        ("B", "The coronavirus pandemic closed schools across the country. Cases rose again in July."),
        ("C", "New coronavirus cases fell in the state as the pandemic slowed. Hospitals had more beds."),
    ]
    out = topic_summary(items, n=2, keywords=["coronavirus", "pandemic", "cases"])
    assert out and all("coronavirus" in s or "pandemic" in s or "cases" in s for _, s in out)
    assert not any("police" in s for _, s in out)
    assert topic_summary(items, n=1)  # without keywords: the central sentence, as before
