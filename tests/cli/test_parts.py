"""Direct tests of the command line's parser and progress lines (the CLI tests run whole commands)."""

from __future__ import annotations

import pytest

from analysis.cli import build_parser
from analysis.cli.progress import stage_progress


def test_every_command_of_the_contract_parses_with_its_store():
    parser = build_parser()
    args = parser.parse_args(["export", "articles", "--out", "a.csv", "--db", "x.db"])
    assert (args.command, args.kind, args.out, args.db) == ("export", "articles", "a.csv", "x.db")
    assert parser.parse_args(["fit", "--update"]).update is True
    for command in (["demo"], ["import", "f.csv"], ["stats"], ["bench"], ["collect", "https://a.example/"]):
        assert parser.parse_args(command).command == command[0]
    with pytest.raises(SystemExit):
        parser.parse_args(["export", "nonsense", "--out", "a.csv"])


def test_progress_as_lines_for_the_app(monkeypatch, capsys):
    monkeypatch.setenv("NEWS_PROGRESS_LINES", "1")
    _, progress = stage_progress()
    progress("embed", 64, 200)
    assert capsys.readouterr().err == "progress\tembed\t64\t200\n"
