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
