"""Word and phrase extraction shared by topic keywords and tags.

Bigrams are formed only from words that are adjacent in the text, so removing stop words never
creates phrases the text does not contain ("obstruction of justice" gives no "obstruction justice").
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any


def _english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words, read from its file without importing scikit-learn (which
    imports SciPy: over a second of a page's first render for a list of words)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or spec.origin is None:
        raise ImportError("scikit-learn is not installed")
    path = Path(spec.origin).parent / "feature_extraction" / "_stop_words.py"
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # a module of one frozenset
    return frozenset(namespace["ENGLISH_STOP_WORDS"])


ENGLISH_STOP_WORDS = _english_stop_words()

EXTRA_STOP_WORDS = {
    "said",
    "says",
    "say",
    "mr",
    "ms",
    "mrs",
    "just",
    "like",
    "also",
    "would",
    "could",
    "one",
    "two",
    "new",
    "year",
    "years",
    "time",
    "told",
    "people",
    "week",
    "day",
    "percent",
    "according",
    "including",
    "going",
    "get",
    "got",
    "make",
    "made",
    "know",
    "think",
    "want",
    "way",
    "lot",
    "thing",
    "things",
    "don",
    "didn",
    "doesn",
    "isn",
    "wasn",
    "ve",
    "ll",
    "re",
    "im",
    "cnn",
    "fox",
    "npr",
    "reuters",
    "ap",
    "news",
    "story",
    "stories",
    "reported",
    "report",
    "reporting",
    "editor",
    "copyright",
    "image",
    "caption",
    "getty",
    "images",
    "photo",
    "click",
    "read",
    "share",
    "email",
    "twitter",
    "facebook",
    "video",
    "advertisement",
    "asked",
    "thinks",
    "did",
    "does",
    "let",
    "good",
    "really",
    "need",
    "needs",
    "come",
    "comes",
    "came",
    "take",
    "took",
    "look",
    "looking",
    "went",
    "put",
    "use",
    "used",
    "big",
    "far",
    "long",
    "set",
    "saying",
}
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS | EXTRA_STOP_WORDS)
_POSSESSIVE = re.compile(r"['’]s\b")
_TOKEN = re.compile(r"[a-z][a-z\-']*[a-z]")


def word_set(text: str, sep: str | None = None) -> frozenset[str]:
    """A set of words written as one string ("he she", or "a;b c" with sep=";"), for lists kept readable in code."""
    return frozenset(w for w in text.split(sep) if w)


def word_map(text: str) -> dict[str, str]:
    """'key:value;key:value' as a dict."""
    return dict(pair.split(":", 1) for pair in text.split(";"))


def analyze(text: str) -> list[str]:
    """Lower-cased words (3+ letters, not stop words) and bigrams of adjacent such words."""
    tokens = _TOKEN.findall(_POSSESSIVE.sub("", text.lower()))
    keep = [len(t) > 2 and t not in STOP_WORDS for t in tokens]
    out = [t for t, k in zip(tokens, keep, strict=True) if k]
    out += [f"{a} {b}" for a, b, ka, kb in zip(tokens, tokens[1:], keep, keep[1:], strict=False) if ka and kb]
    return out
