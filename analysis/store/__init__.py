"""The data layer: the only package that speaks SQL. `Store` is the SQLite backend; `Database`
(analysis.store.interface, with `Backend` and `Dialect` in analysis.store.base) is the interface a second
backend implements. Table families are attributes of a store: `store.articles`, `store.fits`, ..."""

from analysis.store.base import StoreError, utcnow
from analysis.store.interface import Database
from analysis.store.migrations import SCHEMA_VERSION
from analysis.store.outlets import OUTLET_FIELDS
from analysis.store.sqlite import Store

__all__ = ["OUTLET_FIELDS", "SCHEMA_VERSION", "Database", "Store", "StoreError", "utcnow"]
