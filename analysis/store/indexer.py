"""Search indexing beside a big import: a thread with its own connection indexes, in small transactions,
what the import commits without an index (SQLite's FTS5 work then runs on another core while the import
parses), so the articles become searchable soon after they are stored. Nothing to do on PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

from analysis.store import open_store


class BackgroundIndexer:
    """`with BackgroundIndexer(path): import ...` - on leaving, what is left is indexed before returning
    (unless an exception is leaving: then it stops after its current batch and the next command goes on)."""

    def __init__(self, path: str, batch: int = 1000, pause: float = 0.2) -> None:
        self.path, self.batch, self.pause = path, batch, pause
        self.indexed = 0
        self.error: BaseException | None = None
        self._importing = threading.Event()
        self._abort = threading.Event()
        self._thread = threading.Thread(target=self._run, name="search-indexer", daemon=True)

    def __enter__(self) -> BackgroundIndexer:
        if self.path != ":memory:":
            self._importing.set()
            self._thread.start()
        return self

    def __exit__(self, exc_type: Any, *rest: object) -> None:
        if exc_type is not None:
            self._abort.set()
        self._importing.clear()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        try:
            with open_store(self.path) as store:
                while not self._abort.is_set():
                    importing = self._importing.is_set()
                    self.indexed += store.index_search(batch=self.batch, stop=self._abort)
                    if not importing:  # the import had ended before this catch-up: nothing is left
                        return
                    self._abort.wait(self.pause)
        except BaseException as exc:  # the next command's catch-up finishes what this one could not
            self.error = exc
