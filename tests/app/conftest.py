from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Make an AppTest of app.py against a given store, optionally on a page with query params."""

    def make(db: Path, page: str | None = None, **params: str | list[str]) -> AppTest:
        monkeypatch.setenv("NEWS_DB", str(db))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        if page:
            at.switch_page(page)
        return at

    return make


STORY_ROWS = [
    {"url": f"https://{o.split()[0].lower()}.example/zeta", "title": f"Hurricane Zeta makes landfall near the coast ({o})",
     "text": "Hurricane Zeta made landfall on the coast with strong wind and heavy rain, forcing evacuation "
             f"of coastal towns and opening shelters; flooding and damage were reported. {extra}",
     "outlet": o, "date": f"2020-03-{d}T{h:02d}:00:00Z", "subject": "hurricane"}
    for o, d, h, extra in (("Gotham Gazette", 10, 6, "Officials urged calm."), ("Daily Planet", 10, 9, "More soon."),
                           ("Star City Star", 10, 15, "Power was cut."), ("Metropolis Mirror", 11, 8, "Roads closed."))
]  # fmt: skip
BIAS = {"Daily Planet": "Left", "Gotham Gazette": "Right", "Star City Star": "Center", "Metropolis Mirror": "Left"}


@pytest.fixture(scope="session")
def fitted_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fitted store: 6 subjects x 30 articles from 4 outlets with bias and country, topics, tone,
    summaries and stories, made with the fake embedder (no model is loaded)."""
    from analysis.importers import import_file
    from analysis.pipeline import run_fit
    from analysis.store import Store
    from tests.fakes import HashingEmbedder
    from tests.fixtures import write_csv
    from tests.topic_fixtures import topic_rows

    d = tmp_path_factory.mktemp("fitted_app")
    with Store(d / "news.db") as store:
        import_file(store, write_csv(d / "rows.csv", topic_rows() + STORY_ROWS))
        for name, bias in BIAS.items():
            store.update_outlet(name, bias=bias, country="US" if name != "Star City Star" else "UK")
        run_fit(store, HashingEmbedder())
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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
