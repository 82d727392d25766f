"""Word and phrase extraction shared by topic keywords and tags.

Bigrams are formed only from words that are adjacent in the text, so removing stop words never
creates phrases the text does not contain ("obstruction of justice" gives no "obstruction justice").
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

EXTRA_STOP_WORDS = {
    "said", "says", "say", "mr", "ms", "mrs", "just", "like", "also", "would", "could", "one", "two",
    "new", "year", "years", "time", "told", "people", "week", "day", "percent", "according", "including",
    "going", "get", "got", "make", "made", "know", "think", "want", "way", "lot", "thing", "things",
    "don", "didn", "doesn", "isn", "wasn", "ve", "ll", "re", "im", "cnn", "fox", "npr", "reuters", "ap",
    "news", "story", "stories", "reported", "report", "reporting", "editor", "copyright", "image", "caption",
    "getty", "images", "photo", "click", "read", "share", "email", "twitter", "facebook", "video", "advertisement",
    "asked", "thinks", "did", "does", "let", "good", "really", "need", "needs", "come", "comes", "came", "take",
    "took", "look", "looking", "went", "put", "use", "used", "big", "far", "long", "set", "saying",
}  # fmt: skip
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS | EXTRA_STOP_WORDS)
_POSSESSIVE = re.compile(r"['’]s\b")
_TOKEN = re.compile(r"[a-z][a-z\-']*[a-z]")


def analyze(text: str) -> list[str]:
    """Lower-cased words (3+ letters, not stop words) and bigrams of adjacent such words."""
    tokens = _TOKEN.findall(_POSSESSIVE.sub("", text.lower()))
    keep = [len(t) > 2 and t not in STOP_WORDS for t in tokens]
    out = [t for t, k in zip(tokens, keep, strict=True) if k]
    out += [f"{a} {b}" for a, b, ka, kb in zip(tokens, tokens[1:], keep, keep[1:], strict=False) if ka and kb]
    return out
