"""The command line (python -m analysis ...): one subcommand per entry of COMMANDS, each defined with its options
in the module of its kind (articles_in, modelling, reading, editing, admin)."""

from __future__ import annotations

import argparse
import sys

from analysis.cli import admin, articles_in, editing, modelling, reading
from analysis.cli.articles_in import SearchIndexInterrupted
from analysis.cli.base import Command

COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (*articles_in.COMMANDS, *reading.COMMANDS, *modelling.COMMANDS, *editing.COMMANDS, *admin.COMMANDS)
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="store path (default: $NEWS_DB or data/news.db)")
    ap = argparse.ArgumentParser(prog="python -m analysis", description="News coverage explorer: data commands.")
    sub = ap.add_subparsers(dest="command", required=True)
    for c in COMMANDS.values():
        c.arguments(sub.add_parser(c.name, parents=[common] if c.store else [], help=c.help))
    return ap


# What Ctrl-C leaves behind, by command (each one's writes are transactions, so nothing half-written stays).
INTERRUPTED = {
    "import": "the unfinished import was removed; nothing stored before it was touched.",
    "demo": "the unfinished import was removed; nothing stored before it was touched.",
    "fit": "the fit was stopped; each stage is saved whole or not at all, so the store holds what it had or"
    " what finished, and the same command does the rest.",
    "collect": "collection stopped; pages already fetched are stored and the rest stay queued for the next run.",
    "migrate": "the copy stopped; every batch copied is kept, and the same command finishes the rest.",
}


def main(argv: list[str] | None = None) -> int:
    """Run one command. What a user can cause (NewsError) is one `error:` sentence and exit code 1; anything
    else is a bug and keeps its traceback."""
    from analysis.config import Settings, use
    from analysis.errors import NewsError

    args = build_parser().parse_args(argv)
    try:
        use(Settings.from_env())  # the one read of the environment; the library asks settings()
        return int(COMMANDS[args.command].run(args) or 0)
    except BrokenPipeError:
        return 0
    except NewsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SearchIndexInterrupted:
        print(f"interrupted: {SearchIndexInterrupted.said}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        what = INTERRUPTED.get(args.command, "stopped; what was saved before is kept.")
        print(f"interrupted: {what}", file=sys.stderr)
        return 130
