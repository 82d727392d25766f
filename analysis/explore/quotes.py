"""Who is quoted: the quotations the quotes stage found (analysis.enrich.quotes), each speaker linked to the
person or organisation of the Entities page when the article names them, and who is quoted most in a selection,
by which outlets. The one place quotations are read: the Article, Story and Entities pages and `export quotes`
all come here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.explore.resolve import resolve
from analysis.explore.selection import Selection
from analysis.store import Database

TABLE = "article_quotes"
COLUMNS = ["article_id", "speaker", "entity_id", "quote", "how"]
NOTE = (
    "Direct quotations of four words or more and whom the article attributes them to, found by a rule: on 60"
    " hand-labelled articles about 9 in 10 named speakers it gives are right and it finds 2 in 3 of them."
)


def _names(table: pd.DataFrame) -> dict[str, set[int]]:
    """Lower-cased name or alias -> the people and organisations known by it."""
    out: dict[str, set[int]] = {}
    for r in table.itertuples():
        if r.kind not in ("person", "organisation"):
            continue
        for form in (r.name, *r.aliases):
            out.setdefault(str(form).lower(), set()).add(int(r.entity_id))
    return out


DOMINANT = 0.75  # a form shared by several entities is the one named in this share of their articles


def _link(
    speaker: str,
    in_article: set[int],
    names: dict[str, set[int]],
    last: dict[int, str],
    size: dict[int, int],
    surnamed: dict[str, set[int]] | None = None,
) -> int | None:
    """The entity a speaker is: one the article names by that form, else by that surname, else the entity known
    by that form (or, for a surname alone, the person of that surname) that takes most of their articles ("Trump"
    is Donald Trump, not Donald Trump Jr.)."""
    forms = names.get(speaker.lower(), set())
    here = forms & in_article
    if len(here) == 1:
        return next(iter(here))
    surname = speaker.split()[-1].lower()
    by_surname = {e for e in in_article if last.get(e) == surname}
    if len(by_surname) == 1:
        return next(iter(by_surname))
    if " " in speaker:
        everyone: set[int] = set()
    elif surnamed is not None:  # the index by surname, made once per call of quotes_of
        everyone = surnamed.get(surname, set())
    else:
        everyone = {e for e, n in last.items() if n == surname}
    for pool in (here, by_surname, forms, everyone):
        if pool:
            top = max(pool, key=lambda e: (size.get(e, 0), -e))
            if size.get(top, 0) >= DOMINANT * sum(size.get(e, 0) for e in pool):
                return top
    return None


def quotes_of(store: Database, article_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per quotation (article_id, speaker, entity_id, quote, how), in article and reading order; speaker
    None when the article does not name one, entity_id None when the speaker is not a known entity."""
    from analysis.explore import working

    rows = store.outputs.read(TABLE, ["quotes"], None if article_ids is None else list(article_ids))
    out = [
        (str(aid), speaker, quote, how)
        for aid, text in zip(rows["article_id"], rows["quotes"], strict=True)
        for speaker, quote, how in json.loads(text or "[]")
    ]
    df = pd.DataFrame(out, columns=["article_id", "speaker", "quote", "how"])
    if df.empty:
        return pd.DataFrame(columns=COLUMNS)
    table = working.entity_table(store)
    names = _names(table)
    last = {int(r.entity_id): str(r.name).split()[-1].lower() for r in table.itertuples() if r.kind == "person"}
    links = working.links(store)
    links = links[links["article_id"].isin(set(df["article_id"]))]
    named = links.groupby("article_id")["entity_id"].agg(lambda s: {int(e) for e in s}).to_dict()
    size = {int(r.entity_id): int(r.articles) for r in table.itertuples()}
    surnamed: dict[str, set[int]] = {}
    for e, n in last.items():
        surnamed.setdefault(n, set()).add(e)
    df["entity_id"] = [
        _link(str(s), named.get(a, set()), names, last, size, surnamed) if isinstance(s, str) and s else None
        for a, s in zip(df["article_id"], df["speaker"], strict=True)
    ]
    df["entity_id"] = df["entity_id"].astype("Int64")
    return df[COLUMNS]


def article_quotes(store: Database, article_id: str) -> pd.DataFrame:
    """An article's quotations: speaker (the entity's name when linked), entity_id, quote."""
    from analysis.explore import working

    df = quotes_of(store, [article_id])
    return _with_names(df, working.entity_table(store))[["speaker", "entity_id", "quote"]]


def _with_names(df: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Linked speakers shown by their entity's name (merges and renames applied), the rest as written."""
    name = dict(zip(table["entity_id"].astype(int), table["name"], strict=True)) if len(table) else {}
    df = df.copy()
    df["speaker"] = [
        name.get(int(e), s) if pd.notna(e) else s for e, s in zip(df["entity_id"], df["speaker"], strict=True)
    ]
    return df


def quoted_by_outlet(store: Database, article_ids: Sequence[str]) -> pd.DataFrame:
    """Who each outlet quotes in these articles (a story): outlet, speaker, quotations, articles; most quoted
    first within an outlet. Unnamed speakers are left out."""
    from analysis.explore import working

    df = _with_names(quotes_of(store, article_ids), working.entity_table(store))
    df = df[df["speaker"].notna()]
    if df.empty:
        return pd.DataFrame(columns=["outlet", "speaker", "quotations", "articles"])
    frame = working.frame(store)
    outlet = dict(zip(frame["article_id"], frame["outlet"], strict=True))
    df["outlet"] = df["article_id"].map(outlet)
    out = (
        df.groupby(["outlet", "speaker"], as_index=False)
        .agg(quotations=("quote", "size"), articles=("article_id", "nunique"))
        .sort_values(["outlet", "quotations", "speaker"], ascending=[True, False, True], kind="stable")
    )
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Quoted:
    """Who the selection quotes most: speaker, entity_id, articles (of the selection quoting them), outlets (how
    many), by (the outlets, most first), example (one quotation); of: the selection's articles; with_quotes: how
    many of them have a quotation with a named speaker."""

    table: pd.DataFrame
    of: int
    with_quotes: int


def quoted(store: Database, selection: Selection, entity: int | None = None, limit: int = 100) -> Quoted:
    """The most quoted speakers of the selection (or one entity's quotations: entity)."""
    from analysis.explore import working

    r = resolve(store, selection)
    ids = r.rows["article_id"].astype(str).tolist()
    df = _with_names(quotes_of(store, ids), working.entity_table(store))
    df = df[df["speaker"].notna()]
    if entity is not None:
        df = df[df["entity_id"] == entity]
    cols = ["speaker", "entity_id", "articles", "outlets", "by", "example"]
    if df.empty:
        return Quoted(pd.DataFrame(columns=cols), len(ids), 0)
    outlet = dict(zip(r.rows["article_id"].astype(str), r.rows["outlet"], strict=True))
    df = df.assign(outlet=df["article_id"].map(outlet), key=df["entity_id"].astype(str) + "|" + df["speaker"])
    rows = []
    for _, g in df.groupby("key", sort=False):
        per_outlet = g.groupby("outlet")["article_id"].nunique().sort_values(ascending=False, kind="stable")
        rows.append(
            {
                "speaker": g["speaker"].iloc[0],
                "entity_id": g["entity_id"].iloc[0],
                "articles": int(g["article_id"].nunique()),
                "outlets": len(per_outlet),
                "by": "; ".join(f"{o} ({n})" for o, n in per_outlet.items()),
                "example": max(g["quote"], key=len)[:300],
            }
        )
    table = pd.DataFrame(rows).sort_values(["articles", "speaker"], ascending=[False, True], kind="stable")
    return Quoted(table.head(limit).reset_index(drop=True)[cols], len(ids), int(df["article_id"].nunique()))
