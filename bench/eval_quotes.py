"""Who is quoted: speaker precision and recall of analysis.enrich.quotes on hand-labelled articles outside the
demo (bench/devsets/quotes_gold_*.jsonl: 60 articles from the full AllSides file and the international corpus,
every direct quotation of four words or more in the first 700 words, with its speaker as the article names them).

A labelled quotation is found when one of ours starts with its first words. Over quotations found:
- precision: of those we give a named speaker, the share whose speaker is the labelled one (a surname alone
  agrees with the full name: "Booker" and "Vauhxx Booker");
- recall: of those labelled with a named speaker, the share we give that speaker (quotations we miss count as
  missed);
- quotations found: labelled quotations we extract at all.
"""

from __future__ import annotations

import re
from collections import Counter

from bench.common import report
from bench.devset_articles import articles, first_words, gold, present

WORDS = 700


def norm(s: str | None) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (s or "").lower().replace("’", "'")).split())


def same_speaker(ours: str, theirs: str) -> bool:
    """The same name, or one part of it: a surname alone ("Booker", "Vauhxx Booker"), a family name first ("Pak",
    "Pak Myong-ho"), the name without a middle initial ("Shannen Coffin", "Shannen W. Coffin")."""
    a = [w for w in norm(ours).split() if len(w) > 1]
    b = [w for w in norm(theirs).split() if len(w) > 1]
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return (len(short) == 1 and short[0] == long_[-1]) or long_[-len(short) :] == short


def run() -> None:
    from analysis.enrich.quotes import find_quotes

    labelled = gold("quotes_gold")
    if not labelled or not present():
        report("quotes", [], ["skipped: data not present (bench/devsets/quotes_gold_*.jsonl and ../shared)"])
        return
    texts = articles({g["id"] for g in labelled})
    found = named_ours = named_right = gold_named = gold_named_right = total = 0
    wrong: Counter[str] = Counter()
    by_how: Counter[tuple[str, bool]] = Counter()
    for g in labelled:
        ours = find_quotes(first_words(texts[g["id"]]["text"], WORDS))
        used: set[int] = set()
        for q in g["quotes"]:
            total += 1
            key = norm(q["quote"])[:40]
            hit = next((i for i, o in enumerate(ours) if i not in used and norm(o.quote).startswith(key)), None)
            named = bool(q.get("named")) and q.get("speaker") is not None
            gold_named += named
            if hit is None:
                by_how[(q.get("how", "?"), False)] += 1
                continue
            used.add(hit)
            found += 1
            o = ours[hit]
            right = named and o.speaker is not None and same_speaker(o.speaker, q["speaker"])
            by_how[(q.get("how", "?"), right)] += 1
            if o.speaker is not None:
                named_ours += 1
                named_right += right
                if not right:
                    wrong[f"{o.speaker} (labelled {q.get('speaker')})"] += 1
            gold_named_right += right
    precision = named_right / named_ours if named_ours else 0.0
    recall = gold_named_right / gold_named if gold_named else 0.0
    rows = [
        {
            "articles": len(labelled),
            "quotations labelled": total,
            "with a named speaker": gold_named,
            "found": found,
            "speakers given": named_ours,
            "speaker precision": round(precision, 3),
            "right": named_right,
            "speaker recall": round(recall, 3),
        }
    ]
    hows = sorted({h for h, _ in by_how})
    notes = [
        "targets: precision >= 0.90, recall >= 0.70",
        "right speaker by how the labeller found it: "
        + ", ".join(f"{h} {by_how[(h, True)]}/{by_how[(h, True)] + by_how[(h, False)]}" for h in hows),
        "wrong speakers given (first 15): " + "; ".join(f"{k} x{v}" for k, v in wrong.most_common(15)),
    ]
    report("quotes", rows, notes)


if __name__ == "__main__":
    run()
