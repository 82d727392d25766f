"""CSV export with spreadsheet-formula neutralisation, streamed from the store."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import BadInput
from analysis.explore.selection import Selection
from analysis.store import Database

ARTICLE_COLUMNS = ("id", "url", "title", "outlet", "published")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with an apostrophe; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def write_rows(out: io.TextIOBase | Any, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a header and rows as CSV with every cell neutralised; returns the row count."""
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    n = 0
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        n += 1
    return n


def dataframe_csv(df: pd.DataFrame) -> bytes:
    """A DataFrame as UTF-8 CSV bytes (with BOM, so spreadsheets pick the encoding), cells neutralised."""
    buf = io.StringIO()
    rows = (tuple(_py(v) for v in r) for r in df.itertuples(index=False, name=None))
    write_rows(buf, [str(c) for c in df.columns], rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _py(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if hasattr(v, "item") and not isinstance(v, str):
        try:
            return v.item()
        except (ValueError, AttributeError):
            return str(v)
    if isinstance(v, list | tuple):
        return "; ".join(str(x) for x in v)
    return v


def extra_columns(store: Database) -> list[str]:
    """Every extra field in the store, in order of first appearance."""
    return store.exports.extra_keys()


def derived_columns(store: Database) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The derived columns that exist in this store and their values per article id."""
    columns: list[str] = []
    values: dict[str, dict[str, Any]] = {}
    if store.active_fit is not None:
        at = store.topics.article_topics()
        columns += ["topic", "topic_label", "theme", "theme_label"]
        for a, t, label, th, th_label in zip(
            at["article_id"], at["topic"], at["topic_label"], at["theme"], at["theme_label"], strict=True
        ):
            values.setdefault(a, {}).update(topic=int(t), topic_label=label, theme=int(th), theme_label=th_label)
    if store.outputs.done_count("article_tone") or store.outputs.done_count("article_summaries"):
        # the contract's names (sentiment = the body's tone): scripts read these columns
        columns += ["sentiment", "sentiment_label", "headline_sentiment", "summary", "tags"]
        for a, tone, label, head, summary, tags in store.exports.output_rows():
            values.setdefault(a, {}).update(
                sentiment=None if tone is None else round(float(tone), 4),
                sentiment_label=label,
                headline_sentiment=None if head is None else round(float(head), 4),
                summary=summary,
                tags="; ".join(json.loads(tags or "[]")),
            )
        columns.append("story_id")
        for a, story in store.stories.story_of_articles().items():
            values.setdefault(a, {})["story_id"] = int(story)
    names = store.entities.entity_table()
    if not names.empty:
        columns.append("entities")
        name_of = dict(zip(names["entity_id"], names["name"], strict=True))
        links = store.entities.article_entities().sort_values(
            ["article_id", "count", "entity_id"], ascending=[True, False, True]
        )
        for a, ids in links.groupby("article_id")["entity_id"]:
            values.setdefault(str(a), {})["entities"] = "; ".join(name_of[e] for e in ids if e in name_of)
    return columns, values


DERIVED_DEFAULTS: dict[str, Any] = {
    "topic": -1,
    "topic_label": "Unassigned",
    "theme": -1,
    "theme_label": "Unassigned",
    "entities": "",
}


def article_rows(
    store: Database,
    extras: Sequence[str],
    derived: Sequence[str] = (),
    derived_values: dict[str, dict[str, Any]] | None = None,
    only: set[str] | None = None,
) -> Iterator[list[Any]]:
    """Rows of the articles export, oldest first (undated last); only: these article ids."""
    for row in store.exports.article_rows():
        if only is not None and row["id"] not in only:
            continue
        extra = json.loads(row["extra"] or "{}")
        values = [row["id"], row["url"], row["title"], row["outlet"], row["published"]]
        own = (derived_values or {}).get(row["id"], {})
        values += [own.get(c, DERIVED_DEFAULTS.get(c)) for c in derived]
        values += [_flat(extra.get(k)) for k in extras]
        yield values


def _flat(v: Any) -> Any:
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    return v


def export_articles(store: Database, out_path: str | Path, only: set[str] | None = None) -> int:
    """Write the articles export (contract: id, url, title, outlet, published, ..., extra fields); only: these
    article ids (a selection)."""
    header, rows = _articles(store, only)
    return _write(out_path, header, rows)


def articles_csv(store: Database, selection: Selection) -> bytes:
    """The selection's articles as the articles export writes them (what `python -m analysis export articles`
    with the same choices writes), as CSV bytes for a download."""
    from analysis.explore.resolve import resolve

    header, rows = _articles(store, set(resolve(store, selection).rows["article_id"]))
    out = io.StringIO()
    write_rows(out, header, rows)
    return out.getvalue().encode("utf-8")


def _articles(store: Database, only: set[str] | None) -> tuple[list[str], Iterator[list[Any]]]:
    derived, derived_values = derived_columns(store)
    extras = [e for e in extra_columns(store) if e not in ARTICLE_COLUMNS and e not in derived]
    header = list(ARTICLE_COLUMNS) + derived + extras
    return header, article_rows(store, extras, derived, derived_values, only)


def export_stories(store: Database, out_path: str | Path) -> int:
    """Write the stories table: id, title, first publisher(s) and time, size, outlets, bias split, then
    first_tied (outlets sharing first place on a day) and date_precision (time or day)."""
    rows = (
        [
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            "; ".join(json.loads(r[6])),
            "; ".join(f"{k}: {v}" for k, v in json.loads(r[7]).items()),
            r[8],
            r[9],
        ]
        for r in store.exports.story_rows()
    )
    header = [
        "story_id",
        "title",
        "first_published",
        "first_outlet",
        "articles",
        "outlets",
        "outlet_list",
        "bias",
        "first_tied",
        "date_precision",
    ]
    return _write(out_path, header, rows)


def export_topics(store: Database, out_path: str | Path) -> int:
    """Write the topic table: topic id, label, keywords, size, share, representative article ids, theme."""
    table = store.topics.topic_table(include_hidden=True)
    header = [
        "topic",
        "label",
        "auto_label",
        "keywords",
        "size",
        "share",
        "hidden",
        "representative_articles",
        "theme",
        "theme_label",
    ]
    rows = (
        [
            r.topic,
            r.label,
            r.auto_label,
            "; ".join(r.keywords),
            r.size,
            round(float(r.share), 6),
            bool(r.hidden),
            "; ".join(r.representative),
            int(r.theme),
            r.theme_label,
        ]
        for r in table.itertuples()
    )
    return _write(out_path, header, rows)


def export_entities(store: Database, out_path: str | Path) -> int:
    """Write the entities: entity_id, name, kind (person, organisation, place), mentions, articles, and the
    forms articles name it by (aliases, most used first), with the user's renames and merges applied."""
    table = store.entities.entity_table()
    header = ["entity_id", "name", "kind", "mentions", "articles", "aliases"]
    rows = (
        [int(r.entity_id), r.name, r.kind, int(r.mentions), int(r.articles), "; ".join(r.aliases)]
        for r in table.itertuples()
    )
    return _write(out_path, header, rows)


def export_quotes(store: Database, out_path: str | Path, only: set[str] | None = None) -> int:
    """Write every quotation (or those of the chosen articles): article_id, speaker (as the article names them,
    empty when it names nobody), entity_id (the person or organisation on the Entities page, empty when the
    speaker is none of them), quote; in article and reading order."""
    from analysis.explore.quotes import quotes_of

    df = quotes_of(store, None if only is None else sorted(only))
    rows = (
        [a, s if isinstance(s, str) else "", "" if pd.isna(e) else int(e), q]
        for a, s, e, q in zip(df["article_id"], df["speaker"], df["entity_id"], df["quote"], strict=True)
    )
    return _write(out_path, ["article_id", "speaker", "entity_id", "quote"], rows)


def export_outlets(store: Database, out_path: str | Path) -> int:
    """Write the outlets table with article counts and first/last dates."""
    header, rows = store.exports.outlet_rows()
    return _write(out_path, header, rows)


def _write(out_path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write the CSV through a .part file, so a failed export never leaves half a file under the name."""
    path = Path(out_path)
    if path.is_dir():
        raise BadInput(f"{path} is a folder; give the file to write, e.g. {path / 'articles.csv'}.")
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            n = write_rows(fh, header, rows)
        tmp.replace(path)
    except OSError as exc:
        if tmp.parent.is_dir():
            tmp.unlink(missing_ok=True)
        raise BadInput(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    return n
