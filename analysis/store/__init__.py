"""The data layer: the only package that speaks SQL. `Store` is the SQLite implementation."""

from analysis.store.sqlite import OUTLET_FIELDS, SCHEMA_VERSION, Store, StoreError, utcnow

__all__ = ["OUTLET_FIELDS", "SCHEMA_VERSION", "Store", "StoreError", "utcnow"]
