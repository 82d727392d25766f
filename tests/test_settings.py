"""One Settings value, read from the environment at the edges and asked for by the library when it runs."""

from __future__ import annotations

import pytest

import analysis.config as config
from analysis.cli import main
from analysis.config import Settings
from analysis.errors import BadInput


def test_settings_come_from_the_environment_with_defaults():
    s = Settings.from_env({"NEWS_SEED": "7", "NEWS_DB": "/tmp/x.db", "NEWS_COLLECT_ALLOW_HOSTS": "LocalHost, a.test"})
    assert s.seed == 7 and s.db == "/tmp/x.db" and s.collect_allow_hosts == {"localhost", "a.test"}
    assert s.embed_model == "all-MiniLM-L6-v2" and s.import_batch == 2000  # the rest keep their defaults
    with pytest.raises(BadInput, match="NEWS_SEED must be a whole number, not 'seven'."):
        Settings.from_env({"NEWS_SEED": "seven"})


def test_the_library_reads_settings_when_it_runs_not_at_import(monkeypatch, tmp_path):
    from analysis.enrich.topic_model import TopicParams
    from analysis.pipeline.load import Importer
    from analysis.store import Store

    monkeypatch.setenv("NEWS_SEED", "11")
    monkeypatch.setenv("NEWS_IMPORT_BATCH", "50")
    assert TopicParams().seed == 11
    with Store(tmp_path / "news.db") as store:
        assert Importer(store).batch_size == 50
    config.use(Settings(seed=3))  # what an edge chose wins over the environment
    assert TopicParams().seed == 3 and config.db_path("/tmp/override.db") == "/tmp/override.db"


def test_a_bad_setting_is_one_sentence_on_the_command_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("NEWS_IMPORT_BATCH", "lots")
    assert main(["stats", "--db", str(tmp_path / "none.db")]) == 1
    assert capsys.readouterr().err.strip() == "error: NEWS_IMPORT_BATCH must be a whole number, not 'lots'."


def test_a_postgresql_url_is_kept_as_written():
    url = "postgresql://news:secret@db.example:5432/news?sslmode=require"
    assert config.Settings.from_env({"NEWS_DB": url}).db == url  # a Path would fold "//" into "/"
    assert config.db_path(url) == url
