"""Headlines by country: for each outlet country, the latest stories its outlets covered, with a summary,
the outlets, the coverage bar and where the country's best-placed outlet on the story ranks among that
country's outlets by stories covered ("#3 of 25 in US by stories covered")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.explore.selection import Selection
from analysis.explore.sides import bar_text
from analysis.store import Database

NAMES = {
    "US": "United States",
    "USA": "United States",
    "GB": "United Kingdom",
    "UK": "United Kingdom",
    "QA": "Qatar",
    "RU": "Russia",
    "CN": "China",
    "DE": "Germany",
    "IE": "Ireland",
    "FR": "France",
    "IN": "India",
    "CA": "Canada",
    "AU": "Australia",
    "JP": "Japan",
    "IL": "Israel",
    "ES": "Spain",
    "IT": "Italy",
    "BR": "Brazil",
    "MX": "Mexico",
}
COLUMNS = [
    "story_id",
    "title",
    "first_published",
    "precision",
    "outlets",
    "outlet_list",
    "country_outlets",
    "coverage",
    "bias",
    "summary",
    "top_outlet",
    "rank",
    "of",
    "rank_text",
]


@dataclass(frozen=True)
class Country:
    """The latest stories an outlet country's outlets covered (COLUMNS; bias: the story's outlets by rating, for
    its coverage bar; country_outlets: those of this country)."""

    code: str
    name: str
    stories: pd.DataFrame


@dataclass(frozen=True)
class Headlines:
    countries: tuple[Country, ...]
    has_countries: bool  # whether any outlet of the store has a country at all


def country_name(code: str) -> str:
    """A country's name for its code as outlets carry it ("US" -> "United States"); other values as given."""
    return NAMES.get(code.strip().upper(), code)


def with_article(name: str) -> str:
    """A country's name as it reads after "in": "the United States", "France"."""
    return f"the {name}" if name.startswith(("United ", "Netherlands", "Philippines", "Czech ")) else name


def outlet_ranks(stories: pd.DataFrame, country_of: dict[str, str]) -> pd.DataFrame:
    """Each outlet's rank within its country by stories covered (1 = most): outlet, country, stories, rank, of."""
    covered = stories[["story_id", "outlet_list"]].explode("outlet_list").rename(columns={"outlet_list": "outlet"})
    counts = covered.groupby("outlet")["story_id"].nunique().rename("stories").reset_index()
    counts["country"] = counts["outlet"].map(country_of)
    counts = counts[counts["country"].notna() & (counts["country"] != "")]
    counts = counts.sort_values(["country", "stories", "outlet"], ascending=[True, False, True])
    counts["rank"] = counts.groupby("country").cumcount() + 1
    counts["of"] = counts.groupby("country")["outlet"].transform("size")
    return counts.reset_index(drop=True)


def headlines(store: Database, selection: Selection, per_country: int = 8) -> Headlines:
    """The latest stories (two or more outlets, an article in the selection) of every outlet country, newest
    first; countries with the most stories first."""
    from analysis.explore.resolve import resolve
    from analysis.explore.stories import rows_of

    country_of = {r["name"]: r["country"] for r in store.outlets.records() if r.get("country")}
    r = resolve(store, selection)
    rows = rows_of(store, r.rows, 2)
    if rows.empty or not country_of:
        return Headlines((), bool(country_of))
    rows["outlet_list"] = rows["outlet_list"].map(json.loads)
    rows["bias"] = rows["bias"].map(lambda b: json.loads(b or "{}"))
    ranks = outlet_ranks(rows, country_of)
    rank_of = ranks.set_index("outlet")
    rows = rows.sort_values(["first_published", "story_id"], ascending=[False, True])
    picked: dict[str, list[dict[str, Any]]] = {}
    countries = set(ranks["country"])
    for story in rows.itertuples():
        if len(picked) == len(countries) and all(len(v) >= per_country for v in picked.values()):
            break
        by_country: dict[str, list[str]] = {}
        for o in story.outlet_list:
            if o in rank_of.index:
                by_country.setdefault(str(rank_of.loc[o, "country"]), []).append(o)
        for country, outs in by_country.items():
            if len(picked.setdefault(country, [])) >= per_country:
                continue
            best = min(outs, key=lambda o: (int(rank_of.loc[o, "rank"]), o))
            rank, of = int(rank_of.loc[best, "rank"]), int(rank_of.loc[best, "of"])
            picked[country].append(
                {
                    "story_id": int(story.story_id),
                    "title": story.title,
                    "first_published": story.first_published,
                    "precision": story.precision,
                    "outlets": int(story.outlets),
                    "outlet_list": list(story.outlet_list),
                    "country_outlets": sorted(outs),
                    "coverage": bar_text(story.bias),
                    "bias": dict(story.bias),
                    "top_outlet": best,
                    "rank": rank,
                    "of": of,
                    "rank_text": f"{best}: #{rank} of {of} in {country_name(country)} by stories covered",
                }
            )
    ids = sorted({int(x["story_id"]) for items in picked.values() for x in items})
    summary = _summaries(store, ids, rows.set_index("story_id")["title"])
    totals = ranks.groupby("country")["stories"].sum()
    out = []
    for country in sorted(picked, key=lambda c: (-int(totals.get(c, 0)), c)):
        table = pd.DataFrame(picked[country])
        table["summary"] = table["story_id"].map(summary).fillna("")
        out.append(Country(country, country_name(country), table[COLUMNS]))
    return Headlines(tuple(out), True)


def _summaries(store: Database, ids: list[int], titles: pd.Series) -> dict[int, str]:
    """Each story's summary: that of its article whose headline is the story's (its most central), else the
    earliest article's."""
    members = store.stories.member_rows(ids).sort_values(["story_id", "published", "id"], na_position="last")
    out: dict[int, str] = {}
    for sid, part in members.groupby("story_id"):
        central = part[part["title"] == titles.get(sid)]
        row = (central if not central.empty else part).iloc[0]
        out[int(sid)] = str(row["summary"] or "")
    return out
