"""What the sidebar selects, as one value the store, the read side and the pages share."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects. Hashable, so UI caches can key on it."""

    start: date | None = None
    end: date | None = None
    outlets: tuple[str, ...] = ()
    search: str = ""
    biases: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    topics: tuple[int, ...] = ()  # raw topic ids of the active fit (merged topics expanded by the caller)
    entities: tuple[int, ...] = ()  # "Mentions": articles naming any of these (merged entities expanded)
    level: str = "topics"  # "themes": frames show each article's theme in its topic columns

    @property
    def noun(self) -> str:
        """What the topic columns of a frame count at this level: "topic" or "theme"."""
        return "theme" if self.level == "themes" else "topic"

    @property
    def narrows_content(self) -> bool:
        """True when topics, mentions or a search narrow the selection (not just which outlets and dates)."""
        return bool(self.topics or self.entities or self.search.strip())

    def sources(self) -> Filters:
        """Only the filters that say which coverage counts (dates, outlets, bias, country): the base
        that shares of a topic, a mention or a search are taken of."""
        return replace(self, topics=(), entities=(), search="")
