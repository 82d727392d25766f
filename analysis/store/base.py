"""What every store backend shares: the error it raises, its clock, the base of a table family, and the
primitives (`Backend`, `Dialect`) a backend implements so that the families' SQL runs on it; the whole
interface, families included, is analysis.store.interface.Database.

A backend (today `analysis.store.sqlite.Store`; PostgreSQL next) provides a connection's primitives
(`execute`, `executemany`, `frame`, `transaction`), the data-version counter and meta values, and a
`Dialect` naming the SQL that differs between engines. The table families (`store.articles`,
`store.fits`, `store.topics`, ...) are written once against that interface, in SQL both engines accept
(`?` placeholders, which a backend translates to its own), and are reached as attributes of the store.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

import pandas as pd

from analysis.errors import NewsError

Conflict = Literal["error", "ignore", "replace"]


class StoreError(NewsError):
    """A store that cannot be opened or used; the message says why."""


def utcnow() -> str:
    """The current time as ISO 8601 UTC with a Z suffix."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Cursor(Protocol):
    """The part of a DB-API cursor the families use."""

    @property
    def rowcount(self) -> int: ...
    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Dialect(Protocol):
    """The SQL that differs between engines, named once per backend."""

    name: str
    max_params: int  # bound parameters one statement may carry
    ordered_join: str  # a join that reads its left table first (SQLite: CROSS JOIN forces the order)

    def insert(
        self, table: str, columns: Sequence[str], *, conflict: Conflict = "error", keys: Sequence[str] = ()
    ) -> str:
        """An INSERT of one row of `columns`; on a clash of `keys` fail, skip the row or replace it."""
        ...

    by_row: bool  # whether the search index answers with row numbers (else with article ids)
    near: bool  # whether NEAR(a b, n) is searched as written (else as all its words)

    def match(self, node: Any) -> tuple[str, list[Any]]:
        """A SELECT of (row number or article id, rank; lower is better) of the articles matching a query tree
        (analysis.store.query), and its parameters."""
        ...

    def json_keys(self, column: str) -> str:
        """A FROM item `j` with the keys (j.key) of a JSON-object column, in order (j.id)."""
        ...

    def is_search_syntax_error(self, exc: BaseException) -> bool:
        """Whether an error is the engine refusing a search's syntax (the search is then retried plain)."""
        ...


class Backend(Protocol):
    """A store backend's primitives: what the table families are written against."""

    @property
    def dialect(self) -> Dialect: ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...
    def executemany(self, sql: str, rows: Any) -> Cursor: ...
    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame: ...
    def columns(self, table: str) -> list[str]: ...
    def column_types(self, table: str) -> list[tuple[str, str, bool]]: ...
    def tables(self) -> list[str]: ...
    def transaction(self) -> AbstractContextManager[Any]: ...
    def bump_version(self) -> None: ...
    def meta(self, key: str, default: str = "") -> str: ...
    def set_meta(self, key: str, value: str) -> None: ...
    def delete_meta(self, key: str) -> None: ...
    def close(self) -> None: ...
    def nearest_hashes(self, model: str, blob: bytes, n: int) -> list[str] | None: ...
    def index_vectors(self, model: str, progress: Any = None) -> int | None: ...

    @property
    def vector_search_note(self) -> str | None: ...
    @property
    def data_version(self) -> int: ...
    @property
    def active_fit(self) -> int | None: ...
    @property
    def path(self) -> str: ...
    @property
    def local_dir(self) -> Any: ...  # Path | None: this machine's folder for the store's files
    @property
    def local_name(self) -> str: ...


class Family:
    """One family of tables, bound to a store: its reads and writes are this object's methods."""

    def __init__(self, db: Any) -> None:
        self.db = db  # a Database (analysis.store.interface): its primitives and its other families
