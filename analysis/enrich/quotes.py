"""Who is quoted: direct quotations in an article body and the speaker each is attributed to.

A rule, not a model. Quotation marks are paired ("..." and “...”, mixed as sources mix them); quotations of
fewer than four words are left out (scare quotes, titles). The speaker is read from the attribution:
- after the quotation: `"...," said Sen. Chuck Schumer`, `"...," Schumer told reporters`, `"...," Fallin's
  spokesperson, Alex Weintz, declared`;
- before it, in the same sentence: `Booker wrote: "..."`, `According to the FBI, "..."`, `Schumer was
  dismissive, calling it "..."`;
- a pronoun (`"...," she said`) or an epithet (`the Kentucky Republican said`) is the person the sentences
  before name first (the subject, usually; not a name inside a quotation or a photo credit); a role (`the
  speaker told reporters`) is the one the article gave that title;
- a quotation that follows another with nothing between them but that one's attribution keeps its speaker;
- a quotation that opens a sentence with no attribution of its own belongs to whoever the sentence before
  opens by saying something (`Green said after the vote that ... "We got 95 votes ..."`).
A speaker given only as a description ("a spokesman", "a senior Senate Democratic aide") is kept as unnamed.
Names are given in full when the article gives them in full (`Schumer` after `Chuck Schumer`), without titles
or party tags.
bench/eval_quotes.py measures the rule on hand-labelled articles outside the demo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.terms import word_set

VERSION = "4"  # the rules' version: a change makes the quotes stage read every article again
MIN_WORDS = 4  # shorter quoted phrases are mostly scare quotes and titles
MAX_QUOTE_CHARS = 600  # a "quotation" longer than this is a mismatched pair of marks
LOOK_BACK = 2  # sentences searched for whom a pronoun refers to

VERBS = (
    "said|says|say|told|tells|added|adds|wrote|writes|tweeted|tweets|posted|explained|stated|"
    "noted|argued|argues|asked|continued|insisted|recalled|warned|declared|"
    "replied|responded|acknowledged|admitted|claimed|complained|"
    "announced|announces|remarked|observed|conceded|cautioned|predicted|suggested|testified|recounted|joked|"
    "shouted|yelled|wondered|concluded|emphasized|emphasised|stressed|urged|lamented|quipped|boasted|vowed|"
    "promised|countered|charged|alleged|confirmed|denied|maintained|contended|asserted|reiterated|mused|"
    "exclaimed|demanded|pleaded|scoffed|agreed|reported|blared|read|chanted|praised|described|called|wrote in|"
    "pointed out|put it|retorts|retorted"
)
PARTICIPLES = (
    "saying|adding|noting|arguing|calling|writing|telling|insisting|explaining|claiming|warning|describing|"
    "declaring|vowing|asking|stating|suggesting|urging|complaining|tweeting|posting|recalling|acknowledging"
)
_VERB = re.compile(rf"\b(?:{VERBS})\b")
_ADVERB = r"(?:[a-z]+ly|later|also|then|once|previously|again|recently|earlier|now|had|has|have|would|will|later)"
# words before a name that are its title or role ("Senate Minority Leader Chuck Schumer" -> Chuck Schumer)
TITLES = word_set(
    "president vice sen senator rep representative gov governor mayor secretary dr mr mrs ms miss prof "
    "professor judge justice gen general lt col capt sgt chancellor prime minister speaker leader chairman "
    "chairwoman chair attorney rev pope king queen prince princess sheriff chief officer director commissioner "
    "ambassador coach former first lady state foreign deputy majority minority whip spokesman spokeswoman "
    "spokesperson ceo founder candidate gop sir dame lord mp executive acting special counsel member "
    "assemblyman assemblywoman congressman congresswoman councilman councilwoman premier detective agent "
    "inspector superintendent archbishop bishop cardinal rabbi imam pastor father sister brother president-elect "
    "senator-elect nominee correspondent reporter columnist editor analyst economist host anchor minister"
)
# roles a sentence may refer to a person by ("the president said"): the one the article gave that title
ROLES = word_set(
    "president governor senator mayor speaker secretary minister chancellor judge justice leader chairman "
    "chairwoman premier ambassador congressman congresswoman archbishop pope king queen prince general"
)
# titles that stand only before a person's name
_PERSONAL = word_set("mr mrs ms miss dr sen rep gov prof rev sir dame lord mp") | ROLES
PRONOUNS = word_set("he she")
# what a person already named is called again ("the Kentucky Republican said", "the struggling contender explained")
EPITHETS = word_set(
    "republican democrat lawmaker candidate contender nominee congressman congresswoman senator billionaire "
    "businessman businesswoman actor actress singer rapper star veteran"
)
# capitalised at a sentence's start, not names: "Meanwhile, Smith said", "Neither Booker nor ..."
_NOT_NAMES = word_set(
    "the a an this that these those it its he she they we i you his her their our my in on at by for with from "
    "to of as after before when while if but and or so yet neither nor either both all some many most another "
    "other one two there here then now also even still however meanwhile nonetheless instead although though "
    "because since until during despite under over about against among between through without within why what "
    "who how where which whether not no yes every each such much more less only just perhaps indeed thus later "
    "earlier today tonight yesterday tomorrow political asked speaking writing responding january february march "
    "april june july august september october november december monday tuesday wednesday thursday friday "
    "saturday sunday i'm i’m i've i’ve i'd i’d i'll i’ll advertisement watch listen read related video photo "
    "update according enlarge toggle caption continued below pinterest"
)
# a speaker with one of these words is an organisation, not whom "he" or "she" refers to
_ORG_WORDS = word_set(
    "party department ministry house court council committee agency office government police university company "
    "inc corp group association union commission board army force forces institute center centre foundation "
    "campaign administration bureau service news times post network organization organisation journal "
    "reuters tass press agency embassy club church"
)
# words of place names, which look like people's names ("South Dakota", "Los Angeles", "West Africa")
_PLACE_WORDS = word_set(
    "north south east west new los san santa saint st fort mount lake river county city island islands bay "
    "africa america asia europe korea kingdom republic states united gulf coast valley street avenue square "
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho "
    "illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota "
    "mississippi missouri montana nebraska nevada hampshire jersey mexico york carolina dakota ohio oklahoma "
    "oregon pennsylvania rhode tennessee texas utah vermont virginia washington wisconsin wyoming ireland "
    "england scotland wales britain china russia india japan germany france iran iraq syria israel canada "
    "brazil australia ukraine turkey pakistan afghanistan egypt malaysia beijing moscow london paris "
    "tower towers plaza hotel building bridge airport station stadium arena"
)
# who "a ... <word>" is when it is nobody named ("a senior Senate Democratic aide", "a GOP senator")
_UNNAMED_PEOPLE = word_set(
    "aide aides official officials senator spokesman spokeswoman spokesperson source sources lawmaker adviser "
    "advisor staffer member supporter employee executive lawyer attorney diplomat officer analyst resident"
)
# the last word of a description, not a name ("the Kentucky Republican said")
_DESCRIPTIVE = word_set("republican democrat republicans democrats senate house official officials")
_PARTICLES = word_set("de da van von bin al del la le di der den ibn of")
# a dot that does not end a sentence: titles ("Sen."), initials ("J."), party tags ("D-N.Y.")
_ABBREV = re.compile(r"\b(?:Sen|Rep|Gov|Dr|Mr|Mrs|Ms|Lt|Gen|Col|Sgt|Capt|Prof|Rev|Jr|Sr|St|Sens|Reps|Pres|Ft|Mt)\.")
_INITIAL = re.compile(r"(?<=\s)[A-Z]\.(?=\s+[A-Z])")
_CLOCK = re.compile(
    r"\b[ap]\.m\.(?=\s+(?:[a-z]|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|ET|EST|EDT)\b))"
)
_PARTY_TAG = re.compile(r",?\s*\(?\b[DRI]-[A-Z][A-Za-z.\-]*(?:\s[A-Z][a-z]+\.?)?\)?,?")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“A-Z])")
_CAP = re.compile(r"^[A-Z][\w'’\-]*$")
_NAME_RUN = re.compile(r"(?:[A-Z][\w'’\-]+\s+(?:(?:de|da|van|von|bin|al|del|la|di|ibn)\s+)?){1,5}[A-Z][\w'’\-]+")


@dataclass(frozen=True)
class Quote:
    """One direct quotation: its text, the speaker as the article names them (None when not named), and how
    the speaker was found: after, before, pronoun, role, continued, unnamed or none."""

    quote: str
    speaker: str | None
    how: str


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def plain(text: str) -> str:
    """The text with the same length, its non-final dots and party tags blanked ("Sen. Ted Cruz, R-Texas,"
    -> "Sen  Ted Cruz        "), so positions agree with the original and a period ends a sentence."""
    text = _PARTY_TAG.sub(_blank, text)
    text = _ABBREV.sub(lambda m: m.group(0)[:-1] + " ", text)
    text = _CLOCK.sub(lambda m: m.group(0).replace(".", " "), text)
    return _INITIAL.sub("  ", text)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation's inside: a curly or straight mark closes at the next closing mark."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in '“"«':
            closes = {"“": '”"', '"': '"”', "«": "»"}[c]
            found = [k for k in (text.find(m, i + 1) for m in closes) if k >= 0]
            j = min(found) if found else -1
            if j < 0:
                break
            if j - i - 1 <= MAX_QUOTE_CHARS:
                spans.append((i + 1, j))
                i = j + 1
                continue
        i += 1
    return spans


def _is_name_word(w: str) -> bool:
    """A capitalised word that can be part of a name: not a sentence opener, nor a shouted label ("AD",
    "WATCH", "SERVICES": all capitals and six letters or more, or a known label)."""
    if not _CAP.match(w) or w.lower() in _NOT_NAMES or w in {"AD", "ADVERTISEMENT"}:
        return False
    return not (w.isupper() and len(w) >= 6)


def _runs(segment: str) -> list[list[str]]:
    """Runs of capitalised words in a phrase (particles allowed inside: "Bill de Blasio")."""
    runs: list[list[str]] = []
    cur: list[str] = []
    for word in segment.split():
        w = word.strip('(),;:!?"“”‘’[]')
        if _is_name_word(w) or (cur and w in _PARTICLES and (w != "of" or cur[-1].lower() in _ORG_WORDS)):
            cur.append(w)
        else:
            if cur:
                runs.append(cur)
            cur = []
        if (word.endswith((",", ";", ":")) or _possessive(w)) and cur:
            runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    out = []
    for r in runs:
        while r and r[-1] in _PARTICLES:
            r = r[:-1]
        if r:
            out.append(r)
    return out


def _possessive(word: str) -> bool:
    return word.endswith(("'s", "’s"))


def _untitled(run: list[str]) -> list[str]:
    """A name without the titles in front of it: everything up to the last title word goes, unless what is
    left is an organisation's last word ("State Department" stays)."""
    cut = 0
    for i, w in enumerate(run[:-1]):
        if w.lower().strip(".") in TITLES:
            cut = i + 1
    rest = run[cut:]
    if cut and len(rest) == 1 and rest[0].lower() in _ORG_WORDS:
        return run
    return rest


def _head(phrase: str) -> str:
    """A phrase up to its first preposition, except "of" inside an organisation's name ("Garvin County GOP head
    Allie Burgin of Pauls Valley" -> ... Allie Burgin; "the Department of Natural Resources" stays whole)."""
    padded = f" {phrase} "
    for m in re.finditer(r"\s(of|from|in|at|for|with|on|to)\s", padded):
        before = padded[: m.start()].split()
        if m.group(1) != "of" or not before or before[-1].lower() not in _ORG_WORDS:
            return padded[: m.start()]
    return padded


def name_in(phrase: str) -> str | None:
    """The name a subject phrase gives, titles left out ("Garvin County GOP head Allie Burgin" -> Allie Burgin,
    "the White House" -> White House); None for a description ("a spokesman") or a possessor ("Fallin's
    spokesperson")."""
    head = _head(phrase).split()
    if head and head[0].lower() in {"a", "an"} and head[-1].lower() in _UNNAMED_PEOPLE:
        return None  # a description: "a senior Senate Democratic aide"
    runs = _runs(" ".join(head))
    if not runs:
        return None
    run = runs[-1]
    if _possessive(run[-1]) or (len(run) <= 2 and run[-1].lower() in _DESCRIPTIVE):
        return None
    name = _untitled(run)
    if not name or (len(name) == 1 and name[0].lower() in TITLES):
        return None
    return " ".join(name)


@dataclass
class _Names:
    """The people an article names: where each full name (or its surname) occurs, and titles given to them."""

    text: str
    quoted: list[tuple[int, int]]  # the quotations' spans: a name inside one is not who is speaking

    def __post_init__(self) -> None:
        self.full: list[tuple[int, str]] = []
        # capitalised words seen inside a sentence (after a lower-case word), so known as names
        self.inside = {m.group(1) for m in re.finditer(r"[a-z,]\s+(?:the\s+)?([A-Z][\w'’\-]+)", self.text)}
        self.titled: dict[str, str] = {}
        for m in _NAME_RUN.finditer(self.text):
            if self.text.startswith("/", m.end()) or self.text[max(m.start() - 1, 0) : m.start()] == "/":
                continue  # a photo credit ("Evan Vucci/AP Call it ..."), not someone in the story
            words = [w for w in m.group(0).split() if w]
            name = _untitled(words)
            lowered = {re.sub(r"['’]s$", "", w.lower()) for w in name}
            # a surname after a personal title ("Mr Green", "President Trump"), not after "GOP" ("GOP Convention")
            titled_only = len(name) == 1 and len(words) > 1 and words[-2].lower().strip(".") in _PERSONAL
            if (
                (len(name) < 2 and not titled_only)
                or lowered & (_ORG_WORDS | _PLACE_WORDS | _DESCRIPTIVE)
                or not all(_is_name_word(w) or w in _PARTICLES for w in name)
                or name[0].lower().endswith("ing")
            ):
                continue
            clean = " ".join(re.sub(r"['’]s$", "", w) for w in name)
            self.full.append((m.start(), clean))
            for w in words[: len(words) - len(name)]:
                if w.lower() in ROLES:
                    self.titled[w.lower()] = clean
        whole = [n for _, n in self.full if " " in n]  # a titled surname alone ("Mr Xi") names nobody new
        by_surname: dict[str, str] = {}
        for n in whole:
            last = n.split()[-1]
            if len(n) > len(by_surname.get(last, "")):
                by_surname[last] = n
        self.by_surname = by_surname
        firsts: dict[str, set[str]] = {}
        for n in whole:
            firsts.setdefault(n.split()[0], set()).add(n)
        self.by_first = {k: next(iter(v)) for k, v in firsts.items() if len(v) == 1 and k not in by_surname}
        # (position, full name, whether possessive: "Trump's allies" is rarely who speaks) outside quotations
        found = [(pos, self.full_name(n), False) for pos, n in self.full] + [
            (m.start(), by_surname[m.group(1)], bool(m.group(2)))
            for m in re.finditer(r"\b([A-Z][\w\-]+)(['’]s)?\b", self.text)
            if m.group(1) in by_surname
        ]
        self.mentions = sorted(f for f in found if not any(a <= f[0] < b for a, b in self.quoted))

    def full_name(self, name: str) -> str:
        """A surname alone given in full when the article gives that person in full (Schumer -> Chuck Schumer)."""
        name = re.sub(r"['’]s$", "", name)
        if " " in name:
            return name
        return self.by_surname.get(name) or self.by_first.get(name) or name

    def subject_before(self, at: int, starts: list[int]) -> str | None:
        """Whom "he" or "she" before `at` refers to: the first person named in the nearest sentence (this one,
        then the ones before) that does not itself start with a pronoun."""
        k = max((i for i, s in enumerate(starts) if s <= at), default=0)
        for j in range(k, max(k - LOOK_BACK - 1, -1), -1):
            lo, hi = starts[j], (starts[j + 1] if j < k else at)
            if j == k:  # in the pronoun's own sentence, only a name before the pronoun ("he argued Mr Trump had")
                pronoun = re.search(r"\b(?:he|she|He|She)\b", self.text[lo:hi])
                hi = lo + pronoun.start() if pronoun else hi
            if j < k and self.text[lo:hi].lstrip(' "“').split(" ", 1)[0].lower() in PRONOUNS:
                continue
            inside = sorted((possessive, pos, n) for pos, n, possessive in self.mentions if lo <= pos < hi)
            if inside:
                return inside[0][2]
        return None


def _after(after: str, quote: str) -> tuple[str, str | None] | None:
    """The attribution right after a quotation, as (how, speaker phrase): ', said Sen. Chuck Schumer',
    ', Schumer told reporters', ', Fallin's spokesperson, Alex Weintz, declared', ', he said'. After a quotation
    that ends its own sentence, only a short attribution of its own counts ('Smith said.')."""
    a = after.lstrip(" ,—–-?")  # "?" stands for a lost space in some sources
    if re.match(r"(?:and|but|while|as|because|although|or|which|who|that|when|if)\b", a):
        return None  # the sentence goes on: the quotation is not attributed here
    q = quote.rstrip()
    loose = (
        q.endswith((",", "—", "–", "-"))
        or after.lstrip().startswith(",")
        or (q.endswith(("?", "!")) and a[:1].islower())
    )
    if not loose:
        m = re.match(rf"(?P<sp>[^.;!?\"“”,]{{1,60}}?)\s+(?:{_ADVERB}\s+)?(?:{VERBS})\s*(?:[.,]|$)", a)
        if m and len(m["sp"].split()) <= 5:
            return "after", m["sp"]
        m = re.match(rf"(?P<sp>(?:[A-Z][\w'’\-]+\s?){{2,4}}),[^.;!?\"“”]{{1,120}}?,?\s+(?:{VERBS})\b", a)
        return ("after", m["sp"]) if m else None  # "Sasha Samberg-Champion, a liberal lawyer, said"
    m = re.match(rf"(?:{VERBS})\s+(?P<sp>[^.;!?\"“”]{{1,120}})", a)
    if m:  # inverted: said Smith, a spokesman for ...
        parts = m["sp"].split(",")
        if len(parts) > 1 and re.search(r"['’]s [a-z]", parts[0]) and name_in(parts[1]):
            return "after", parts[1]  # said the District's non-voting representative, Eleanor Holmes Norton
        seg = re.split(r",|\b(?:who|when|in|on|during|at|after|to|from|about|as|while)\b", m["sp"])[0]
        return "after", seg
    m = re.match(rf"(?P<sp>[^.;!?\"“”]{{1,150}}?)\s+(?:{_ADVERB}\s+)?(?:{VERBS})\b", a)
    if m is None:
        return None
    segs = [s for s in m["sp"].split(",") if s.strip()]
    if not segs:
        return None
    first = segs[0]
    if len(segs) > 1 and name_in(first) is None and _runs(first) and _possessive(_runs(first)[-1][-1]):
        return "after", segs[1]  # "Fallin's spokesperson, Alex Weintz,"
    return "after", first


def _subject_of(phrase: str) -> str:
    """The subject among the comma-separated parts before a verb: the nearest part that does not start in lower
    case (an apposition: "Vanita Gupta, president of ..., and a former head of ..., argued")."""
    segs = [s.strip() for s in phrase.split(",") if s.strip()]
    if not segs:
        return ""
    if not phrase.rstrip().endswith(","):
        return segs[-1]  # "the men said": no apposition before the verb
    for seg in reversed(segs):
        if not seg[:1].islower() or seg.split()[0].lower() in PRONOUNS:
            return seg
    return segs[-1]


_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<sp>[^,.;:\"“”]{2,80})[,:]?\s*$")
_COLON = re.compile(r"(?:^|[.!?]\s+)(?P<sp>[A-Z][^.;:!?\"“”]{1,60}):\s*$")


def _before(sentence: str) -> tuple[str, str | None] | None:
    """The attribution in the sentence before a quotation, as (how, speaker phrase): 'Booker wrote in a post:',
    'He said that', 'According to Booker,', 'Schumer was dismissive, calling it'."""
    m = _ACCORDING.search(sentence)
    if m:
        return "before", m["sp"]
    last = None
    for m in re.finditer(rf"(?P<sp>[^,;:\"“”]*?)\s*(?:{_ADVERB}\s+)?\b(?:{VERBS})\b", sentence):
        if m["sp"].strip():
            last = m
        elif m.start() > 0:  # "Andrea Bozek, a spokesman for the group, said": the subject before the apposition
            subject = _subject_of(sentence[: m.start()])
            if subject:
                return "before", subject
    if last is not None and len(sentence) - last.end() <= 200:
        return "before", _subject_of(sentence[: last.end()].rsplit(last.group(0).strip().split()[-1], 1)[0])
    m = re.search(rf"(?:,\s*|\s)(?:{PARTICIPLES})\b", sentence)
    if m:  # "Schumer was dismissive of the vote, calling it": the sentence's subject
        return "before", sentence[: m.start()].split(",")[0]
    m = _COLON.search(sentence)
    if m and _VERB.search(m["sp"]) is None and len(m["sp"].split()) <= 6:
        return "before", m["sp"]
    return None


def find_quotes(text: str) -> list[Quote]:
    """The direct quotations of an article body (four words or more) with their speakers, in reading order."""
    text = str(text or "")
    flat = plain(text)
    spans = quote_spans(text)
    names = _Names(flat, spans)
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(flat)]
    out: list[Quote] = []
    prev: tuple[int, Quote] | None = None
    for k, (start, end) in enumerate(spans):
        quote = " ".join(text[start:end].split())
        if len(quote.split()) < MIN_WORDS:
            continue
        next_open = spans[k + 1][0] - 1 if k + 1 < len(spans) else len(text)
        sentence_start = max((s for s in starts if s < start), default=0)
        lower = max(sentence_start, prev[0] + 1 if prev else 0)
        speaker, how = None, "none"
        for found in (_after(flat[end + 1 : min(next_open, end + 220)], quote), _before(flat[lower : start - 1])):
            if found is not None:
                speaker, how = _speaker(found, start, names, starts)
                if speaker is not None:
                    break
        found = None if how == "none" else (how, speaker)
        if found is None and prev is not None and prev[1].speaker and _continues(flat[prev[0] + 1 : start - 1]):
            speaker, how = prev[1].speaker, "continued"
        elif found is None and not flat[sentence_start : start - 1].strip():
            said = _said_before(flat, sentence_start, starts, prev[0] if prev else -1)
            if said is not None:  # 'Green said he did not view it as a failure. "We got 95 votes ..."'
                speaker, how = _speaker(("context", said), start, names, starts)
        q = Quote(quote, speaker, how)
        out.append(q)
        prev = (end, q)
    return out


_SAID = re.compile(
    rf"(?P<sp>[A-Z][^,;:\"“”\s]*(?:\s[^,;:\"“”\s]+){{0,4}}?)\s+(?:{_ADVERB}\s+)?(?:said|says|told|added|explained|argued|noted|insisted|"
    r"warned|stressed|acknowledged|admitted|wrote|writes)\b"
)


def _said_before(flat: str, sentence_start: int, starts: list[int], floor: int) -> str | None:
    """The subject of the sentence before, when it opens by saying something ("Mr Green said after the vote
    that ..."): whom a quotation that follows it with no attribution of its own belongs to."""
    before = [s for s in starts if s < sentence_start]
    if not before or before[-1] <= floor:
        return None
    m = _SAID.match(flat, before[-1], sentence_start)
    return m["sp"] if m else None


def _continues(gap: str) -> bool:
    """Whether the text between two quotations is nothing, or only the first one's attribution sentence."""
    gap = gap.strip(' ,;:—–-\n"“”')
    if not gap.strip(".") or gap.upper() in {"AD", "ADVERTISEMENT"}:
        return True
    return _VERB.search(gap) is not None and len(_SENTENCE_END.findall(gap.rstrip(".") + ". X")) == 1


def _speaker(found: tuple[str, str | None] | None, at: int, names: _Names, starts: list[int]) -> tuple[str | None, str]:
    if found is None:
        return None, "none"
    how, phrase = found
    words = (phrase or "").split()
    if not words:
        return None, "unnamed"
    first = words[0].lower().strip(",")
    if first in PRONOUNS or (how == "before" and words[-1].lower() in PRONOUNS):
        return names.subject_before(at, starts), "pronoun"
    if first == "the" and len(words) <= 4:
        role = words[-1].lower().strip(",")
        if role in ROLES:  # "the Treasury secretary said": the person the article gave that title
            return (names.full_name(names.titled[role]), "role") if role in names.titled else (None, "unnamed")
        if role in EPITHETS:  # "the Kentucky Republican said": the person the sentences before name
            return names.subject_before(at, starts), "pronoun"
    name = name_in(phrase or "")
    if name is None:
        return None, "unnamed"
    full = names.full_name(name)
    runs = _runs(_head(phrase or ""))
    titled = bool(runs) and len(name.split()) < len(runs[-1])  # "President Trump said": a title makes it a name
    if (
        " " not in full
        and not titled
        and not full.isupper()
        and full not in names.inside
        and names.text.count(full) < 2
    ):
        return None, "unnamed"  # one capitalised word seen only at a sentence's start: not known as a name
    return full, how
