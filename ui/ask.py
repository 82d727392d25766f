"""The one cache between the pages and the engine: `ask(question, selection, ...)` runs a question of
analysis.explore (a function `question(store, ...) -> result`) on a read connection and keeps its answer per
store version, so a widget change that does not change the question costs nothing and new data is read as soon
as the store changes. The pages never compute: they ask and lay out the answer."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import streamlit as st

from analysis.store import open_store
from ui import data

P = ParamSpec("P")
T = TypeVar("T")
VERSION = "_store_version"


def ask(question: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The answer of question(store, *args, **kwargs) for the current store version (cached)."""
    version = st.session_state.get(VERSION)
    if version is None:
        version = data.data_version()
    return _answer(
        data.store_path(),
        int(version),
        question.__module__,
        question.__qualname__,
        args,
        tuple(sorted(kwargs.items())),
    )


def fresh(question: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """The answer of question(store, *args, **kwargs), not kept (a download written when its button is clicked)."""
    with open_store(data.store_path(), readonly=True) as store:
        return question(store, *args, **kwargs)


def remember_version(version: int) -> None:
    """The store version of this run (read once at the top of a page)."""
    st.session_state[VERSION] = version


@st.cache_data(show_spinner=False, max_entries=512)
def _answer(
    path: str, version: int, module: str, name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> Any:
    question = getattr(importlib.import_module(module), name)
    with open_store(path, readonly=True) as store:
        return question(store, *args, **dict(kwargs))
