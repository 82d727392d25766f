"""Topics and themes as the user curates them: the tables and choices with the user's edits applied, and
each edit (rename, merge, separate, hide, show) as one call returning the sentence saying what was done;
the Topics page, the sidebar and the command line all use these."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.errors import BadInput
from analysis.store import Database

# action -> (the store's method, what the sentence says; {id}, {kind}, {value} filled in)
TOPIC_EDITS: dict[str, tuple[str, str]] = {
    "rename": ("rename_topic", "Topic {id} is now called “{value}”."),
    "merge": ("merge_topics", "Topic {id} was merged into topic {value}."),
    "hide": ("hide_topic", "Topic {id} is hidden; its articles count as unassigned."),
    "show": ("show_topic", "Topic {id} is shown again."),
    "unmerge": ("unmerge_topic", "Topic {id} is separate again."),
}
THEME_EDITS: dict[str, tuple[str, str]] = {
    "rename": ("rename_theme", "Theme {id} is now called “{value}”."),
    "merge": ("merge_themes", "Theme {id} was merged into theme {value}; its topics are shown under it."),
    "unmerge": ("unmerge_theme", "Theme {id} is separate again."),
}

ENTITY_EDITS: dict[str, tuple[str, str]] = {
    "rename": ("rename_entity", "Entity {id} is now called “{value}”."),
    "merge": ("merge_entities", "Entity {id} was merged into entity {value}; its mentions count there."),
    "unmerge": ("unmerge_entity", "Entity {id} is separate again."),
}


def _edit(store: Database, kind: str, table: dict[str, tuple[str, str]], action: str, ident: int, value: Any) -> str:
    if action not in table:
        raise BadInput(f"Unknown {kind} edit {action!r}; use one of {', '.join(table)}.")
    method, sentence = table[action]
    if action == "rename":
        value = " ".join(str(value or "").split())
    elif action == "merge":
        if value is None:
            raise BadInput(f"Say which {kind} to merge {kind} {ident} into.")
        value = int(value)
    args = () if value is None else (value,)
    if method == "show_topic":
        method, args = "hide_topic", (False,)
    getattr(store.entities if kind == "entity" else store.topics, method)(ident, *args)
    return sentence.format(id=ident, value=value)


def edit_topic(store: Database, action: str, topic: int, value: str | int | None = None) -> str:
    """Apply one edit to a topic of the active fit (value: the new label, or the topic to merge into)."""
    return _edit(store, "topic", TOPIC_EDITS, action, topic, value if action in ("rename", "merge") else None)


def edit_theme(store: Database, action: str, theme: int, value: str | int | None = None) -> str:
    """Apply one edit to a theme (value: the new label, or the theme to merge into)."""
    return _edit(store, "theme", THEME_EDITS, action, theme, value if action in ("rename", "merge") else None)


def edit_entity(store: Database, action: str, entity: int, value: str | int | None = None) -> str:
    """Apply one edit to a person, organisation or place (value: the new name, or the entity to merge into)."""
    return _edit(store, "entity", ENTITY_EDITS, action, entity, value if action in ("rename", "merge") else None)


def choices(store: Database, level: str = "topics") -> list[tuple[int, str]]:
    """(id, label) of the visible topics or (level "themes") the themes, biggest first; empty before the
    first fit."""
    if store.active_fit is None:
        return []
    if level == "themes":
        table = store.topics.theme_table()
        return [(int(t), str(lab)) for t, lab in zip(table["theme"], table["label"], strict=True)]
    table = store.topics.topic_table()
    return [(int(t), str(lab)) for t, lab in zip(table["topic"], table["label"], strict=True)]


def raw_topic_ids(store: Database, ids: tuple[int, ...], level: str = "topics") -> tuple[int, ...]:
    """The fit's topic ids behind displayed topics or (level "themes") themes, merges followed."""
    return store.topics.raw_theme_topic_ids(ids) if level == "themes" else store.topics.raw_topic_ids(ids)


def topic_table(store: Database, include_hidden: bool = False) -> pd.DataFrame:
    """The topics as the user sees them (labels, merges and hides applied), biggest first."""
    return store.topics.topic_table(include_hidden=include_hidden)


def theme_table(store: Database) -> pd.DataFrame:
    """The themes with their labels, sizes and topics, biggest first."""
    return store.topics.theme_table()


def merged_themes(store: Database) -> dict[int, int]:
    """Theme id -> the theme it was merged into."""
    return store.topics.merged_themes()
