"""Summaries never cut a quotation or repeat one; tags are whole words and not adverbs."""

from analysis.enrich.summarize import candidate_sentences, summarize, whole_quotes
from analysis.enrich.tags import is_adverb, tag_documents


def test_a_quotation_over_several_sentences_stays_whole_or_is_left_out():
    parts = [
        "“It appears to me that the train was on its track,” the governor said.",
        "“It appears Amtrak was on",
        "the wrong track.",
        "It was not clear why.”",
        "Officials met on Monday to discuss it.",
    ]
    joined = whole_quotes(parts)
    assert joined[0] == parts[0]
    assert joined[1] == "“It appears Amtrak was on the wrong track. It was not clear why.”"
    assert joined[2] == parts[4]
    assert whole_quotes(["“An open quote that never closes.", "Nor here.", "Nor here either.", "Last."]) == ["Last."]


def test_a_summary_never_repeats_a_quotation_or_leaves_one_open():
    text = (
        'The CEO called the cases "worrisome" but said the products stay on the market "until we see some facts." '
        "Regulators opened an inquiry into the company on Monday after a spate of illnesses.\n\n"
        "The cases are “worrisome for the category,” Burns told the outlet in an interview on Tuesday.\n\n"
        "Burns noted he plans to keep the products on the market “until we see some facts.”\n\n"
        "“We will keep selling. We have nothing to hide.\n\nShares fell sharply after the announcement on Wednesday."
    )
    summary = summarize(text, "Juul chief keeps products on sale", n=3)
    assert summary.lower().count("until we see some facts") == 1
    assert sum(summary.count(q) for q in '"“”') % 2 == 0
    assert "We will keep selling" not in " ".join(candidate_sentences(text))  # never closed: left out


def test_tags_are_whole_words_and_not_adverbs():
    body = ("The White House said the president strongly opposed the plan. " * 60) + "The White House"
    docs_titles = ["White House opposes plan", "Senate debates budget", "Court weighs appeal"]
    texts = [body, "The senate debated the budget at length. " * 20, "The court weighed the appeal strongly. " * 20]
    tags, _ = tag_documents(docs_titles, texts)
    words = set(" ".join(texts + docs_titles).lower().replace(".", " ").split())
    for article in tags:
        for tag in article:
            assert all(w.lower() in words for w in tag.split()), tag  # e.g. never "White Hou"
            assert tag.lower() != "strongly"
    assert is_adverb("Spectacularly", {"spectacular"}) and is_adverb("strongly", {"strong"})
    assert is_adverb("reportedly", set()) and not is_adverb("Italy", {"ital"}) and not is_adverb("Daily", {"dai"})


def test_tone_is_read_from_the_story_not_from_a_caption_credit_or_dateline():
    from analysis.enrich.tone import body_lead

    text = (
        "Attendees illuminate their mobile telephones during a community vigil to honor the victims, late "
        "Wednesday, May 8, 2019, in Highlands Ranch, Colo. (AP Photo/David Zalubowski)\n\n"
        "HIGHLANDS RANCH, Colo. (AP) — Two students opened fire at a school near Denver, killing one classmate "
        "and wounding eight others, authorities said."
    )
    lead = body_lead(text, "At least 2 handguns used in school shooting")
    assert lead.startswith("Two students opened fire")
    assert "vigil" not in lead and "AP Photo" not in lead
    assert body_lead("Short text.") == "Short text."
    assert len(body_lead(" ".join(["word"] * 200)).split()) == 50


def test_a_sentence_that_says_more_or_starts_with_by_is_still_a_sentence():
    from analysis.enrich.summarize import candidate_sentences

    text = (
        "Rescuers in Thailand on Monday freed four more members of the boys soccer team from a flooded cave. "
        "By the evening, divers had returned to the cave to prepare for the last rescue. "
        "House Speaker Nancy Pelosi Nancy PelosiGOP signals a payroll-tax cut MORE said the talks would go on."
    )
    kept = candidate_sentences(text)
    assert kept[0].startswith("Rescuers in Thailand")
    assert kept[1].startswith("By the evening")
    assert not any("MORE" in s for s in kept)
    linked = (
        "Trump threatens to send federal agents to arrest Portland protesters Read more. "
        "The talks with the governor went on through Monday night."
    )
    assert candidate_sentences(linked) == ["The talks with the governor went on through Monday night."]
