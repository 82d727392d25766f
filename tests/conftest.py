from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.store import Store
from tests.fixtures import build_store

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "news.db")
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
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(fixture_db, target)
    return target
