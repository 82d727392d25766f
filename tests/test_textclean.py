from analysis.textclean import clean_text


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
