"""What a user types in a search box, read once into a query tree that both backends search alike.

The syntax is a web search engine's, with SQLite FTS5's operators: words must all match; "an exact phrase";
words joined by hyphens or other punctuation (COVID-19, U.S., 9/11) are the phrase they are; OR between two
parts; -word or NOT word leaves a word out; prefix* matches words that start so; (brackets) group;
NEAR(a b, 10) finds words close together (on PostgreSQL: all the words). AND, OR, NOT and NEAR are operators
only in capitals. Common words (the, of, and) are left out, as PostgreSQL leaves them out, so both backends
find the same articles; a query of common words only finds nothing and says so.

Reading never fails: a query that cannot be read as written (a bracket left open, an operator with nothing
after it) is searched as its plain words, and `Query.notes` says so in a sentence for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# PostgreSQL's English stop words (snowball's english.stop), so that SQLite leaves out what PostgreSQL does.
_STOP = """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her
hers herself it its itself they them their theirs themselves what which who whom this that these
those am is are was were be been being have has had having do does did doing a an the and but if or
because as until while of at by for with about against between into through during before after
above below to from up down in out on off over under again further then once here there when where
why how all any both each few more most other some such no nor not only own same so than too very s
t can will just don should now"""
STOP_WORDS = frozenset(_STOP.split())
OPERATORS = ("AND", "OR", "NOT", "NEAR")
MAX_NEAR = 100
_TOKEN = re.compile(r"[^\W_]+")  # what SQLite's unicode61 tokenizer keeps: letters and digits
_LEX = re.compile(r'\s+|"[^"]*"?|\(|\)|[^\s"()]+')


@dataclass(frozen=True)
class Word:
    """One word as the search index splits words; prefix: any word starting with it."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words in this order, next to each other. raw: as typed (PostgreSQL splits it with its own parser)."""

    words: tuple[str, ...]
    raw: str


@dataclass(frozen=True)
class Near:
    """Words (or phrases) within `distance` words of each other."""

    parts: tuple[Word | Phrase, ...]
    distance: int = 10


@dataclass(frozen=True)
class All:
    """Every part, and none of `without`."""

    parts: tuple[Node, ...]
    without: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Either:
    """Any of the parts."""

    parts: tuple[Node, ...]


Node = Word | Phrase | Near | All | Either


@dataclass(frozen=True)
class Query:
    """A search as read: its tree (None: nothing to search for, so nothing matches) and the sentences that say
    how it was read where that differs from what was typed."""

    text: str
    node: Node | None
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return self.node is None


class _Unreadable(Exception):
    """The query cannot be read as written; the message says why (in words for the user)."""


MAX_TOKENS = 64  # a longer search is cut here (FTS5 and PostgreSQL refuse very deep expressions)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def read(text: str) -> Query:
    """A user's search as a query tree (never raises)."""
    typed = " ".join(_CONTROL.sub(" ", str(text or "")).split())
    notes: list[str] = []
    tokens = _lex(typed)
    if len(tokens) > MAX_TOKENS:
        typed = " ".join(tokens[:MAX_TOKENS])
        notes.append(f"Only the first {MAX_TOKENS} words and signs of the search were used.")
    tokens = _without_fields(_lex(typed), notes)
    unreadable = ""
    try:
        node = _Parser(tokens, notes).parse()
    except _Unreadable as exc:
        unreadable = str(exc)
        notes = [n for n in notes if not n.startswith("A closing quote")]
        node = _plain(" ".join(tokens))
    node, dropped = _without_stop_words(node)
    words = ", ".join(dict.fromkeys(dropped))
    if node is not None and not _has_positive(node):
        notes.append("A search needs at least one word to find, not only words to leave out; nothing was searched.")
        node = None
    elif node is None and dropped:
        notes.append(
            f"“{_short(typed)}” has only common words ({words}), which the search leaves out; add a word that"
            " picks out the subject."
        )
    elif node is None and typed:
        why = f" ({unreadable})" if unreadable else ""
        notes.append(f"“{_short(typed)}” has no word to search for{why}.")
    else:
        if unreadable:
            notes.append(
                f"“{_short(typed)}” could not be read as written ({unreadable}), so it was searched as plain words."
            )
        if dropped:
            notes.append(f"Common words were left out of the search: {words}.")
        if any(t == "-" and (i + 1 == len(tokens) or tokens[i + 1][0] not in '"(') for i, t in enumerate(tokens)):
            notes.append("A minus sign with no word after it was ignored (write -word to leave a word out).")
    return Query(typed, node, tuple(notes))


# Field prefixes other search tools take (Media Cloud, GDELT, Lucene): this search reads the whole article.
_FIELD = re.compile(
    r"^(-?)(title|headline|text|body|content|outlet|source|domain|author|url|language|lang|tags?):(.*)$", re.I
)


def _without_fields(tokens: list[str], notes: list[str]) -> list[str]:
    """The tokens with field prefixes (title:word) taken off, and a note saying the words were searched in the
    whole article."""
    out: list[str] = []
    fields: list[str] = []
    for token in tokens:
        m = _FIELD.match(token)
        if m is None:
            out.append(token)
            continue
        fields.append(m.group(2).lower() + ":")
        rest = m.group(1) + m.group(3)
        if rest:
            out.append(rest)  # "-" alone stays, so -title:"a phrase" still leaves the phrase out
    if fields:
        named = ", ".join(dict.fromkeys(fields))
        notes.append(
            f"Fields ({named}) are not searched on their own here: the words after them were searched like the rest."
        )
    return out


def plain(text: str) -> Query:
    """The same search as plain words (operators and brackets ignored): the fallback when an engine refuses."""
    typed = " ".join(_lex(" ".join(_CONTROL.sub(" ", str(text or "")).split()))[:MAX_TOKENS])
    node, _ = _without_stop_words(_plain(typed))
    note = f"“{_short(typed)}” was searched as plain words."
    return Query(typed, node if node is not None and _has_positive(node) else None, (note,))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lex(text: str) -> list[str]:
    return [t for t in _LEX.findall(text) if not t.isspace()]


_SYMBOLS = re.compile(r"[+#&@$%=<>~^|\\/]")  # signs the index drops from a word ("C++", "C#", "AT&T")


def _atom(chunk: str, quoted: bool) -> Word | Phrase | None:
    """A chunk of text as the search index reads it: one word, a phrase of several, or nothing."""
    prefix = not quoted and chunk.endswith("*")
    words = tuple(w.lower() for w in _TOKEN.findall(chunk))
    if not words:
        return None
    if len(words) == 1 and not quoted:
        return Word(words[0], prefix)
    if len(words) == 1:
        return Word(words[0])
    return Phrase(words, " ".join(chunk.strip().rstrip("*").split()))


def _plain(text: str) -> Node | None:
    """Every word and phrase of the text, all required; a -word left out."""
    parts: list[Node] = []
    without: list[Node] = []
    for token in _lex(text):
        if token in OPERATORS or token in ("(", ")"):
            continue
        negative = token.startswith("-") and len(token) > 1
        quoted = token.lstrip("-").startswith('"')
        atom = _atom(token.lstrip("-").strip('"'), quoted)
        if atom is not None:
            (without if negative else parts).append(atom)
    return _all(parts, without)


def _all(parts: list[Node], without: list[Node]) -> Node | None:
    if not parts and not without:
        return None
    if len(parts) == 1 and not without:
        return parts[0]
    return All(tuple(parts), tuple(without))


class _Parser:
    """Recursive descent with FTS5's precedence: NOT binds tightest, then AND (written or implied), then OR."""

    def __init__(self, tokens: list[str], notes: list[str]) -> None:
        self.tokens = tokens
        self.at = 0
        self.notes = notes

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        if self.at >= len(self.tokens):
            raise _Unreadable("an operator with nothing after it")
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.either()
        if self.peek() is not None:
            raise _Unreadable("a closing bracket without an opening one")
        return node

    def either(self) -> Node | None:
        parts = [self.both()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise _Unreadable("OR with nothing after it")
            parts.append(self.both())
        kept = [p for p in parts if p is not None]
        if len(kept) < len(parts) and len(parts) > 1:
            raise _Unreadable("OR beside a part with no word to search for")
        return kept[0] if len(kept) == 1 else Either(tuple(kept)) if kept else None

    def both(self) -> Node | None:
        parts: list[Node] = []
        without: list[Node] = []
        first = True
        while True:
            token = self.peek()
            if token is None or token in (")", "OR"):
                break
            if token == "AND":
                if first:
                    raise _Unreadable("AND with nothing before it")
                self.take()
                if self.peek() in (None, ")", "OR", "AND"):
                    raise _Unreadable("AND with nothing after it")
                continue
            if token == "NOT":
                if first:
                    raise _Unreadable("NOT with nothing before it")
                self.take()
                if self.peek() in (None, ")", "OR", "AND", "NOT"):
                    raise _Unreadable("NOT with nothing after it")
                excluded = self.unary()
                if excluded is None:
                    raise _Unreadable("NOT with nothing after it")
                without.append(excluded)
                continue
            if token == "-" and self.at + 1 < len(self.tokens) and self.tokens[self.at + 1][0] in '"(':
                self.take()  # -"a phrase" or -(a group): leave it out
                token = "-" + str(self.peek())
            if token.startswith("-") and len(token) > 1:
                excluded = self.unary()
                if excluded is not None:
                    without.append(excluded)
                first = False
                continue
            node = self.unary()
            if node is not None:
                parts.append(node)
            first = False
        if not parts and not without:
            return None
        if len(parts) == 1 and not without:
            return parts[0]
        return All(tuple(parts), tuple(without))

    def unary(self) -> Node | None:
        token = self.take()
        if token.startswith("-") and len(token) > 1:
            token = token[1:]
        if token == "(":
            node = self.either()
            if self.peek() != ")":
                raise _Unreadable("a bracket left open")
            self.take()
            return node
        if token == ")":
            raise _Unreadable("a closing bracket without an opening one")
        if token == "NEAR" and self.peek() == "(":
            return self.near()
        if token in OPERATORS and token != "NEAR":
            raise _Unreadable(f"{token} where a word was expected")
        quoted = token.startswith('"')
        if quoted and (not token.endswith('"') or len(token) == 1):
            self.notes.append("A closing quote was missing; the rest was searched as one phrase.")
        chunk = token.strip('"') if quoted else token
        atom = _atom(chunk, quoted=quoted)
        if atom is not None and _SYMBOLS.search(chunk):  # "C++" is read as "c": say so, as a web search would
            read = atom.text if isinstance(atom, Word) else " ".join(atom.words)
            self.notes.append(f"“{chunk.strip()}” was searched as “{read}”: the search reads letters and digits only.")
        return atom

    def near(self) -> Node | None:
        self.take()  # (
        parts: list[Word | Phrase] = []
        distance = 10
        after_comma = False
        while self.peek() not in (None, ")"):
            token = self.take()
            if after_comma or (token.startswith(",") and not token.startswith('"')):
                value = token.lstrip(",")
                if not value and not after_comma:
                    after_comma = True
                    continue
                if not value.isdigit():
                    raise _Unreadable("NEAR's distance must be a number, as in NEAR(a b, 10)")
                distance = min(max(int(value), 0), MAX_NEAR)
                after_comma = False
                continue
            if token in OPERATORS or token == "(":
                raise _Unreadable("NEAR takes words or phrases only, as in NEAR(a b, 10)")
            quoted = token.startswith('"')
            rest = ""
            if not quoted and "," in token:
                token, _, rest = token.partition(",")
                after_comma = not rest
            atom = _atom(token.strip('"'), quoted=quoted)
            if atom is not None:
                parts.append(atom)
            if rest:
                if not rest.isdigit():
                    raise _Unreadable("NEAR's distance must be a number, as in NEAR(a b, 10)")
                distance = min(int(rest), MAX_NEAR)
        if after_comma:
            raise _Unreadable("NEAR's distance must be a number, as in NEAR(a b, 10)")
        if self.peek() != ")":
            raise _Unreadable("a bracket left open")
        self.take()
        if len(parts) < 2:
            return parts[0] if parts else None
        return Near(tuple(parts), distance)


def _without_stop_words(node: Node | None) -> tuple[Node | None, list[str]]:
    """The tree without common words standing alone (phrases keep theirs), and the words left out."""
    dropped: list[str] = []

    def walk(n: Node) -> Node | None:
        if isinstance(n, Word):
            if not n.prefix and n.text in STOP_WORDS:
                dropped.append(n.text)
                return None
            return n
        if isinstance(n, Phrase):
            if all(w in STOP_WORDS for w in n.words):
                dropped.extend(n.words)
                return None
            return n
        if isinstance(n, Near):
            kept = tuple(p for p in n.parts if walk(p) is not None)
            return Near(kept, n.distance) if len(kept) >= 2 else (kept[0] if kept else None)
        if isinstance(n, Either):
            either = [k for p in n.parts if (k := walk(p)) is not None]
            return either[0] if len(either) == 1 else Either(tuple(either)) if either else None
        parts = [k for p in n.parts if (k := walk(p)) is not None]
        without = [k for p in n.without if (k := walk(p)) is not None]
        return _all(parts, without)

    return (walk(node) if node is not None else None), dropped


def _has_positive(node: Node) -> bool:
    """Whether the tree finds something (a group of exclusions alone finds nothing to exclude from)."""
    if isinstance(node, All):
        return bool(node.parts) and all(_has_positive(p) for p in node.parts)
    if isinstance(node, Either):
        return all(_has_positive(p) for p in node.parts)
    return True


def words_of(node: Node | None) -> list[str]:
    """Every word the query looks for (not those it leaves out), in order."""
    if node is None:
        return []
    if isinstance(node, Word):
        return [node.text]
    if isinstance(node, Phrase):
        return list(node.words)
    if isinstance(node, Near):
        return [w for p in node.parts for w in words_of(p)]
    return [w for p in node.parts for w in words_of(p)]


def uses_near(node: Node | None) -> bool:
    if node is None or isinstance(node, Word | Phrase):
        return False
    if isinstance(node, Near):
        return True
    parts = node.parts + (node.without if isinstance(node, All) else ())
    return any(uses_near(p) for p in parts)


def matches_text(node: Node | None, text: str) -> bool:
    """Whether a text (a headline) satisfies a query tree, word for word (no stemming): what "Find a story"
    uses on headlines already in memory."""
    if node is None:
        return False
    words = [w.lower() for w in _TOKEN.findall(text or "")]
    return _holds(node, words, set(words))


def _holds(node: Node, words: list[str], present: set[str]) -> bool:
    if isinstance(node, Word):
        return any(w.startswith(node.text) for w in present) if node.prefix else node.text in present
    if isinstance(node, Phrase):
        n = len(node.words)
        return any(tuple(words[i : i + n]) == node.words for i in range(len(words) - n + 1))
    if isinstance(node, Near):
        return all(_holds(p, words, present) for p in node.parts)
    if isinstance(node, Either):
        return any(_holds(p, words, present) for p in node.parts)
    return all(_holds(p, words, present) for p in node.parts) and not any(
        _holds(w, words, present) for w in node.without
    )
