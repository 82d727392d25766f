"""Who is quoted: hand-checked attributions, and any text read without an error."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.enrich.quotes import find_quotes, quote_spans


def speakers(text: str) -> list[tuple[str | None, str]]:
    return [(q.speaker, q.how) for q in find_quotes(text)]


def test_a_quote_attributed_after_it_names_the_speaker_without_titles():
    text = 'The vote failed. "We will bring this bill back next week," said Sen. Chuck Schumer, D-N.Y.'
    assert speakers(text) == [("Chuck Schumer", "after")]


def test_a_surname_after_the_quote_is_given_in_full_when_the_article_names_the_person():
    text = (
        "Senate Minority Leader Chuck Schumer spoke on Monday. "
        '"This is a dark day for the country and its people," Schumer told reporters.'
    )
    assert speakers(text) == [("Chuck Schumer", "after")]


def test_a_quote_attributed_before_it():
    text = 'In a post, Vauhxx Booker wrote: "At one point one of the men jumped on my neck."'
    assert speakers(text) == [("Vauhxx Booker", "before")]


def test_according_to():
    text = 'According to the Pentagon, "the strike was ordered to protect American personnel abroad."'
    assert speakers(text) == [("Pentagon", "before")]


def test_he_said_is_the_person_last_quoted():
    text = (
        '"We are not going anywhere soon," Mayor Bill de Blasio said on Friday. He spoke at City Hall. '
        '"The city will stay open for business," he said.'
    )
    assert speakers(text) == [("Bill de Blasio", "after"), ("Bill de Blasio", "pronoun")]


def test_a_quote_continued_after_its_attribution_keeps_the_speaker():
    text = (
        'Videos were posted by Vauhxx Booker. "At one point they jumped on my neck," Booker wrote. '
        '"I could feel both his feet on my neck."'
    )
    assert speakers(text) == [("Vauhxx Booker", "after"), ("Vauhxx Booker", "continued")]


def test_an_unattributed_quote_has_no_speaker():
    text = 'Then came "no one is above the law in this country" and the crowd cheered.'
    assert speakers(text) == [(None, "none")]
    text = 'The sign read "no one is above the law in this country" and the crowd cheered.'
    assert [q.speaker for q in find_quotes(text)] == [None]


def test_a_speaker_given_only_as_a_description_is_unnamed():
    text = '"The agency is aware of the incident and is monitoring it," a spokesperson for the agency said.'
    assert speakers(text) == [(None, "unnamed")]


def test_scare_quotes_and_titles_are_not_quotations():
    text = 'He called it a "witch hunt" on "Fox and Friends" and left.'
    assert find_quotes(text) == []


def test_a_new_sentence_after_a_quote_is_not_its_attribution():
    text = (
        'He vowed he was a "champion of women," saying "I respect women. I respect them." '
        "Nonetheless, Al Franken announced he would resign."
    )
    assert [q.speaker for q in find_quotes(text)] != ["Nonetheless"]
    assert "Nonetheless" not in {q.speaker for q in find_quotes(text)}


def test_curly_and_straight_marks_pair_even_when_mixed():
    text = '“I thought this can’t be real — but it is," Wallace Collins, chairman of the party, told KFOR.'
    assert speakers(text) == [("Wallace Collins", "after")]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*'ab CD.,:"“”«»\n', " said ", " he ", "Smith ", " told ", "Sen. "]), max_size=120).map(
        "".join
    )
)
def test_any_text_gives_quotes_inside_its_marks_without_an_error(text):
    spans = quote_spans(text)
    assert all(0 < s <= e <= len(text) for s, e in spans)
    assert all(e1 < s2 for (_, e1), (s2, _) in itertools.pairwise(spans))
    for q in find_quotes(text):
        assert len(q.quote.split()) >= 4
        assert q.speaker is None or q.speaker.strip() == q.speaker != ""
        assert q.how in {"after", "before", "pronoun", "continued", "unnamed", "none"}


def test_an_epithet_is_the_person_named_before():
    text = (
        "Mitch McConnell announced on Monday night that the Senate would vote on repeal. "
        'The Kentucky Republican said in a statement: "Regretfully, it is now apparent that the effort will fail."'
    )
    assert speakers(text) == [("Mitch McConnell", "pronoun")]


def test_a_surname_after_a_personal_title_is_a_name_but_not_after_a_party():
    text = 'Mr Green appeared to be hoping for more support. "We got 95 votes this time, so that is a plus," he said.'
    assert [q.speaker for q in find_quotes(text)] == ["Green"]
    text = 'The GOP Convention opened on Monday. "Delegates adopt their own rules every time," he said.'
    assert [q.speaker for q in find_quotes(text)] == [None]


def test_a_quote_after_a_sentence_of_what_someone_said_is_theirs():
    text = (
        "Mr Green said after Wednesday's vote that he did not view it as a failure. "
        '"We got 95 votes this time, 66 the last time."'
    )
    assert speakers(text) == [("Green", "context")]
    text = 'The vote was held on Wednesday. "We got 95 votes this time, 66 the last time."'
    assert speakers(text) == [(None, "none")]


def test_a_photo_credit_is_nobody_a_pronoun_refers_to():
    text = (
        'Sandy Levin laughed. "We are evenly matched," Sandy adds. Enlarge this image toggle caption '
        'Evan Vucci/AP Evan Vucci/AP "The age differential was insignificant," he says.'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Sandy Levin", "Sandy Levin"]


def test_a_time_of_day_does_not_end_the_sentence_of_an_attribution():
    text = (
        "The Department of Natural Resources said officers responded at about 8 p.m. Saturday "
        '"on private property adjacent to the reservoir."'
    )
    assert speakers(text) == [("Department of Natural Resources", "before")]


def test_a_description_is_unnamed_even_with_capitals_in_it():
    text = '"Republicans cannot pass a bill that funds it," said a senior Senate Democratic aide.'
    assert speakers(text) == [(None, "unnamed")]
    text = '"This is a serious breach of trust," said a spokesperson for Mr Gianforte.'
    assert speakers(text) == [(None, "unnamed")]


def test_an_inverted_attribution_names_the_person_after_a_possessive_role():
    text = (
        '"They are the best-educated workforce in the country," said the District of Columbia\'s non-voting '
        "representative in Congress, Eleanor Holmes Norton."
    )
    assert speakers(text) == [("Eleanor Holmes Norton", "after")]


def test_a_building_named_for_someone_is_not_who_he_is():
    text = (
        "Mr. Trump spoke to donors at Trump Tower on Friday. "
        '"There was no collusion with Russia. There was no obstruction," he said.'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Trump"]
