"""The parts every page's answer is made of: a share that names what it is a share of, a table over time with
its period and the sentences that go under it, and a list of articles with how many there are in all."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Share:
    """count of total, where `of` says in words what total counts ("articles of the selection")."""

    count: int
    total: int
    of: str

    @property
    def value(self) -> float:
        return self.count / self.total if self.total else math.nan

    def text(self) -> str:
        """ "12.5% (25 of 200 articles of the selection)"; "no article" when total is 0."""
        if not self.total:
            return f"– (no {self.of})"
        return f"{self.value:.1%} ({self.count:,} of {self.total:,} {self.of})"


@dataclass(frozen=True)
class OverTime:
    """A table with one row per period of the span (and per group), zeros included. `key`: the column naming
    each line (a topic, theme, outlet, search...); `measure`: what the values are, with their denominator, in
    words; `notes`: periods covered only in part, periods without any article, and the like."""

    table: pd.DataFrame
    period: str
    key: str
    measure: str
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return self.table.empty


@dataclass(frozen=True)
class Articles:
    """Some articles of a larger set (at most a page of them): rows with id, title, outlet, published (and what
    the list adds), and how many there are in all."""

    rows: pd.DataFrame
    total: int
    heading: str = ""

    @property
    def empty(self) -> bool:
        return self.total == 0


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 outlet", "2 outlets", "1,204 articles"."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
