"""Whether a text reads as English: tone and entities come from English models, so other texts get none."""

from __future__ import annotations

import re

_FUNCTION_WORDS = frozenset(
    (
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "that",
        "for",
        "on",
        "was",
        "with",
        "he",
        "it",
        "as",
        "by",
        "at",
        "from",
        "his",
        "her",
        "are",
        "be",
        "this",
        "have",
        "not",
        "but",
        "they",
        "which",
        "were",
        "has",
        "would",
    )
)
_WORD = re.compile(r"[^\W\d_]+")


def looks_english(text: str) -> bool:
    """True unless a text of 30+ words has almost no English function words (tone is English-only)."""
    words = _WORD.findall(text.lower()[:2000])
    if len(words) < 30:
        return True
    return sum(w in _FUNCTION_WORDS for w in words) / len(words) >= 0.08
