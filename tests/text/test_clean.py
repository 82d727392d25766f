from analysis.text.clean import clean_text


def test_drops_lead_and_tail_boilerplate():
    text = (
        "Share This Story Tweet Share Share Pin Email\n\n"
        "ANALYSIS/OPINION:\n\n"
        "By Jane Doe\n\n"
        "The senate passed the bill on Tuesday after a long debate.\n\n"
        "Image copyright Getty Images Image caption Senators leave the chamber\n\n"
        "Supporters said it would lower costs.\n\n"
        "The Associated Press contributed to this report.\n\n"
        "Copyright © 2019 The Washington Times, LLC."
    )
    assert clean_text(text, "Senate passes bill") == (
        "The senate passed the bill on Tuesday after a long debate.\n\nSupporters said it would lower costs."
    )


def test_drops_repeated_title_and_keeps_plain_text():
    assert clean_text("Senate passes bill\n\nThe senate passed it.", "Senate passes bill") == "The senate passed it."
    assert clean_text("Just one sentence.", None) == "Just one sentence."
    assert clean_text("", "x") == ""


def test_datelines_go_and_a_city_name_in_a_sentence_stays():
    assert clean_text("WASHINGTON (Reuters) - The budget passed.\n\nMore.", "T").startswith("The budget passed.")
    assert clean_text("Washington (CNN) President Trump spoke.", "T") == "President Trump spoke."
    assert clean_text("SAN FRANCISCO/NEW YORK (Reuters) - Cannabis firms braced.", "T") == "Cannabis firms braced."
    assert clean_text("WASHINGTON and MILWAUKEE (Reuters) - Voters chose.", "T") == "Voters chose."
    assert clean_text("NEW YORK, N.Y. — The city woke up.", "T") == "The city woke up."
    assert clean_text("ST. PAUL, Minn. (AP) — A lawmaker resigned.", "T") == "A lawmaker resigned."
    # A caption and the dateline in one paragraph: the story starts after the dateline.
    caption = "A baby sleeps in Huntington, West Virginia, October 19, 2015. WASHINGTON (Reuters) - A deal passed."
    assert clean_text(caption, "T") == "A deal passed."
    # A correction note before the dateline, and a caption paragraph that ends with its credit.
    assert clean_text("(This version corrects the name) LONDON (Reuters) - Talks resumed.", "T") == "Talks resumed."
    text = "Protesters gather outside. (AP Photo/Evan Vucci)\n\nWASHINGTON (AP) — The Senate voted."
    assert clean_text(text, "T") == "The Senate voted."
    # A city named inside a sentence, and a citation of another outlet, are text.
    kept = "Officials in Washington said the talks (CNN) were over. WASHINGTON is quiet."
    assert clean_text(f"Intro paragraph here.\n\n{kept}", "T").endswith(kept)


def test_tweets_inserts_and_a_headline_run_into_the_text_go():
    text = (
        "Trump thanks Kim Jong Un as he welcomes home detainees The president joked about ratings.\n\n"
        "We are here! pic.twitter.com/abc123 — Jane Doe (@janedoe) March 3, 2020\n\n"
        "[Struggling to keep up with the news? Sign up for our newsletter.]\n\n"
        "The detainees landed at 2 a.m."
    )
    out = clean_text(text, "Trump thanks Kim Jong Un as he welcomes home detainees")
    assert out == "The president joked about ratings.\n\nThe detainees landed at 2 a.m."
    # A lead that is its own sentence starting with the headline's words stays whole.
    lead = "The tyranny of the administrative state is real and hard to tame."
    assert clean_text(lead, "The Tyranny of the Administrative State") == lead


def test_a_caption_run_into_the_story_with_its_credit_after_a_bar_is_dropped():
    text = (
        "President Donald Trump has given Rep. Jim Jordan a boost by pushing him for a top committee spot. | "
        "J. Scott Applewhite/AP Photo Lawmakers are jockeying for the top GOP spot on the House Judiciary Committee."
        "\n\nThe vote is next week."
    )
    assert clean_text(text).startswith("Lawmakers are jockeying")
    kept = "Prices rose | sharply, the data showed. Markets fell."
    assert clean_text(kept) == kept


def test_the_hills_hover_boxes_leave_the_name_the_article_used():
    from analysis.text.clean import without_hover_boxes

    text = (
        "In a statement, President Trump Donald John TrumpGOP senators balk at lengthy impeachment trial Warren goes "
        "local in race to build 2020 movement MORE said he would veto it. Chief of staff John Kelly John Francis "
        "KellyMORE's departure was announced. Sen. Lisa Murkowski Lisa Ann MurkowskiHillicon Valley: Lawmakers ask "
        "questions MORE (R-Alaska) voted no."
    )
    assert without_hover_boxes(text) == (
        "In a statement, President Trump said he would veto it. Chief of staff John Kelly's departure was announced. "
        "Sen. Lisa Murkowski (R-Alaska) voted no."
    )
    kept = "Alexandria Ocasio-Cortez tweeted that “our communities need MORE investment, not less.”"
    assert without_hover_boxes(kept) == kept
    text = (
        "Former Vice President Joe Biden Joe BidenGOP senators balk at lengthy impeachment trial MORE, a colleague "
        "of John McCain's in the Senate, and Majority Leader Mitch McConnell Addison (Mitch) Mitchell McConnellGOP "
        "senators balk at lengthy impeachment trial MORE (R-Ky.) spoke."
    )
    assert without_hover_boxes(text) == (
        "Former Vice President Joe Biden, a colleague of John McCain's in the Senate, and Majority Leader Mitch "
        "McConnell (R-Ky.) spoke."
    )
