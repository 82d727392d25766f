"""One entity for each person, organisation and place however an article names it ("Obama", "Barack
Obama", "President Obama"; "U.S." and "United States"; "FBI" and "Federal Bureau of Investigation").

The rule, in order (bench/eval_entities.py measures it against hand-made alias groups):
1. a form's key: titles dropped from a person ("President", "Sen.", "Mr."), middle initials dropped
   ("Donald J. Trump"), a few fixed names for places and bodies ("U.S." -> United States);
2. a one-word person is the full name ending in that word that the same article uses, else the full name
   that takes at least DOMINANT of the corpus's mentions ending in it ("Trump" -> Donald Trump unless the
   article names Ivanka Trump); an acronym is the organisation whose initials it spells, the same way; a
   one-word name the tagger read as an organisation or place is a person's surname when the same article names
   that person in full ("Hagel" beside Chuck Hagel) or when the word is tagged a person at least half the time,
   and a one-word organisation is the longer one of the same article it begins ("Amnesty");
3. an entity's kind is the kind most of its mentions were tagged with, its name its most used full form.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd

from analysis.terms import word_map, word_set

DOMINANT = 0.75
# a one-word name read as an organisation or place is the dominant person of that surname when the person's full
# name is mentioned this many times more often than the word is misread ("Mueller" 86 articles, Robert Mueller 374;
# "Washington" the place stays a place: George Washington is named far less often)
SURNAME_OVER_MISREAD = 3
# a name is part of a longer one only when the longer is used at least this share as often: a headline fragment
# used once ("Sanders Elizabeth Warren") must not take Elizabeth Warren's 172 mentions
LONGER_SHARE = 0.1
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
    "democrats": "Democratic Party",
    "dems": "Democratic Party",
    "republicans": "Republican Party",
    "g.o.p": "Republican Party",
    "isis": "Islamic State",
    "isil": "Islamic State",
    "daesh": "Islamic State",
    "islamic state": "Islamic State",
    "scotus": "U.S. Supreme Court",
    "supreme court": "U.S. Supreme Court",
    "u.s. supreme court": "U.S. Supreme Court",
    "us supreme court": "U.S. Supreme Court",
    "united states supreme court": "U.S. Supreme Court",
    "dc": "Washington, D.C.",
    "d.c": "Washington, D.C.",
    "washington dc": "Washington, D.C.",
    "washington d.c": "Washington, D.C.",
    "house of representatives": "House",
    "u.s. house of representatives": "House",
    "us house of representatives": "House",
    "u.s. house": "House",
    "u.s. senate": "Senate",
    "us senate": "Senate",
    "u.s. congress": "Congress",
    "us congress": "Congress",
}


# the AP's state abbreviations, as in "Sen. Kamala Harris, D-Calif." ("Calif." -> California)
STATES = word_map(
    "ala:Alabama;ariz:Arizona;ark:Arkansas;calif:California;colo:Colorado;conn:Connecticut;del:Delaware;"
    "fla:Florida;ga:Georgia;ill:Illinois;ind:Indiana;kan:Kansas;ky:Kentucky;la:Louisiana;md:Maryland;"
    "mass:Massachusetts;mich:Michigan;minn:Minnesota;miss:Mississippi;mo:Missouri;mont:Montana;"
    "neb:Nebraska;nev:Nevada;n.h:New Hampshire;n.j:New Jersey;n.m:New Mexico;n.y:New York;"
    "n.c:North Carolina;n.d:North Dakota;okla:Oklahoma;ore:Oregon;pa:Pennsylvania;r.i:Rhode Island;"
    "s.c:South Carolina;s.d:South Dakota;tenn:Tennessee;vt:Vermont;va:Virginia;wash:Washington (state);"
    "w.va:West Virginia;wis:Wisconsin;wyo:Wyoming"
)
_SKIP_INITIALS = frozenset(("of", "the", "and", "for", "on", "in", "&", "to", "at"))
_INITIAL = re.compile(r"^[A-Z]\.?$")
_HEADLINE_VERB = re.compile(r"^[A-Z][a-z]{2,}ing$")
_ING_NAMES = word_set(
    "sterling irving manning fleming browning channing harding golding pershing ewing lansing redding "
    "reading darling hastings billings"
)


def base_name(surface: str, kind: str) -> str:
    """A mention's name before aliases across mentions: titles and middle initials dropped, fixed names."""
    low = surface.lower().rstrip(".")
    fixed = FIXED.get(low) or (STATES.get(low) if kind == "place" else None)
    if fixed:
        return fixed
    if kind != "person":
        return surface
    words = surface.split()
    while len(words) > 1 and words[0].lower() in _TITLE_SET:
        words = words[1:]
    if len(words) > 2 and _HEADLINE_VERB.match(words[0]) and words[0].lower() not in _ING_NAMES:
        words = words[1:]  # a headline's verb before the name: "Firing Robert Mueller" is Robert Mueller
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
    # a one-word name the tagger read as an organisation or place ("Sanders" in a headline) that is the surname of
    # a person: that person when the same article names them in full, or when the word is mostly tagged a person
    as_person = Counter(k for k, kd in zip(m["bkey"], m["kind"], strict=True) if kd == "person")
    as_any = Counter(m["bkey"])
    people_in: dict[str, list[str]] = defaultdict(list)
    orgs_in: dict[str, list[str]] = defaultdict(list)
    for a, k, kd in zip(m["article_id"], m["bkey"], m["kind"], strict=True):
        if kd == "person" and " " in k:
            people_in[a].append(k)
        elif kd == "organisation" and " " in k:
            orgs_in[a].append(k)
    # the weight of a word where it was read as something other than a person ("Mueller" in "Mueller report")
    not_person: Counter[str] = Counter()
    for k, kd, n in zip(m["bkey"], m["kind"], m["count"], strict=True):
        if kd != "person":
            not_person[k] += int(n)
    keys = []
    for a, k, kd in zip(m["article_id"], m["bkey"], m["kind"], strict=True):
        target = surname(k, a) if k in single_person and (kd == "person" or as_person[k] * 2 >= as_any[k]) else None
        if target is None and k in single_person and kd != "person":
            found = surname(k, a)  # the dominant person of that surname, far more often named than the word is misread
            target = found if found is not None and weight[found] >= SURNAME_OVER_MISREAD * not_person[k] else None
        if target is None and k in acronyms:
            target = acronym(k, a)
        if target is None and " " not in k and kd != "person":
            full = {x for x in people_in[a] if x.rsplit(" ", 1)[1] == k}
            longer = {x for x in orgs_in[a] if x.split(" ", 1)[0] == k} if kd == "organisation" else set()
            if len(full) == 1:
                target = full.pop()  # "Hagel" (read as a place) in an article naming Chuck Hagel
            elif len(longer) == 1 and not full and weight[next(iter(longer))] >= weight[k]:
                target = longer.pop()  # "Amnesty" beside Amnesty International; not "Senate" beside a committee
        keys.append(target or k)
    m["key"] = keys
    return _partial_names(m)


_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
# a first name and its short form: "Bob Mueller" is Robert Mueller
NICKNAMES = word_map(
    "bob:robert;rob:robert;bobby:robert;bill:william;will:william;billy:william;joe:joseph;mike:michael;"
    "jim:james;jimmy:james;tom:thomas;dick:richard;rick:richard;ted:edward;ed:edward;chuck:charles;"
    "charlie:charles;dan:daniel;dave:david;steve:steven;chris:christopher;tony:anthony;nick:nicholas;"
    "pat:patrick;ben:benjamin;sam:samuel;alex:alexander;andy:andrew;matt:matthew;greg:gregory;jeff:jeffrey;"
    "liz:elizabeth;beth:elizabeth;kate:katherine;kathy:kathleen;sue:susan;jen:jennifer;meg:margaret"
)


def _one_edit(a: str, b: str) -> bool:
    """Whether two words differ by one letter added, dropped or changed ("Qassem", "Qasem")."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _same_person(a: list[str], b: list[str]) -> bool:
    """Two-word names with the same surname whose first names are one name ("Bob"/"Robert", "Qasem"/"Qassem")."""
    if len(a) != 2 or len(b) != 2 or a[1] != b[1]:
        return False
    x, y = a[0], b[0]
    return NICKNAMES.get(x) == y or NICKNAMES.get(y) == x or (min(len(x), len(y)) >= 4 and _one_edit(x, y))


def _in_order(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


def _partial_names(m: pd.DataFrame) -> pd.DataFrame:
    """A person's name given in part or out of order is the full name it is part of: "Blasey Ford", "Christine
    Blasey" and "Christine Ford" are Christine Blasey Ford; "Trump Donald" is Donald Trump; "Robert Mueller
    Robert" was cut to Robert Mueller by the tagger. The full name the same article uses comes first, else the
    only one in the corpus that fits."""
    people = m["kind"] == "person"
    keys = sorted(set(m.loc[people, "key"]))
    multi = [k for k in keys if " " in k]
    weight = m[people].groupby("key")["count"].sum()
    fits: dict[str, list[str]] = {}
    for k in multi:
        words = k.split()
        longer = [
            x
            for x in multi
            if len(x.split()) > len(words)
            and _in_order(words, x.split())
            and (x.split()[0] == words[0] or x.split()[-1] == words[-1])
            and x.split()[-1].rstrip(".") not in _GENERATIONS  # Donald Trump is not Donald Trump Jr.
            and weight[x]
            >= LONGER_SHARE * weight[k]  # not a rare slip ("Firing Robert Mueller", "Bernie Sanders 2020")
        ]
        longer += [x for x in multi if x != k and _same_person(words, x.split()) and (weight[x], k) > (weight[k], x)]
        reversed_ = " ".join(reversed(words))
        if len(words) == 2 and reversed_ in multi and (weight[reversed_], k) > (weight[k], reversed_):
            longer.append(reversed_)  # the less used order is the more used one
        if longer:
            fits[k] = longer
    if not fits:
        return m
    in_article: dict[str, set[str]] = defaultdict(set)
    for a, k, p in zip(m["article_id"], m["key"], people, strict=True):
        if p:
            in_article[a].add(k)
    out = []
    for a, k, p in zip(m["article_id"], m["key"], people, strict=True):
        options = fits.get(k) if p else None
        if not options:
            out.append(k)
            continue
        here = [x for x in options if x in in_article[a]]
        pick = here if len(here) == 1 else options if len(options) == 1 else []
        if not pick and " ".join(reversed(k.split())) in options:
            pick = [" ".join(reversed(k.split()))]
        out.append(pick[0] if pick else k)
    m["key"] = out
    return m


def _entities(m: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    order = {"ascending": [True, False, True]}
    kind = m.groupby(["key", "kind"])["count"].sum().reset_index().sort_values(["key", "count", "kind"], **order)
    kind_of = kind.drop_duplicates("key").set_index("key")["kind"]
    # a group keyed by a person's full name is that person, however often its surname was read as something else
    own = m[(m["bkey"] == m["key"]) & m["key"].str.contains(" ")].groupby(["key", "kind"])["count"].sum().unstack()
    person_share = own["person"].fillna(0) / own.sum(axis=1) if "person" in own.columns else pd.Series(dtype=float)
    full_people = set(person_share[person_share > 0.5].index)
    kind_of = pd.Series({k: "person" if k in full_people else v for k, v in kind_of.items()}, dtype=object)
    forms = m.groupby(["key", "base"])["count"].sum().reset_index()
    alias = m.groupby(["key", "surface"])["count"].sum().reset_index().sort_values(["key", "count", "surface"], **order)
    aliases = alias.groupby("key")["surface"].agg(list)
    forms["kind"] = forms["key"].map(kind_of)
    forms["full"] = (forms["kind"] != "person") | forms["base"].str.contains(" ")  # a person's full name first
    forms["is_key"] = forms["base"].str.lower() == forms["key"]  # on a tie, the form the others resolved to
    forms = forms.sort_values(["key", "full", "count", "is_key", "base"], ascending=[True, False, False, False, True])
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
