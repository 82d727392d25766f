"""Readable labels for topics and themes from their keywords, in the corpus's own spelling."""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORDS = re.compile(r"[A-Za-z][A-Za-z\-']+[A-Za-z]")


def case_map(docs: Sequence[str], limit: int = 3000) -> dict[str, str]:
    """The most common spelling of each word in a sample of documents ("nra" -> "NRA")."""
    from collections import Counter

    forms: Counter[str] = Counter()
    step = max(1, len(docs) // limit)
    for d in list(docs)[::step]:
        forms.update(_WORDS.findall(d))
    best: dict[str, tuple[int, str]] = {}
    for form, n in forms.items():
        low = form.lower()
        if low not in best or n > best[low][0]:
            best[low] = (n, form)
    return {k: v for k, (_, v) in best.items()}


def make_labels(
    keywords: dict[int, list[tuple[str, float]]], n_words: int = 3, cases: dict[str, str] | None = None
) -> dict[int, str]:
    """Short readable labels from keywords ("Impeachment, Senate trial, Pelosi"), unique across topics."""
    labels: dict[int, str] = {}
    used: set[str] = set()
    for topic_id, words in keywords.items():
        picked: list[str] = []
        for w, _ in words:
            # Skip a keyword that repeats a word already picked ("trial" after "senate trial").
            if set(w.split()) & {x for p in picked for x in p.split()}:
                continue
            picked.append(w)
            if len(picked) == n_words:
                break
        label = ", ".join(title_case(w, cases) for w in picked) or f"Topic {topic_id}"
        extra = iter(w for w, _ in words if w not in picked)
        while label.lower() in used:
            nxt = next(extra, None)
            label = f"{label}, {title_case(nxt, cases)}" if nxt else f"{label} ({topic_id})"
        used.add(label.lower())
        labels[topic_id] = label
    return labels


def title_case(word: str, cases: dict[str, str] | None = None) -> str:
    """Capitalise a keyword, keeping the corpus's own spelling of names and acronyms."""
    parts = []
    for p in word.split():
        known = (cases or {}).get(p.lower())
        if known and (known.isupper() or known[:1].isupper()):
            parts.append(known)
        else:
            parts.append(p[:1].upper() + p[1:])
    return " ".join(parts)
