"""Article intelligence on hand-checked small cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.enrich.language import looks_english
from analysis.enrich.similarity import StoryParams, group_stories, story_table
from analysis.enrich.summarize import candidate_sentences, summarize
from analysis.enrich.tags import tag_articles
from analysis.enrich.tone_scores import tone
from analysis.explore.similar import similar_from_other_outlets
from analysis.explore.stats import extremes
from analysis.explore.stats import tone_means as aggregate
from analysis.pipeline.load import import_file
from analysis.pipeline.stages import STAGES, Context, Models, run_stages
from analysis.store import Store
from tests.support.fakes import HashingEmbedder
from tests.support.fixtures import write_csv


def unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_story_of_three_outlets_with_known_first_publisher():
    base = np.array([1.0, 0, 0, 0])
    emb = np.stack(
        [
            unit(base + np.array([0, 0.10, 0, 0])),  # B, day 0.5
            unit(base + np.array([0, 0, 0.10, 0])),  # A, day 0.2 -> first
            unit(base + np.array([0, 0.05, 0.05, 0])),  # C, day 1.2
            unit([0, 0, 0, 1.0]),  # unrelated, same days
            unit(base),  # same event but 10 days later: outside the window
        ]
    )
    days = np.array([0.5, 0.2, 1.2, 0.3, 10.2])
    labels = group_stories(days, emb, StoryParams(window_days=3, edge_threshold=0.8, link_threshold=0.8))
    assert labels[0] == labels[1] == labels[2] >= 0
    assert labels[3] == -1 and labels[4] == -1
    arts = pd.DataFrame(
        {
            "id": ["b", "a", "c", "x", "late"],
            "outlet": ["B", "A", "C", "X", "A"],
            "published": pd.to_datetime(days, unit="D", origin="2020-01-01", utc=True),
            "title": ["tb", "ta", "tc", "tx", "tl"],
            "bias": ["left", "right", "center", "", "right"],
        }
    )
    stories, members = story_table(arts, labels)
    (story,) = stories.itertuples()
    assert story.first_outlet == "A" and story.title == "ta" and story.outlets == 3
    lags = dict(zip(members["outlet"], members["lag_hours"].round(1), strict=True))
    assert lags == {"A": 0.0, "B": 7.2, "C": 24.0}
    assert (story.bias_left, story.bias_right, story.bias_center) == (1, 1, 1)


def test_no_chaining_into_giant_stories():
    # A chain a-b-c-d-e where neighbours are similar but the ends are not: average linkage splits it.
    angles = np.linspace(0, 1.6, 5)
    emb = np.stack([unit([math.cos(a), math.sin(a)]) for a in angles])
    days = np.zeros(5)
    labels = group_stories(days, emb, StoryParams(window_days=3, edge_threshold=0.9, link_threshold=0.9))
    assert np.bincount(labels[labels >= 0]).max() <= 2


def test_similar_news_never_shows_the_same_outlet_and_flags_wire_copies():
    emb = np.stack([unit([1, 0, 0]), unit([1, 0.01, 0]), unit([1, 0.5, 0]), unit([0, 1, 0]), unit([1, 0.02, 0])])
    outlets = np.array(["A", "A", "B", "C", "D"])  # row 1 is A's own copy of row 0
    out = similar_from_other_outlets(0, emb, outlets, k=3)
    rows = [r for r, _, _ in out]
    assert 1 not in rows and rows[0] == 4
    assert out[0][2] is True  # D's near-identical text is a wire copy
    assert dict((r, w) for r, _, w in out)[2] is False


def test_similar_news_puts_the_articles_own_story_first_and_each_outlet_once():
    emb = np.stack([unit([1, 0, 0]), unit([1, 0.2, 0]), unit([1, 0.25, 0]), unit([1, 0.6, 0]), unit([1, 0.1, 0])])
    outlets = np.array(["A", "B", "B", "C", "D"])
    labels = np.array([7, 7, 7, 7, -1])  # D's article (row 4) is the closest, but not the same event
    rows = [r for r, _, _ in similar_from_other_outlets(0, emb, outlets, labels=labels, k=4)]
    assert rows == [1, 3, 4]  # the story's B and C first, B only once (its closest), then D
    assert [r for r, _, _ in similar_from_other_outlets(0, emb, outlets, k=4, per_outlet=2)] == [4, 1, 2, 3]


def test_wording_tells_two_events_of_the_same_kind_apart():
    from analysis.enrich.lexical import lexical_vectors

    titles = [
        "Flood hits Dresden as Elbe rises",
        "Dresden evacuates Saxony homes",
        "Porto under water after storm",
        "Douro flood reaches Porto",
    ] + [f"Filler {w} story" for w in ["tax", "music", "chess", "rail"] * 5]
    texts = [
        "Saxony rescuers in Dresden watched the Elbe.",
        "The Elbe crest reached Dresden, Saxony said.",
        "Portugal sent boats to Porto as the Douro burst.",
        "Porto's mayor asked Portugal for help.",
    ] + ["Nothing to see here."] * 20
    # By meaning two floods in one week are close (0.35 to 0.5) and each flood's two articles closer (0.88).
    a, b = unit([1, 0, 0]), unit([0.35, 0.937, 0])
    emb = np.stack(
        [a, unit(a + 0.55 * unit([0, 0, 1])), b, unit(b + 0.55 * unit([0, 0, 1]))] + [unit([-1, -1, -1])] * 20
    )
    days = np.zeros(len(titles))
    alone = group_stories(days, emb, StoryParams(lexical_weight=0.0))
    assert len(set(alone[:4])) == 1 and alone[0] >= 0  # meaning alone makes one story of both floods
    both = group_stories(days, emb, lex=lexical_vectors(titles, texts))
    assert both[0] == both[1] != both[2] == both[3] and both[0] >= 0 and both[2] >= 0


def test_cached_word_counts_give_the_vectors_of_the_texts(tmp_path):
    from analysis.enrich.lexical import lexical_vectors
    from analysis.pipeline.model_cache import cache_counts, cached_lexical_vectors

    titles, texts = ["Flood in Dresden", "Vote in Berlin", "Flood again"], ["Elbe rises " * 3, "Count it", ""]
    with Store(tmp_path / "news.db") as store:
        assert cache_counts(store, ["h1", "h2"], titles[:2], texts[:2]) == 2
        assert cache_counts(store, ["h1", "h2"], titles[:2], texts[:2]) == 0  # counted once
        asked: list[list[int]] = []
        got = cached_lexical_vectors(store, ["h1", "h2", "h3"], lambda idx: (asked.append(idx), [(titles[2], "")])[1])
        assert asked == [[2]]  # only the article not cached had its text read
    want = lexical_vectors(titles, texts)
    assert np.allclose(got.toarray(), want.toarray(), atol=1e-6)


def test_aggregate_interval_by_hand():
    df = pd.DataFrame({"outlet": ["A"] * 4 + ["B"], "tone": [0.2, 0.4, 0.6, 0.8, -0.5]})
    out = aggregate(df, "outlet", min_articles=3).set_index("outlet")
    sd = np.std([0.2, 0.4, 0.6, 0.8], ddof=1)
    half = 1.96 * sd / 2  # sqrt(4) = 2
    assert out.loc["A", "mean"] == pytest.approx(0.5) and out.loc["A", "n"] == 4
    assert out.loc["A", "ci_low"] == pytest.approx(0.5 - half) and out.loc["A", "ci_high"] == pytest.approx(0.5 + half)
    assert bool(out.loc["A", "enough"]) and not bool(out.loc["B", "enough"])
    assert math.isnan(out.loc["B", "ci_low"])  # one article: no interval
    boot = aggregate(df, "outlet", n_boot=500).set_index("outlet")
    assert boot.loc["A", "ci_low"] < 0.5 < boot.loc["A", "ci_high"]
    most_pos, most_neg = extremes(df, k=1)
    assert most_pos["tone"].iloc[0] == 0.8 and most_neg["tone"].iloc[0] == -0.5


def test_tone_scores_and_labels_from_probabilities():
    score, labels = tone(np.array([[0.7, 0.2, 0.1], [0.1, 0.2, 0.7], [0.2, 0.6, 0.2]]))
    assert np.allclose(score, [-0.6, 0.6, 0.0])
    assert labels.tolist() == ["negative", "positive", "neutral"]


def test_shipped_tone_classifier_reads_news_sentences():
    from analysis.enrich.tone import ToneClassifier

    texts = [
        "The attack killed dozens of civilians and left the city in ruins.",
        "The team celebrated a historic victory that delighted fans across the country.",
        "The committee will meet on Tuesday to review the schedule.",
    ]
    p = ToneClassifier().proba(texts)
    assert p.shape == (3, 3) and np.allclose(p.sum(axis=1), 1.0)
    score, labels = tone(p)
    assert labels.tolist() == ["negative", "positive", "neutral"]
    assert score[0] < score[2] < score[1]
    assert tone(ToneClassifier().proba([""]))[1].tolist() == ["neutral"]  # an empty body reads as neutral


def test_tone_is_cached_by_key_and_not_computed_twice(tmp_path):
    from analysis.enrich.tone import ToneClassifier, softmax
    from analysis.pipeline.model_cache import cached_outputs
    from analysis.store import Store

    store = Store(tmp_path / "t.db")
    clf = ToneClassifier()
    texts = ["Markets rallied to a record high.", "The attack killed dozens of civilians."]
    first, n1 = cached_outputs(store, clf.name, 3, ["a", "b"], texts, clf.logits)
    again, n2 = cached_outputs(store, clf.name, 3, ["a", "b", "c"], [*texts, "Officials met on Monday."], clf.logits)
    assert (n1, n2) == (2, 1)
    assert np.allclose(first, again[:2], atol=2e-3)  # float16 logits in the cache
    assert tone(softmax(again))[1].tolist()[:2] == ["positive", "negative"]


def test_summary_drops_byline_and_caption():
    text = (
        "By Jane Doe\n\n"
        "Photo: Senators leave the chamber after the vote (Getty Images)\n\n"
        "The Senate passed the infrastructure bill on Tuesday by a wide margin after weeks of talks. "
        "The bill funds roads, bridges and broadband in every state over the next decade. "
        "Supporters said the money would create jobs, while critics warned about the cost to taxpayers. "
        "The House is expected to take up the measure next month before the summer recess. "
        "Follow us on Twitter @paper for updates."
    )
    summary = summarize(text, "Senate passes infrastructure bill", n=2)
    assert "Jane Doe" not in summary and "Getty" not in summary and "Twitter" not in summary
    assert summary.startswith("The Senate passed the infrastructure bill")
    assert len(candidate_sentences(summary)) == 2


def test_empty_one_sentence_and_non_english_articles():
    assert summarize("", "Title only") == ""
    one = "The mayor resigned on Friday after a long investigation into city contracts."
    assert summarize(one, "Mayor resigns") == one
    french = (
        "Le gouvernement a annoncé mardi une nouvelle réforme des retraites qui suscite la colère des syndicats, "
        "lesquels appellent à une grève nationale dans les transports et les écoles dès la semaine prochaine, "
        "alors que les négociations restent au point mort."
    )
    assert not looks_english(french) and looks_english(one)
    assert summarize(french, "Réforme") != ""  # summaries work in any language


def test_tags_are_readable_phrases():
    docs = [
        "The Supreme Court heard arguments on Tuesday. The Supreme Court justices questioned the lawyers about "
        "abortion rights and the Texas law.",
        "Brett Kavanaugh faced the Senate Judiciary Committee. Brett Kavanaugh denied the allegations.",
    ] + [f"Filler article number {i} about weather and sports scores." for i in range(30)]
    tags = tag_articles(docs)
    assert 3 <= len(tags[0]) <= 6 and "Supreme Court" in tags[0]
    assert "Brett Kavanaugh" in tags[1]
    assert all(t[:1].isupper() for ts in tags for t in ts)
    assert not any(t.lower() in {"the", "and", "about"} for ts in tags for t in ts)


def test_intel_stage_on_a_store_with_odd_articles(tmp_path):
    rows = [
        {"title": "Storm hits coast", "text": "A storm hit the coast. " * 5, "outlet": "A", "date": "2020-01-01"},
        {
            "title": "Storm hits the coast hard",
            "text": "A storm hit the coast hard. " * 5,
            "outlet": "B",
            "date": "2020-01-02",
        },
        {"title": "Headline without a body", "text": "", "outlet": "C", "date": "2020-01-02"},
        {
            "title": "Réforme",
            "text": "Le gouvernement a annoncé une réforme des retraites. " * 8,
            "outlet": "D",
            "date": "2020-01-03",
        },
    ]
    store = Store(tmp_path / "n.db")
    import_file(store, write_csv(tmp_path / "a.csv", rows))
    ctx = Context(store, Models(HashingEmbedder()), mode="full")
    run_stages(ctx, STAGES, store.fits.corpus_ids())
    assert ctx.counts["tone"] == ctx.counts["summaries"] == 4
    intel = store.frame(
        "SELECT a.title, t.*, s.summary FROM article_tone t JOIN articles a ON a.id = t.article_id"
        " JOIN article_summaries s ON s.article_id = a.id"
    ).set_index("title")
    assert intel.loc["Réforme", "tone_label"] == "not English" and pd.isna(intel.loc["Réforme", "tone"])
    # the French article is not run through the classifier: 3 headlines + 3 bodies were
    assert store.vectors.count(ctx.models.tone.name) == 6
    assert intel.loc["Storm hits coast", "tone_label"] in ("negative", "neutral", "positive")
    assert intel.loc["Headline without a body", "summary"] == ""
    # Nothing is done twice: an update finds every stage done for every article.
    again = Context(store, Models(HashingEmbedder()), mode="update")
    run_stages(again, STAGES, store.fits.corpus_ids())
    assert not any(again.counts.values())


def test_story_ids_stay_stable_across_regrouping():
    from analysis.enrich.similarity import stable_story_ids

    members = pd.DataFrame({"story_id": [0, 0, 0, 1, 1, 2], "id": ["a", "b", "c", "d", "e", "f"]})
    previous = {"a": 7, "b": 7, "c": 9, "d": 3, "e": 4, "f": 5}
    mapping, nxt = stable_story_ids(members, previous, next_id=0)
    assert mapping[0] == 7  # two of three articles were story 7
    assert mapping[1] == 10  # d/e were split across 3 and 4: no majority, so a new id after the largest
    assert mapping[2] == 5
    assert nxt == 11
    # First grouping: ids from next_id.
    mapping, nxt = stable_story_ids(members, {}, next_id=0)
    assert sorted(mapping.values()) == [0, 1, 2] and nxt == 3


def test_story_title_is_its_most_central_headline():
    from analysis.enrich.similarity import central_titles

    labels = np.array([0, 0, 0, 1, -1])
    vecs = np.array([[1, 0], [0.8, 0.6], [0.9, 0.44], [0, 1], [1, 1]], dtype=float)
    titles = np.array(["opinion piece", "side angle", "the event", "alone", "noise"])
    assert central_titles(labels, vecs, titles) == {0: "the event", 1: "alone"}


def test_a_caption_an_insert_and_a_glued_standfirst_never_reach_a_summary():
    from analysis.enrich.summarize import candidate_sentences, is_caption

    text = (
        "Georgia Governor Brian Kemp reacts after appearing at his election night party in Athens, Ga., Nov. 6, 2018."
        "\n\nThe recount was ordered by a state judge late on Wednesday after a long night of counting in the county."
        " (RELATED: Kemp Declares Victory In Georgia Race) Officials said the count would take at least a week."
        "\n\nThe count went on obstruction of justice by Trump On Thursday, the attorney general released the"
        " report to Congress and to the public.\n\nA standfirst that ends without a stop because it was a heading"
        "\n\nNOW WATCH: Kemp speaks to voters."
    )
    cands = candidate_sentences(text, "Georgia recount")
    joined = " ".join(cands)
    assert is_caption(
        "Georgia Governor Brian Kemp reacts after appearing at his election night party in Athens, Ga., Nov. 6, 2018."
    )
    assert "reacts after appearing" not in joined and "RELATED" not in joined and "NOW WATCH" not in joined
    assert "On Thursday, the attorney general released the report to Congress and to the public." in cands
    assert "by Trump On Thursday" not in joined  # the heading glued before it is left out
    assert "A standfirst that ends without a stop because it was a heading." in cands  # complete, with its stop
    assert not is_caption(
        "President Donald Trump sits at the center of the fight to reopen the federal government,"
        " and it is posing a major problem for his party in the House and Senate this week."
    )


def test_tags_are_never_titles_pronouns_state_abbreviations_or_party_tags():
    from analysis.enrich.tags import unfit

    for bad in ("democrats sen", "rep ilhan", "mccarthy r-calif", "klobuchar minn", "run i’m", "trump i'm", "sen"):
        assert unfit(bad), bad
    for good in ("kamala harris", "la", "senate", "impeachment", "ilhan omar"):
        assert not unfit(good), good


def test_the_pages_state_the_story_window_the_grouping_uses():
    from pathlib import Path

    from analysis.enrich.similarity import WINDOW_DAYS

    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    root = Path(__file__).resolve().parents[2]
    for page in ("views/stories.py", "views/outlets.py"):
        assert f"within {words[WINDOW_DAYS]} days" in (root / page).read_text()
