"""The shared word analyser of keywords, tags and distinctive terms."""

from __future__ import annotations

from analysis.terms import analyze


def test_words_and_bigrams_without_stop_words_or_possessives():
    out = analyze("The Senate's vote on the flood relief, 2020")
    # words of 3+ letters, no stop words, no numbers; bigrams only of words that stood side by side
    assert out == ["senate", "vote", "flood", "relief", "senate vote", "flood relief"]
