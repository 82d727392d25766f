"""Readable labels for topics and themes from their keywords, in the corpus's own spelling."""

from __future__ import annotations

from analysis.enrich.labels import case_map, make_labels, title_case


def test_the_corpus_spelling_of_names_and_acronyms_is_kept():
    cases = case_map(["The NRA sued.", "NRA members met McConnell.", "the nra said", "McConnell spoke."])
    assert cases["nra"] == "NRA" and cases["mcconnell"] == "McConnell"
    assert title_case("nra lawsuit", cases) == "NRA Lawsuit"
    assert title_case("mcconnell", cases) == "McConnell"
    assert title_case("senate vote") == "Senate Vote"


def test_labels_take_three_keywords_skip_repeats_and_are_unique():
    keywords = {
        0: [("senate trial", 0.9), ("trial", 0.8), ("impeachment", 0.7), ("pelosi", 0.6), ("witnesses", 0.5)],
        1: [("senate trial", 0.9), ("impeachment", 0.8), ("pelosi", 0.7), ("bolton", 0.6)],
        2: [],
    }
    labels = make_labels(keywords, cases={"pelosi": "Pelosi"})
    assert labels[0] == "Senate Trial, Impeachment, Pelosi"  # "trial" repeats a word of "senate trial"
    assert labels[1] == "Senate Trial, Impeachment, Pelosi, Bolton"  # made unique with the next keyword
    assert labels[2] == "Topic 2"
    assert make_labels({5: [("a b", 1.0)], 6: [("a b", 1.0)]}) == {5: "A B", 6: "A B (6)"}
