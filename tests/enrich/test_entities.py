"""People, organisations and places: what is read, what is kept, how aliases merge (hand-checked cases)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.enrich.entity_aliases import base_name, initials, resolve
from analysis.enrich.entity_tagger import EntityTagger, clean_surface, entity_text, keep, without_credits


@pytest.fixture(scope="module")
def tagger() -> EntityTagger:
    return EntityTagger()


def test_photo_credits_and_wire_tags_never_become_entities(tagger):
    text = (
        "Stan Honda/AFP/Getty Images\nWASHINGTON (Reuters) - Senator Elizabeth Warren met union leaders in "
        "Detroit on Monday. (AP Photo/Evan Vucci)"
    )
    [found] = tagger.mentions([entity_text("Warren courts unions", text)])
    names = {m.surface for m in found}
    assert {"Elizabeth Warren", "Detroit"} <= names
    assert not names & {"Stan Honda", "AFP", "Getty Images", "Reuters", "Evan Vucci", "AP"}


def test_a_hover_box_pasted_after_a_name_is_dropped_and_the_name_kept():
    text = (
        "President Trump Donald John TrumpGOP senators balk at lengthy impeachment trial Warren goes local "
        "MORE met his former chief strategist."
    )
    assert without_credits(text).split() == ["President", "Trump", "met", "his", "former", "chief", "strategist."]


def test_surface_forms_are_cleaned_and_non_names_refused():
    assert clean_surface("the U.S.") == "US"
    assert clean_surface("Trump's") == "Trump"
    assert clean_surface("“Pelosi,") == "Pelosi"
    assert not keep("Getty Images/AFP", "organisation")
    assert not keep("obama", "person") and not keep("7", "place") and not keep("AFP", "person")
    assert keep("NATO", "organisation") and keep("Kim Jong Un", "person")


def test_titles_middle_initials_and_fixed_names():
    assert base_name("President Barack Obama", "person") == "Barack Obama"
    assert base_name("Former Vice President Joe Biden", "person") == "Joe Biden"
    assert base_name("Donald J. Trump", "person") == "Donald Trump"
    assert base_name("U.S", "place") == "United States" and base_name("America", "place") == "United States"
    assert base_name("President", "person") == "President"  # a title alone stays as it is
    assert initials("Federal Bureau of Investigation") == "FBI"


def mentions(*rows: tuple[str, str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "surface", "kind", "count"])


def test_aliases_merge_within_an_article_first_then_by_the_corpus_majority():
    links, entities = resolve(
        mentions(
            ("a1", "Barack Obama", "person", 1),
            ("a1", "Obama", "person", 3),
            ("a2", "President Obama", "person", 1),  # a title and the surname alone: Barack Obama by the corpus
            ("a3", "Michelle Obama", "person", 1),
            ("a3", "Obama", "person", 2),  # this article's Obama is Michelle
            ("a4", "Barack Obama", "person", 2),
            ("a4", "Michelle Obama", "person", 1),
            ("a4", "Obama", "person", 1),
            ("a5", "U.S.", "place", 2),
            ("a5", "United States", "place", 1),
            ("a6", "US", "place", 1),
            ("a7", "FBI", "organisation", 2),
            ("a7", "Federal Bureau of Investigation", "organisation", 1),
            ("a8", "FBI", "organisation", 1),
            ("a8", "Washington", "place", 2),
            ("a9", "Washington", "person", 1),
            ("a10", "Barack Obama", "person", 4),  # 7 of the 9 full-name mentions ending in Obama: dominant
        )
    )
    by_key = entities.set_index("key")
    assert by_key.loc["barack obama", "name"] == "Barack Obama"
    assert by_key.loc["barack obama", "mentions"] == (1 + 3) + 1 + 2 + 4  # a1 both, a2, a4's full name, a10
    assert by_key.loc["michelle obama", "mentions"] == 1 + 2 + 1
    assert by_key.loc["obama", "mentions"] == 1  # a4 names both: its "Obama" stays unresolved
    assert by_key.loc["united states", "name"] == "United States" and by_key.loc["united states", "articles"] == 2
    assert by_key.loc["federal bureau of investigation", "mentions"] == 4
    assert by_key.loc["federal bureau of investigation", "name"] == "FBI"  # its most used form
    assert by_key.loc["washington", "kind"] == "place"  # tagged a place twice, a person once
    pairs = set(zip(links["article_id"], links["key"], strict=True))
    assert ("a2", "barack obama") in pairs and ("a3", "michelle obama") in pairs


def test_a_non_english_article_gets_no_entities(tagger):
    from analysis.enrich.entity_tagger import tag_articles

    found = tag_articles(
        tagger,
        ["Angela Merkel visits Paris", "Macron reçoit Merkel"],
        ["Angela Merkel met Emmanuel Macron in Paris.", "Le président Emmanuel Macron..."],
        [True, False],
    )
    assert {m.surface for m in found[0]} >= {"Angela Merkel", "Paris"} and found[1] == []


def _entities(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    return resolve(pd.DataFrame(rows, columns=["article_id", "surface", "kind", "count"]))[1]


def test_the_four_fords_are_one_person_and_a_reversed_or_doubled_name_is_its_person():
    ents = _entities(
        [
            ("a", "Christine Blasey Ford", "person", 3),
            ("a", "Blasey Ford", "person", 2),
            ("b", "Christine Blasey", "person", 1),
            ("c", "Christine Ford", "person", 1),
            ("d", "Trump Donald", "person", 1),
            ("e", "Donald Trump", "person", 5),
            ("f", "Donald Trump Jr.", "person", 2),
            ("g", "Bob Mueller", "person", 1),
            ("h", "Robert Mueller", "person", 3),
            ("i", "Qasem Soleimani", "person", 1),
            ("j", "Qassem Soleimani", "person", 2),
            ("k", "Rand Paul", "person", 1),
            ("k", "Ron Paul", "person", 1),
        ]
    ).set_index("name")
    assert ents.loc["Christine Blasey Ford", ["mentions", "articles"]].tolist() == [7, 3]
    assert ents.loc["Donald Trump", "mentions"] == 6  # "Trump Donald" is him
    assert ents.loc["Donald Trump Jr.", "mentions"] == 2  # the son stays apart
    assert ents.loc["Robert Mueller", "mentions"] == 4 and ents.loc["Qassem Soleimani", "mentions"] == 3
    assert {"Rand Paul", "Ron Paul"} <= set(ents.index)  # a father and son whose first names differ
    assert clean_surface("Robert Mueller Robert") == "Robert Mueller"


def test_a_surname_read_as_a_place_or_an_organisation_is_the_person_the_article_names():
    ents = _entities(
        [
            ("a", "Chuck Hagel", "person", 1),
            ("a", "Hagel", "place", 2),
            ("b", "Amnesty International", "organisation", 1),
            ("b", "Amnesty", "organisation", 1),
            ("c", "Washington", "place", 3),
        ]
    ).set_index("name")
    assert ents.loc["Chuck Hagel", ["mentions", "kind"]].tolist() == [3, "person"]
    assert ents.loc["Amnesty International", "mentions"] == 2
    assert ents.loc["Washington", "kind"] == "place"  # no person named Washington here: the place stays


def test_party_members_platforms_and_state_abbreviations(tagger):
    [m] = tagger.mentions(["Democrats and Republicans argued on Twitter about the vote in Calif. on Monday."])
    found = {(x.surface, x.kind) for x in m}
    assert ("Twitter", "organisation") in found and ("Twitter", "person") not in found
    assert {("Democrats", "organisation"), ("Republicans", "organisation")} <= found
    assert base_name("Calif.", "place") == "California" and base_name("Democrats", "organisation") == "Democratic Party"


@pytest.mark.parametrize(
    "surface",
    ["LISTEN", "Obamacare", "COVID-19", "Affordable Care Act", "World Cup", "Department of", "Sevilla in the League"],
)
def test_laws_events_diseases_labels_and_cut_names_are_not_entities(surface):
    assert not keep(surface, "organisation") and not keep(surface, "person")


def test_headline_words_in_title_case_are_not_names_unless_the_body_uses_them(tagger):
    title = "Barr Faces Bipartisan Pressure To Make Mueller Report Public"
    text = "Attorney General William Barr is under pressure to release the report by Robert Mueller."
    [m] = tagger.mentions([entity_text(title, text)])
    surfaces = {x.surface for x in m}
    assert not any("Faces" in s or "Pressure" in s for s in surfaces)
    assert {"William Barr", "Robert Mueller"} <= surfaces
    assert "LISTEN" not in without_credits("LISTEN Bloomberg Radio: markets fell")


def test_a_surname_the_model_misses_after_the_full_name_is_counted(tagger):
    [m] = tagger.mentions(["Angela Merkel arrived late. Merkel said little, and Merkel left early."])
    counts = {x.surface: x.count for x in m}
    assert counts.get("Merkel", 0) >= 2


def test_a_misread_surname_a_headline_fragment_and_a_chamber_do_not_split_or_swallow_entities():
    rows = [(f"p{i}", "Robert Mueller", "person", 3) for i in range(10)]
    rows += [(f"p{i}", "Mueller", "person", 2) for i in range(10)]
    rows += [(f"h{i}", "Mueller", "organisation", 1) for i in range(6)]  # "Mueller report" in headlines
    rows += [("x", "Firing Robert Mueller", "person", 1)]  # a headline's verb before the name, once
    rows += [(f"w{i}", "Elizabeth Warren", "person", 2) for i in range(8)] + [
        ("y", "Sanders Elizabeth Warren", "person", 1)
    ]
    rows += [("s1", "Senate Judiciary Committee", "organisation", 2), ("s1", "Senate", "organisation", 3)]
    rows += [(f"s{i}", "Senate", "organisation", 2) for i in range(2, 12)]
    rows += [("j1", "Jordan", "place", 5), ("j2", "Jim Jordan", "person", 1)]
    ents = _entities(rows).set_index("name")
    assert ents.loc["Robert Mueller", "articles"] == 17 and ents.loc["Robert Mueller", "kind"] == "person"
    assert "Mueller" not in ents.index and "Firing Robert Mueller" not in ents.index
    assert ents.loc["Elizabeth Warren", "articles"] == 8  # the fragment used once does not take her mentions
    assert "Senate" not in ents.loc["Senate Judiciary Committee", "aliases"]
    assert ents.loc["Senate", "articles"] == 11
    assert ents.loc["Jordan", "kind"] == "place"  # a country read as itself stays a place


def test_a_dateline_in_any_house_style_is_not_a_place_the_story_is_about():
    from analysis.enrich.entity_tagger import entity_text

    for body in ("Washington (CNN) President Trump said on Monday", "WASHINGTON (Reuters) - President Trump said"):
        assert "Washington" not in entity_text("Trump speaks", body).replace("WASHINGTON", "Washington")
    assert "Washington" in entity_text("A law", "Washington state passed a law on Monday")


def test_a_state_in_brackets_after_a_name_is_a_party_tag_not_a_place():
    from analysis.enrich.entity_tagger import entity_text

    text = entity_text("T", "Rep. Pete King (N.Y.) and Rep. Alexandria Ocasio-Cortez (D., N.Y.) met in New York.")
    assert "N.Y." not in text and "New York" in text
