"""One entity for each person, organisation and place however an article names it ("Obama", "Barack
Obama", "President Obama"; "U.S." and "United States"; "FBI" and "Federal Bureau of Investigation").

The rule, in order (bench/eval_entities.py measures it against hand-made alias groups):
1. a form's key: titles dropped from a person ("President", "Sen.", "Mr."), middle initials dropped
   ("Donald J. Trump"), a few fixed names for places and bodies ("U.S." -> United States);
2. a one-word person is the full name ending in that word that the same article uses, else the full name
   that takes at least DOMINANT of the corpus's mentions ending in it ("Trump" -> Donald Trump unless the
   article names Ivanka Trump); an acronym is the organisation whose initials it spells, the same way;
3. an entity's kind is the kind most of its mentions were tagged with, its name its most used full form.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd

DOMINANT = 0.75
_TITLES = (
    "president",
    "president-elect",
    "former",
    "vice",
    "sen",
    "sen.",
    "senator",
    "rep",
    "rep.",
    "representative",
    "gov",
    "gov.",
    "governor",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "secretary",
    "speaker",
    "prime",
    "minister",
    "judge",
    "justice",
    "attorney",
    "general",
    "gen.",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "mayor",
    "sheriff",
    "chairman",
    "chairwoman",
    "chief",
    "leader",
    "lt.",
    "col.",
    "sgt.",
    "first",
    "lady",
    "candidate",
    "democrat",
    "republican",
    "state",
    "sir",
    "dame",
    "rev.",
    "reverend",
    "u.s.",
    "us",
    "house",
    "senate",
    "majority",
    "minority",
    "deputy",
    "commissioner",
    "ambassador",
    "director",
)
_TITLE_SET = frozenset(_TITLES)
FIXED = {
    "us": "United States",
    "u.s": "United States",
    "usa": "United States",
    "united states": "United States",
    "united states of america": "United States",
    "america": "United States",
    "the united states": "United States",
    "uk": "United Kingdom",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "united kingdom": "United Kingdom",
    "un": "United Nations",
    "united nations": "United Nations",
    "eu": "European Union",
    "european union": "European Union",
    "nyc": "New York City",
    "new york city": "New York City",
    "gop": "Republican Party",
    "republican party": "Republican Party",
    "democratic party": "Democratic Party",
    "ussr": "Soviet Union",
    "soviet union": "Soviet Union",
    "uae": "United Arab Emirates",
    "united arab emirates": "United Arab Emirates",
}
_SKIP_INITIALS = frozenset(("of", "the", "and", "for", "on", "in", "&", "to", "at"))
_INITIAL = re.compile(r"^[A-Z]\.?$")


def base_name(surface: str, kind: str) -> str:
    """A mention's name before aliases across mentions: titles and middle initials dropped, fixed names."""
    fixed = FIXED.get(surface.lower())
    if fixed:
        return fixed
    if kind != "person":
        return surface
    words = surface.split()
    while len(words) > 1 and words[0].lower() in _TITLE_SET:
        words = words[1:]
    if len(words) > 2:
        words = [words[0]] + [w for w in words[1:-1] if not _INITIAL.match(w)] + [words[-1]]
    return " ".join(words)


def initials(name: str) -> str:
    """The acronym a multi-word name spells ("Federal Bureau of Investigation" -> "FBI")."""
    return "".join(w[0] for w in name.split() if w.lower() not in _SKIP_INITIALS and w[:1].isalpha()).upper()


def _short_to_long(
    short: dict[str, list[str]], article_names: dict[str, set[str]], weight: Counter[str], dominant: float
):
    """For each short form, a function of the article: the long form it stands for there, or None."""
    corpus_pick: dict[str, str | None] = {}
    for s, longs in short.items():
        total = sum(weight[x] for x in longs)
        best = max(longs, key=lambda x: (weight[x], x))
        corpus_pick[s] = best if total and weight[best] >= dominant * total else None

    def pick(s: str, article: str) -> str | None:
        here = [x for x in short.get(s, ()) if x in article_names.get(article, ())]
        if len(here) == 1:
            return here[0]
        return corpus_pick.get(s) if not here else None

    return pick


def resolve(
    mentions: pd.DataFrame, dominant: float = DOMINANT, in_article: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entities from mention rows (article_id, surface, kind, count).

    Returns (links, entities): links has article_id, key, count (one row per article and entity);
    entities has key, name, kind, mentions, articles, aliases (surface forms, most used first)."""
    if mentions.empty:
        return (
            pd.DataFrame(columns=["article_id", "key", "count"]),
            pd.DataFrame(columns=["key", "name", "kind", "mentions", "articles", "aliases"]),
        )
    m = keyed(mentions, dominant, in_article)
    links = m.groupby(["article_id", "key"], as_index=False)["count"].sum()
    return links, _entities(m, links)


def keyed(mentions: pd.DataFrame, dominant: float = DOMINANT, in_article: bool = True) -> pd.DataFrame:
    """The mention rows with the key of the entity each resolves to (steps 1 and 2 of the rule; dominant and
    in_article are there for bench/eval_entities.py to measure the rule's choices)."""
    m = mentions.copy()
    m["base"] = [base_name(s, k) for s, k in zip(m["surface"], m["kind"], strict=True)]
    m["bkey"] = m["base"].str.lower()
    weight: Counter[str] = Counter()
    for k, n in zip(m["bkey"], m["count"], strict=True):
        weight[k] += int(n)
    persons = m[m["kind"] == "person"]
    full = {k for k in persons["bkey"].unique() if " " in k}
    by_last: dict[str, list[str]] = defaultdict(list)
    for k in sorted(full):
        by_last[k.rsplit(" ", 1)[1]].append(k)
    single_person = {k for k in persons["bkey"].unique() if " " not in k and k in by_last}
    orgs = m[m["kind"] == "organisation"]
    long_orgs = {k: b for k, b in zip(orgs["bkey"], orgs["base"], strict=True) if len(b.split()) >= 2}
    by_initials: dict[str, list[str]] = defaultdict(list)
    for k, b in sorted(long_orgs.items()):
        if len(initials(b)) >= 2:
            by_initials[initials(b).lower()].append(k)
    acronyms = {k for k, b in zip(orgs["bkey"], orgs["base"], strict=True) if b.isupper() and k in by_initials}
    names_in: dict[str, set[str]] = defaultdict(set)
    for a, k in zip(m["article_id"], m["bkey"], strict=True):
        names_in[a].add(k)
    names = names_in if in_article else {}
    surname = _short_to_long({s: by_last[s] for s in single_person}, names, weight, dominant)
    acronym = _short_to_long({s: by_initials[s] for s in acronyms}, names, weight, dominant)
    keys = []
    for a, k in zip(m["article_id"], m["bkey"], strict=True):
        target = surname(k, a) if k in single_person else acronym(k, a) if k in acronyms else None
        keys.append(target or k)
    m["key"] = keys
    return m


def _entities(m: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    order = {"ascending": [True, False, True]}
    kind = m.groupby(["key", "kind"])["count"].sum().reset_index().sort_values(["key", "count", "kind"], **order)
    kind_of = kind.drop_duplicates("key").set_index("key")["kind"]
    forms = m.groupby(["key", "base"])["count"].sum().reset_index()
    alias = m.groupby(["key", "surface"])["count"].sum().reset_index().sort_values(["key", "count", "surface"], **order)
    aliases = alias.groupby("key")["surface"].agg(list)
    forms["kind"] = forms["key"].map(kind_of)
    forms["full"] = (forms["kind"] != "person") | forms["base"].str.contains(" ")  # a person's full name first
    forms = forms.sort_values(["key", "full", "count", "base"], ascending=[True, False, False, True])
    name_of = forms.drop_duplicates("key").set_index("key")["base"].to_dict()
    fixed = {v.lower(): v for v in FIXED.values()}
    name_of.update({k: fixed[k] for k in name_of if k in fixed})
    totals = links.groupby("key").agg(mentions=("count", "sum"), articles=("article_id", "nunique"))
    out = totals.reset_index()
    out["name"] = out["key"].map(name_of)
    out["kind"] = out["key"].map(kind_of)
    out["aliases"] = out["key"].map(aliases)
    out = out.sort_values(["mentions", "key"], ascending=[False, True]).reset_index(drop=True)
    return out[["key", "name", "kind", "mentions", "articles", "aliases"]]
