"""The user's edits of topics, themes, entities and outlets, written to the store (every page and export follows at
once: the store's version changes, so every cached answer is asked again)."""

from __future__ import annotations

from analysis.explore import edits
from analysis.store import open_store
from ui import data

KINDS = {"topic": edits.edit_topic, "theme": edits.edit_theme, "entity": edits.edit_entity}


def edit(kind: str, action: str, ident: int, value: str | int | None = None) -> str:
    """Apply one edit (rename, merge, unmerge, hide, show) and return the sentence saying what was done; raises
    NewsError with the reason when it cannot be done."""
    with open_store(data.store_path()) as store:
        return KINDS[kind](store, action, ident, value)


def edit_all(kind: str, action: str, idents: list[int]) -> None:
    """The same edit of several (separating every topic merged into one)."""
    for ident in idents:
        edit(kind, action, ident)


def edit_outlets(changes: list[tuple[str, str, str]]) -> None:
    """Set the country and bias rating of outlets: (name, country, bias) each."""
    with open_store(data.store_path()) as store:
        for name, country, bias in changes:
            store.outlets.set_outlet(name, country=country, bias=bias)
