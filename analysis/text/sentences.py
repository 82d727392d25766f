"""Paragraphs and sentences with BlingFire (ships its model; about 0.2 ms per article), and sentences joined so a
quotation is never cut."""

from __future__ import annotations

import re
from collections.abc import Sequence

_PARA = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARA.split(text or "") if p.strip()]


def sentences(text: str) -> list[str]:
    """Sentences in reading order; paragraph breaks always end a sentence."""
    import blingfire

    out: list[str] = []
    for para in paragraphs(text):
        para = " ".join(para.split())
        out.extend(s.strip() for s in blingfire.text_to_sentences(para).split("\n") if s.strip())
    return out


QUOTE_MARKS = '"“”„«»'


def open_quotes(text: str) -> bool:
    """An odd number of double quotation marks (curly and straight counted alike: sources mix them)."""
    return sum(text.count(q) for q in QUOTE_MARKS) % 2 == 1


def whole_quotes(parts: Sequence[str], max_join: int = 3) -> list[str]:
    """Sentences joined where a quotation runs over several of them, so no candidate opens a quote it
    does not close; a quotation still open after max_join sentences is dropped, never cut."""
    out: list[str] = []
    i = 0
    while i < len(parts):
        s = parts[i]
        j = i + 1
        while open_quotes(s) and j < len(parts) and j - i < max_join:
            s = f"{s} {parts[j]}"
            j += 1
        if not open_quotes(s):
            out.append(s)
        i = j
    return out
