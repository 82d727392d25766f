"""The selection: what every page counts. One value (dates, outlets, bias, country, topics or themes,
mentions, search, and the level charts count at), parsed once from the address or the command line, and
resolved in one place (analysis.explore.resolve) into the selected articles and the base every share is
counted against. Media Cloud's rule: topics, themes, mentions and a search narrow what is counted, never what
it is counted against; dates, outlets, bias and country say which coverage counts at all.

Topic and theme ids are different types (TopicId, ThemeId): an id of one is never read as the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import ClassVar, Literal

Level = Literal["topics", "themes"]
LEVELS: tuple[Level, ...] = ("topics", "themes")


@dataclass(frozen=True, order=True)
class TopicId:
    """A topic as the user sees it (renames, merges and hides applied)."""

    value: int
    noun: ClassVar[str] = "topic"

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True, order=True)
class ThemeId:
    """A theme (a group of topics) as the user sees it."""

    value: int
    noun: ClassVar[str] = "theme"

    def __str__(self) -> str:
        return str(self.value)


Unit = TopicId | ThemeId


def unit_noun(level: Level) -> str:
    """What the charts of a level count: "topic" or "theme" (also the name of the frame's column)."""
    return "theme" if level == "themes" else "topic"


def unit_id(level: Level, value: int) -> Unit:
    """An id of the level's kind."""
    return ThemeId(int(value)) if level == "themes" else TopicId(int(value))


@dataclass(frozen=True)
class Selection:
    """What the sidebar (or a command) selects. Hashable, so caches key on it; lists are kept sorted, so the
    same choice in another order is the same selection."""

    start: date | None = None
    end: date | None = None
    outlets: tuple[str, ...] = ()
    biases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    level: Level = "topics"
    topics: tuple[TopicId, ...] = ()
    themes: tuple[ThemeId, ...] = ()
    mentions: tuple[int, ...] = ()  # entity ids as shown (merged entities are followed when resolving)
    search: str = ""
    # Sentences about values of the address that could not be used (parse()); not part of what is selected.
    notes: tuple[str, ...] = field(default=(), compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"Unknown level {self.level!r}; use topics or themes.")
        if not all(isinstance(t, TopicId) for t in self.topics):
            raise TypeError("Selection.topics takes TopicId values (a theme id is a ThemeId).")
        if not all(isinstance(t, ThemeId) for t in self.themes):
            raise TypeError("Selection.themes takes ThemeId values (a topic id is a TopicId).")
        if self.start and self.end and self.start > self.end:
            object.__setattr__(self, "start", self.end)
            object.__setattr__(self, "end", self.start)
        for name in ("outlets", "biases", "countries", "topics", "themes", "mentions"):
            object.__setattr__(self, name, tuple(sorted(dict.fromkeys(getattr(self, name)))))
        object.__setattr__(self, "search", " ".join(str(self.search or "").split()))

    @property
    def unit(self) -> str:
        """What charts count at this selection's level: "topic" or "theme"."""
        return unit_noun(self.level)

    @property
    def narrows(self) -> bool:
        """Whether topics, themes, mentions or a search narrow what is counted."""
        return bool(self.topics or self.themes or self.mentions or self.search)

    def sources(self) -> Selection:
        """Only what says which coverage counts (dates, outlets, bias, country): the base of every share."""
        return replace(self, topics=(), themes=(), mentions=(), search="", notes=())

    def but(self, **changes: object) -> Selection:
        """This selection with some parts changed (notes dropped)."""
        return replace(self, notes=(), **changes)  # type: ignore[arg-type]

    def params(self) -> dict[str, list[str]]:
        """The selection as the address's query parameters (what parse reads)."""
        out: dict[str, list[str]] = {}
        if self.start or self.end:
            out["dates"] = [(self.start or date.min).isoformat(), (self.end or date.max).isoformat()]
        for key, values in (("outlet", self.outlets), ("bias", self.biases), ("country", self.countries)):
            if values:
                out[key] = list(values)
        if self.level != "topics":
            out["level"] = [self.level]
        if self.topics:
            out["topics"] = [str(t) for t in self.topics]
        if self.themes:
            out["themes"] = [str(t) for t in self.themes]
        if self.mentions:
            out["mentions"] = [str(e) for e in self.mentions]
        if self.search:
            out["q"] = [self.search]
        return out

    @classmethod
    def parse(cls, params: Mapping[str, Sequence[str] | str]) -> Selection:
        """A selection from query parameters (the address, or the command line's options in the same form).
        Values that cannot be read are left out, each with a sentence in `notes`; never raises."""
        notes: list[str] = []

        def values(key: str) -> list[str]:
            raw = params.get(key, [])
            items = [raw] if isinstance(raw, str) else list(raw)
            return [str(v).strip() for v in items if str(v).strip()]

        start = end = None
        days = values("dates")
        if days:
            try:
                parsed = [date.fromisoformat(d[:10]) for d in days[:2]]
                start, end = parsed[0], parsed[-1]
            except ValueError:
                notes.append(f"The dates “{' to '.join(days[:2])}” are not dates (YYYY-MM-DD); all dates are used.")
        level_text = (values("level") or ["topics"])[0]
        level: Level = "themes" if level_text == "themes" else "topics"
        if level_text not in LEVELS:
            notes.append(f"There is no level “{level_text}”; topics are used.")
        topics = tuple(TopicId(v) for v in _numbers(values("topics"), "topic", notes))
        themes = tuple(ThemeId(v) for v in _numbers(values("themes"), "theme", notes))
        mentions = tuple(_numbers(values("mentions"), "entity", notes))
        return cls(
            start=None if start == date.min else start,
            end=None if end == date.max else end,
            outlets=tuple(values("outlet")),
            biases=tuple(values("bias")),
            countries=tuple(values("country")),
            level=level,
            topics=topics,
            themes=themes,
            mentions=mentions,
            search=" ".join(values("q")),
            notes=tuple(notes),
        )

    def describe(self, names: Mapping[str, Mapping[int, str]] | None = None) -> str:
        """The selection in one line, for a chart, its image and its data ("All articles" when nothing is
        chosen). names: labels of topics, themes and entities by id ({"topic": {...}, "theme": ..., "entity": ...})."""
        names = names or {}
        parts = []
        if self.start or self.end:
            parts.append(f"{self.start or 'the first article'} to {self.end or 'the last article'}")
        for what, values in (("outlets", self.outlets), ("bias", self.biases), ("country", self.countries)):
            if values:
                parts.append(f"{what}: {_listed(values)}")
        for what, ids in (("topic", self.topics), ("theme", self.themes)):
            if ids:
                labels = [names.get(what, {}).get(t.value, f"{what} {t.value}") for t in ids]
                parts.append(f"{what}{'s' if len(ids) > 1 else ''}: {_listed(labels)}")
        if self.mentions:
            labels = [names.get("entity", {}).get(e, f"entity {e}") for e in self.mentions]
            parts.append(f"naming {_listed(labels, ' or ')}")
        if self.search:
            parts.append(f"search “{self.search}”")
        return ("Selection: " + "; ".join(parts) if parts else "Selection: all articles") + f" (level: {self.level})"


def _numbers(raw: Iterable[str], what: str, notes: list[str]) -> list[int]:
    out, bad = [], []
    for value in raw:
        try:
            out.append(int(value))
        except ValueError:
            bad.append(value)
    if bad:
        notes.append(f"{what.capitalize()} ids are numbers; “{', '.join(bad[:3])}” was left out.")
    return out


def _listed(values: Sequence[str], last: str = " and ", limit: int = 4) -> str:
    items = [str(v) for v in values]
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + last + items[-1]
