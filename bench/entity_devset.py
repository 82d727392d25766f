"""Entities measured on the hand-labelled articles outside the demo (bench/devsets/entities_gold_*.jsonl: 300
articles, every name of a person, organisation or place in the headline and first 90 words, with the entity it
refers to). Used by bench/eval_entities.py.

- mention precision: of the (article, name) pairs the tagger gives, the share a reader also wrote down;
- mention recall: of the pairs the reader wrote down, the share the tagger gives;
- kind right: of the pairs both have, the share with the reader's kind;
- alias recall: of the tagger's mentions of a real entity (matched pairs), the share that land in the group most
  of that entity's mentions land in ("mentions of one real entity in one group");
- one-article entities: the tagger's entities (after grouping) named in one article only, and per article.
Names are compared without case, punctuation, a leading "the" or titles ("President Donald Trump" = "Donald
Trump")."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pandas as pd

from bench.devset_articles import articles, gold, present

TITLES = {
    "president",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "prime",
    "minister",
    "secretary",
    "speaker",
    "leader",
    "chancellor",
    "judge",
    "justice",
    "gen",
    "general",
    "vice",
    "former",
}


def norm(name: str) -> str:
    name = re.sub(r"['’]s\b", "", name.lower()).replace(".", "")  # "U.S." = "US", "Trump's" = "Trump"
    words = re.sub(r"[^\w\s]", " ", name).split()
    while words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[0] in TITLES:
        words = words[1:]
    return " ".join(words)


def tag(rows: dict[str, dict[str, str]]) -> pd.DataFrame:
    """The tagger's mentions of the articles, as the pipeline finds them (article_id, surface, kind, count)."""
    from analysis.enrich.entity_tagger import EntityTagger, tag_articles

    ids = sorted(rows)
    found = tag_articles(
        EntityTagger(), [rows[i]["title"] for i in ids], [rows[i]["text"] for i in ids], [True] * len(ids)
    )
    return pd.DataFrame(
        [(a, m.surface, m.kind, m.count) for a, ms in zip(ids, found, strict=True) for m in ms],
        columns=["article_id", "surface", "kind", "count"],
    )


def scores(m: pd.DataFrame, labelled: list[dict[str, Any]]) -> dict[str, Any]:
    from analysis.enrich.entity_aliases import keyed, resolve

    truth = {(g["id"], norm(x["text"])): x for g in labelled for x in g["mentions"] if norm(x["text"])}
    ours = {(a, norm(s)): k for a, s, k in zip(m["article_id"], m["surface"], m["kind"], strict=True)}
    hits = set(ours) & set(truth)
    wrong = Counter(s for (a, s) in set(ours) - set(truth))
    missed = Counter(s for (a, s) in set(truth) - set(ours))
    kind_right = sum(ours[h] == truth[h]["kind"] for h in hits)
    _, ents = resolve(m)
    k = keyed(m).assign(n=[norm(s) for s in m["surface"]])
    k["entity"] = [
        truth[(a, n)]["entity"] if (a, n) in truth else None for a, n in zip(k["article_id"], k["n"], strict=True)
    ]
    k = k[k["entity"].notna()]
    right = 0
    split_entities = []
    for entity, part in k.groupby("entity"):
        by = part.groupby("key")["count"].sum()
        right += int(by.max())
        if len(by) > 1:
            split_entities.append(f"{entity}: {' | '.join(by.index)}")
    one = int((ents["articles"] == 1).sum()) if len(ents) else 0
    return {
        "articles": len(labelled),
        "labelled names": len(truth),
        "tagger names": len(ours),
        "mention precision": round(len(hits) / max(len(ours), 1), 3),
        "mention recall": round(len(hits) / max(len(truth), 1), 3),
        "kind right": round(kind_right / max(len(hits), 1), 3),
        "alias recall": round(right / max(int(k["count"].sum()), 1), 3),
        "entities": len(ents),
        "one-article entities": f"{one} ({one / max(len(ents), 1):.0%})",
        "one-article entities per article": round(one / max(len(labelled), 1), 2),
        "_wrong": ", ".join(f"{s} x{n}" for s, n in wrong.most_common(25)),
        "_missed": ", ".join(f"{s} x{n}" for s, n in missed.most_common(25)),
        "_split": "; ".join(sorted(split_entities)[:25]),
    }


def run_devset() -> tuple[list[dict[str, Any]], list[str]]:
    labelled = gold("entities_gold")
    if not labelled or not present():
        return [], ["hand-labelled set skipped: data not present"]
    rows = articles({g["id"] for g in labelled})
    s = scores(tag(rows), labelled)
    notes = [
        "hand-labelled (300 articles outside the demo): " + __doc__.split("\n\n")[1].replace("\n", " "),
        f"names the tagger gives that the reader did not (most frequent): {s.pop('_wrong')}",
        f"names the reader wrote down that the tagger missed: {s.pop('_missed')}",
        f"real entities split over several groups: {s.pop('_split')}",
    ]
    return [{"corpus": "hand-labelled, outside the demo", **s}], notes
