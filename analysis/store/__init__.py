"""The data layer: the only package that speaks SQL. `Store` is the SQLite backend, `PgStore`
(analysis.store.postgres) the PostgreSQL one; `open_store` picks by the target (a file path or a
postgresql:// URL). `Database` (analysis.store.interface, with `Backend` and `Dialect` in
analysis.store.base) is the interface both implement. Table families are attributes of a store:
`store.articles`, `store.fits`, ..."""

from __future__ import annotations

import os

from analysis.store.base import StoreError, utcnow
from analysis.store.interface import Database
from analysis.store.migrations import SCHEMA_VERSION
from analysis.store.outlets import OUTLET_FIELDS
from analysis.store.sqlite import Store


def is_postgres(target: str | os.PathLike[str]) -> bool:
    """Whether a store target is a PostgreSQL URL rather than an SQLite file."""
    return str(target).startswith(("postgresql://", "postgres://"))


def open_store(target: str | os.PathLike[str], *, readonly: bool = False) -> Database:
    """The store at a target: an SQLite file path, or a postgresql://user@host/db URL."""
    if is_postgres(target):
        from analysis.store.postgres import PgStore

        return PgStore(str(target), readonly=readonly)
    return Store(target, readonly=readonly)


__all__ = ["OUTLET_FIELDS", "SCHEMA_VERSION", "Database", "Store", "StoreError", "is_postgres", "open_store", "utcnow"]
