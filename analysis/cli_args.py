"""The command line's arguments: one subcommand per analysis.cli.cmd_<name>."""

from __future__ import annotations

import argparse


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="store path (default: $NEWS_DB or data/news.db)")
    ap = argparse.ArgumentParser(prog="python -m analysis", description="News coverage explorer: data commands.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", parents=[common], help="load the shipped demo corpus")
    p.add_argument("--if-empty", action="store_true", help="only when the store holds no article")

    p = sub.add_parser("import", parents=[common], help="import CSV/TSV/JSON/JSONL/Parquet files (optionally .gz)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--outlet", help="outlet name for every article of the file")
    p.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="use COLUMN for FIELD (title, text, outlet, published, url, authors, language)",
    )
    p.add_argument("--format", choices=["csv", "tsv", "json", "jsonl", "parquet"], help="override the detected format")
    p.add_argument("--encoding", help="text encoding (default: detected)")
    p.add_argument("--tz", default="UTC", help="time zone of dates without one (default UTC)")
    p.add_argument("--dayfirst", action="store_true", help="read 03/04/2020 as 3 April")
    p.add_argument("--show", type=int, default=10, help="how many row problems to print (default 10)")

    p = sub.add_parser("collect", parents=[common], help="collect articles from feeds, URLs or saved pages")
    p.add_argument("sources", nargs="*", metavar="URL", help="article URLs, or feed / sitemap / home page URLs")
    p.add_argument("--feeds", metavar="FILE", help="feeds, sitemaps or home pages, one per line (or a url column)")
    p.add_argument("--urls", metavar="FILE", help="article URLs, one per line (or a CSV with a url column)")
    p.add_argument("--html", action="append", metavar="PATH", default=[], help="saved page, folder or .zip")
    p.add_argument("--watch", type=float, metavar="MINUTES", help="collect the feeds again every MINUTES")
    p.add_argument("--workers", type=int, default=8, help="requests at once across hosts (default 8)")
    p.add_argument("--per-host", type=int, default=2, help="requests at once to one host (default 2)")
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default 1)")
    p.add_argument("--timeout", type=float, default=15.0, help="read timeout in seconds (default 15)")
    p.add_argument("--max-mb", type=int, default=10, help="largest response in MB (default 10)")
    p.add_argument("--retry-failed", action="store_true", help="try again URLs that failed for any reason")
    p.add_argument(
        "--allow-host",
        action="append",
        metavar="HOST",
        help="fetch from this host even if it is on a private network (off by default)",
    )

    p = sub.add_parser("export", parents=[common], help="write a table as CSV")
    p.add_argument("kind", choices=["articles", "outlets", "topics", "stories", "entities"])
    p.add_argument("--out", required=True, metavar="FILE.csv")
    g = p.add_argument_group("which articles (export articles; as the app's sidebar selects them)")
    g.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="published on or after this day")
    g.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="published on or before this day")
    g.add_argument("--source", action="append", default=[], metavar="OUTLET", help="this outlet (repeatable)")
    g.add_argument("--bias", action="append", default=[], help="outlets with this bias rating (repeatable)")
    g.add_argument("--country", action="append", default=[], help="outlets of this country (repeatable)")
    g.add_argument("--topic", action="append", default=[], metavar="ID", help="in this topic (repeatable)")
    g.add_argument("--theme", action="append", default=[], metavar="ID", help="in this theme (repeatable)")
    g.add_argument("--mention", action="append", default=[], metavar="ENTITY_ID", help="naming this entity")
    g.add_argument("--search", default="", metavar="QUERY", help="full-text search, as in the app's search box")

    p = sub.add_parser("fit", parents=[common], help="embed new articles and fit topics (or --update)")
    p.add_argument("--update", action="store_true", help="assign topics to new articles without refitting")
    p.add_argument(
        "--if-needed",
        action="store_true",
        help="fit when there is no model yet, else assign topics to new articles (used by make run)",
    )
    p.add_argument("--seed", type=int, default=42, help="random seed (same data and seed give the same topics)")
    p.add_argument("--min-topic-size", type=int, default=None, help="smallest topic (default adapts to size)")
    p.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="dask: the per-article stages as Dask tasks over partitions (README: scale-out)",
    )
    p.add_argument(
        "--scheduler",
        help="with --engine dask: a running scheduler (tcp://HOST:8786); default: a LocalCluster on this machine",
    )
    p.add_argument("--workers", type=int, default=2, help="with --engine dask and no scheduler: worker processes")
    p.add_argument(
        "--sample",
        type=int,
        default=200_000,
        help="with --engine dask: fit topics on at most this "
        "many articles (seeded); the rest are assigned to their nearest topic",
    )

    p = sub.add_parser("topics", parents=[common], help="list topics, or rename/hide/show/merge them")
    p.add_argument("action", nargs="?", default="list", choices=["list", "rename", "hide", "show", "merge"])
    p.add_argument("args", nargs="*", help="rename ID LABEL | hide ID | show ID | merge FROM_ID INTO_ID")

    p = sub.add_parser("themes", parents=[common], help="list themes, or rename/merge/unmerge them")
    p.add_argument("action", nargs="?", default="list", choices=["list", "rename", "merge", "unmerge"])
    p.add_argument("args", nargs="*", help="rename ID LABEL | merge FROM_ID INTO_ID | unmerge ID")

    p = sub.add_parser(
        "entities", parents=[common], help="list people, organisations and places, or rename/merge/unmerge them"
    )
    p.add_argument("action", nargs="?", default="list", choices=["list", "rename", "merge", "unmerge"])
    p.add_argument("args", nargs="*", help="rename ID NAME | merge FROM_ID INTO_ID | unmerge ID")
    p.add_argument("--limit", type=int, default=50, help="how many to list, most mentioned first")

    p = sub.add_parser("outlets", parents=[common], help="list, edit or import outlet metadata")
    p.add_argument("action", choices=["list", "set", "import"])
    p.add_argument("name", nargs="?", help="outlet name (set) or CSV file (import)")
    p.add_argument("--country")
    p.add_argument("--bias")
    p.add_argument("--bias-source")
    p.add_argument("--owner")
    p.add_argument("--domain")
    p.add_argument("--rating", action="append", help="SOURCE=VALUE[@YYYY-MM-DD]; repeatable")

    p = sub.add_parser("stats", parents=[common], help="summarise the store")
    p.add_argument("--json", action="store_true")
    p.add_argument("--top", type=int, default=15, help="outlets to list")

    p = sub.add_parser("migrate", help="copy a whole store to another (SQLite <-> PostgreSQL); run again to resume")
    p.add_argument("src", help="the store to copy: a file path or a postgresql:// URL")
    p.add_argument("dst", help="the store to copy into (created when missing; must not hold other articles)")

    p = sub.add_parser("bench", help="run the benchmarks (see bench/run.py --help)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    return ap
