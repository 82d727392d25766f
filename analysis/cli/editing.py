"""Commands that edit what the model made: topics, themes, entities, and outlet metadata."""

from __future__ import annotations

import argparse

from analysis.cli.base import Command
from analysis.config import db_path
from analysis.errors import BadInput


def _apply_edit(store, kind: str, args: argparse.Namespace) -> None:
    """Apply the topics/themes/entities edit the command line asks for, printing its sentence."""
    from analysis.explore import edits

    if args.action != "list":
        edit = {"topics": edits.edit_topic, "themes": edits.edit_theme, "entities": edits.edit_entity}[kind]
        print(edit(store, args.action, *_edit_args(kind, args.action, args.args)))


EDIT_USAGE = {"rename": "ID LABEL", "merge": "FROM_ID INTO_ID", "unmerge": "ID", "hide": "ID", "show": "ID"}


def _edit_args(kind: str, action: str, given: list[str]) -> tuple[int, str | int | None]:
    """The id and value of a topics/themes edit from the command line, or one sentence saying what to give."""
    usage = f"python -m analysis {kind} {action} {EDIT_USAGE[action]}"
    if len(given) < (2 if action in ("rename", "merge") else 1):
        raise BadInput(f"Give what to change: {usage}")
    try:
        ident = int(given[0])
        value: str | int | None = " ".join(given[1:]) if action == "rename" else None
        if action == "merge":
            value = int(given[1])
    except ValueError as exc:
        one = {"topics": "Topic", "themes": "Theme", "entities": "Entity"}[kind]
        raise BadInput(f"{one} ids are whole numbers: {usage}") from exc
    return ident, value


def topics_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", default="list", choices=["list", "rename", "hide", "show", "merge"])
    p.add_argument("args", nargs="*", help="rename ID LABEL | hide ID | show ID | merge FROM_ID INTO_ID")


def cmd_topics(args: argparse.Namespace) -> int:
    from analysis.explore import edits
    from analysis.store import open_store

    with open_store(db_path(args.db)) as store:
        _apply_edit(store, "topics", args)
        table = edits.topic_table(store, include_hidden=True)
    for r in table.itertuples():
        flag = " (hidden)" if r.hidden else ""
        print(f"{r.topic:>5}  {r.size:>6,}  {r.label}{flag}")
    return 0


def themes_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", default="list", choices=["list", "rename", "merge", "unmerge"])
    p.add_argument("args", nargs="*", help="rename ID LABEL | merge FROM_ID INTO_ID | unmerge ID")


def cmd_themes(args: argparse.Namespace) -> int:
    from analysis.explore import edits
    from analysis.store import open_store

    with open_store(db_path(args.db)) as store:
        _apply_edit(store, "themes", args)
        table = edits.theme_table(store)
        topics = edits.topic_table(store)
        labels = dict(zip(topics["topic"], topics["label"], strict=True))
    if table.empty:
        print("No themes yet: run `python -m analysis fit --if-needed`.")
    for r in table.itertuples():
        names = "; ".join(labels.get(t, str(t)) for t in r.topics[:4]) + ("; ..." if len(r.topics) > 4 else "")
        print(f"{r.theme:>5}  {r.size:>6,}  {r.label}  ({len(r.topics)} topics: {names})")
    return 0


def entities_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", default="list", choices=["list", "rename", "merge", "unmerge"])
    p.add_argument("args", nargs="*", help="rename ID NAME | merge FROM_ID INTO_ID | unmerge ID")
    p.add_argument("--limit", type=int, default=50, help="how many to list, most mentioned first")


def cmd_entities(args: argparse.Namespace) -> int:
    from analysis.store import open_store

    with open_store(db_path(args.db)) as store:
        _apply_edit(store, "entities", args)
        table = store.entities.entity_table()
    if table.empty:
        print("No entities yet: run `python -m analysis fit --if-needed`.")
    for r in table.head(args.limit).itertuples():
        print(f"{r.entity_id:>6}  {r.mentions:>7,}  {r.articles:>6,}  {r.kind:<12}  {r.name}")
    return 0


def outlets_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["list", "set", "import"])
    p.add_argument("name", nargs="?", help="outlet name (set) or CSV file (import)")
    p.add_argument("--country")
    p.add_argument("--bias")
    p.add_argument("--bias-source")
    p.add_argument("--owner")
    p.add_argument("--domain")
    p.add_argument("--rating", action="append", help="SOURCE=VALUE[@YYYY-MM-DD]; repeatable")


def cmd_outlets(args: argparse.Namespace) -> int:
    from analysis.ingest.outlet_files import parse_rating, read_outlet_file
    from analysis.store import open_store

    with open_store(db_path(args.db)) as store:
        if args.action == "list":
            table = store.outlets.listing()
            print(table.to_string(index=False) if len(table) else "No outlets yet.")
        elif args.action == "import":
            if not args.name:
                raise BadInput("Give the CSV file: python -m analysis outlets import FILE.csv")
            c = store.outlets.upsert_outlets(read_outlet_file(args.name))
            print(f"{args.name}: {c['updated']:,} outlets updated, {c['added']:,} added.")
        else:
            if not args.name:
                raise BadInput("Give the outlet: python -m analysis outlets set NAME --bias Center")
            store.outlets.set_outlet(
                args.name,
                ratings=dict(parse_rating(r) for r in args.rating or []),
                country=args.country,
                bias=args.bias,
                bias_source=args.bias_source,
                owner=args.owner,
                domain=args.domain,
            )
            print(f"{args.name}: updated.")
    return 0


COMMANDS = (
    Command("topics", "list topics, or rename/hide/show/merge them", topics_args, cmd_topics, store=True),
    Command("themes", "list themes, or rename/merge/unmerge them", themes_args, cmd_themes, store=True),
    Command(
        "entities",
        "list people, organisations and places, or rename/merge/unmerge them",
        entities_args,
        cmd_entities,
        store=True,
    ),
    Command("outlets", "list, edit or import outlet metadata", outlets_args, cmd_outlets, store=True),
)
