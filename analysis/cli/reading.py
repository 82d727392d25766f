"""Commands that read a store out: CSV exports and a summary."""

from __future__ import annotations

import argparse
import json
import sys

from analysis.cli.base import Command, redact
from analysis.config import db_path
from analysis.errors import BadInput


def export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=["articles", "outlets", "topics", "stories", "entities", "quotes"])
    p.add_argument("--out", required=True, metavar="FILE.csv")
    g = p.add_argument_group("which articles (export articles or quotes; as the app's sidebar selects them)")
    g.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="published on or after this day")
    g.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="published on or before this day")
    g.add_argument("--source", action="append", default=[], metavar="OUTLET", help="this outlet (repeatable)")
    g.add_argument("--bias", action="append", default=[], help="outlets with this bias rating (repeatable)")
    g.add_argument("--country", action="append", default=[], help="outlets of this country (repeatable)")
    g.add_argument("--topic", action="append", default=[], metavar="ID", help="in this topic (repeatable)")
    g.add_argument("--theme", action="append", default=[], metavar="ID", help="in this theme (repeatable)")
    g.add_argument("--mention", action="append", default=[], metavar="ENTITY_ID", help="naming this entity")
    g.add_argument("--search", default="", metavar="QUERY", help="full-text search, as in the app's search box")


def _day(value: str | None, option: str) -> str | None:
    """A day the user typed, checked: a date that does not exist is an error, not a filter left out."""
    from datetime import date

    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise BadInput(f"{option} {value!r} is not a day; give it as YYYY-MM-DD, e.g. 2019-03-01.") from None


def cmd_export(args: argparse.Namespace) -> int:
    from analysis.explore import export
    from analysis.explore.resolve import resolve
    from analysis.explore.selection import Selection
    from analysis.store import open_store

    bad = [m for m in args.mention if not str(m).strip().isdecimal()]
    if bad:  # narrowing by a name would silently export everything: say so instead
        shown = "".join(c if c.isprintable() else " " for c in str(bad[0]))
        raise BadInput(
            f"--mention takes entity ids (numbers; `python -m analysis entities` lists them): “{shown}” is not one."
        )
    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    if start and end and start > end:
        print(
            f"note: --from is after --to; read as {end} to {start}, as the app reads a reversed range.", file=sys.stderr
        )
        start, end = end, start
    params = {
        "dates": [start or "0001-01-01", end or "9999-12-31"] if start or end else [],
        "outlet": args.source,
        "bias": args.bias,
        "country": args.country,
        "topics": args.topic,
        "themes": args.theme,
        "mentions": args.mention,
        "q": [args.search] if args.search else [],
    }
    selection = Selection.parse(params)
    chosen = selection != Selection()
    if chosen and args.kind not in ("articles", "quotes"):
        raise BadInput(
            "--from, --to, --source, --bias, --country, --topic, --theme, --mention and --search choose "
            "articles: use them with `export articles` or `export quotes`."
        )
    with open_store(db_path(args.db), readonly=True) as store:
        if chosen:
            r = resolve(store, selection)
            for note in (*selection.notes, *r.notes, *(f"{o}: {why}." for o, why in r.absent)):
                print(f"note: {note}", file=sys.stderr)
            chosen_ids = set(r.rows["article_id"])
            if args.kind == "quotes":
                n = export.export_quotes(store, args.out, only=chosen_ids)
            else:
                n = export.export_articles(store, args.out, only=chosen_ids)
        else:
            writer = {
                "articles": export.export_articles,
                "outlets": export.export_outlets,
                "topics": export.export_topics,
                "stories": export.export_stories,
                "entities": export.export_entities,
                "quotes": export.export_quotes,
            }[args.kind]
            n = writer(store, args.out)
    one = {"articles": "article", "outlets": "outlet", "topics": "topic", "stories": "story", "entities": "entity"}
    print(f"Wrote {n:,} {args.kind if n != 1 else one.get(args.kind, 'quotation')} to {args.out}.")
    return 0


def stats_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")
    p.add_argument("--top", type=int, default=15, help="outlets to list")


def cmd_stats(args: argparse.Namespace) -> int:
    from analysis.explore.overview import outlets, overview
    from analysis.explore.selection import Selection
    from analysis.store import open_store

    with open_store(db_path(args.db), readonly=True) as store:
        ov = overview(store, Selection())
        imports = store.imports()
        info = {
            "store": redact(store.path),
            "schema_version": store.schema_version,
            "articles": ov.articles,
            "outlets": ov.outlets,
            "first": ov.first.isoformat() if ov.first is not None else None,
            "last": ov.last.isoformat() if ov.last is not None else None,
            "undated": ov.undated,
            "imports": len(imports),
        }
        if args.json:
            print(json.dumps(info, indent=2))
            return 0
        for k, v in info.items():
            print(f"{k:>15}: {v:,}" if isinstance(v, int) else f"{k:>15}: {v}")
        if store.vector_search_note:
            print(store.vector_search_note)
        table = outlets(store, Selection()).head(args.top)
        if not table.empty:
            print()
            print(table[["outlet", "articles", "share", "coverage", "undated"]].to_string(index=False))
    return 0


COMMANDS = (
    Command("export", "write a table as CSV", export_args, cmd_export, store=True),
    Command("stats", "summarise the store", stats_args, cmd_stats, store=True),
)
