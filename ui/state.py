"""What a view shows lives in its address: the sidebar filters (shared by every page) and each page's
own controls (period, chart kind, chosen outlets, the open topic or article...).

Streamlit drops the query string when a sidebar page link is followed, and widgets on different pages
are different widgets even with one key. So the state is kept in the session as well: on every page
change the URL is rebuilt from it (filters, plus the controls this page had last time), each widget is
seeded from the URL before it is drawn, and every change a user makes is written back to the URL.
A link opened in a new tab starts a new session whose state is the link's. Values in a link that do
not exist (an outlet not in the store, a topic a refit removed) are dropped with a sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import streamlit as st

FILTERS = ("dates", "outlet", "bias", "country", "level", "topics", "themes", "mentions", "q")
_STATE = "_view_state"
_NOTES = "_view_notes"

Encoded = list[str]
Decoder = Callable[[Encoded], tuple[Any, str | None]]


def begin(page: str) -> None:
    """Called by app.py before a page runs: on a new page (or a new session) rebuild the URL."""
    ss = st.session_state
    url = {k: st.query_params.get_all(k) for k in st.query_params}
    state = ss.get(_STATE)
    first = state is None
    if state is None:
        state = {"filters": {}, "pages": {}, "known": {}, "page": None}
        ss[_STATE] = state
    fresh = state["page"] != page
    if fresh:
        # A sidebar link arrives with no query string: keep the session's filters. A link or a
        # back/forward step that names filters brings its own.
        if first or any(k in url for k in FILTERS):
            state["filters"] = {k: v for k in FILTERS if (v := [x for x in url.get(k, []) if x != ""])}
        mine = state["pages"].setdefault(page, {})
        # Streamlit writes the first query string after a page change onto the previous history entry,
        # so a back step can bring another page's controls: take only those this page is known to have.
        known = state["known"].get(page)
        mine.update({k: v for k, v in url.items() if k not in FILTERS and (known is None or k in known)})
        wanted = {**state["filters"], **mine}
        if wanted != url:
            st.query_params.from_dict(wanted)
        ss[_NOTES] = {}
    state["page"] = page
    ss["_view_fresh"] = fresh


def _page_state() -> dict[str, Encoded]:
    state = st.session_state.get(_STATE)
    if state is None:  # a page run without app.py (never in the app; kept safe for scripts)
        return {}
    return state["pages"].setdefault(state["page"], {})


def _store_for(key: str) -> dict[str, Encoded]:
    state = st.session_state.get(_STATE)
    if state is None:
        return {}
    return state["filters"] if key in FILTERS else _page_state()


def url_values(key: str) -> Encoded:
    """The values of a parameter in the address (repeated or comma-free), empty strings dropped."""
    return [v for v in st.query_params.get_all(key) if v != ""]


def _seed(key: str, default: Any, decode: Callable[[Encoded], tuple[Any, str | None]]) -> None:
    """Before a widget is drawn: on a new page (or when Streamlit forgot it) take its value from the URL."""
    ss = st.session_state
    if not ss.get("_view_fresh", True) and key in ss:
        return
    raw = url_values(key)
    value, note = decode(raw) if raw else (default, None)
    ss[key] = value
    if note:
        ss.setdefault(_NOTES, {})[key] = (note, value)


def _commit(key: str, encoded: Encoded, default: Encoded) -> None:
    """After a widget is drawn: its value into the URL and the session (removed when it is the default)."""
    store = _store_for(key)
    state = st.session_state.get(_STATE)
    if state is not None and key not in FILTERS:
        state["known"].setdefault(state["page"], set()).add(key)
    if encoded == default or not encoded:
        store.pop(key, None)
        if key in st.query_params:
            del st.query_params[key]
    else:
        store[key] = encoded
        if st.query_params.get_all(key) != encoded:
            st.query_params[key] = encoded


def _show_note(where: Any, key: str) -> None:
    note = st.session_state.get(_NOTES, {}).get(key)
    if note and st.session_state.get(key) == note[1]:
        where.warning(note[0], icon=":material/link_off:")


def set_control(key: str, value: Any | None) -> None:
    """Set a page parameter that no widget owns (e.g. the open story); None removes it."""
    _commit(key, [str(value)] if value is not None else [], [])


def forget(key: str) -> None:
    """Remove a parameter whose widget is not shown in this state of the page."""
    _commit(key, [], [])


def _one_of(
    options: Sequence[Any], what: str, missing: str | None = None
) -> Callable[[Encoded], tuple[Any, str | None]]:
    by_text = {str(o): o for o in options}
    missing = missing or "The link asks for " + what + " “{value}”, which is not available here; the default is shown."

    def decode(raw: Encoded) -> tuple[Any, str | None]:
        if raw[0] in by_text:
            return by_text[raw[0]], None
        return None, missing.format(value=raw[0])

    return decode


def selectbox(
    where: Any,
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    default: Any = None,
    what: str | None = None,
    missing: str | None = None,
    **kw: Any,
) -> Any:
    """st.selectbox kept in the URL. default None shows the placeholder; `missing` words the note for a
    value the options do not have ({value} is replaced)."""
    _seed(key, default, _or_default(_one_of(options, what or label.lower(), missing), default))
    value = where.selectbox(label, options, key=key, **({"index": None} if default is None else {}), **kw)
    _commit(key, [str(value)] if value is not None else [], [str(default)] if default is not None else [])
    _show_note(where, key)
    return value


def _or_default(decode: Decoder, default: Any) -> Decoder:
    """A decoder that falls back to the default (keeping the note) when the link's value is unusable."""

    def checked(raw: Encoded) -> tuple[Any, str | None]:
        value, note = decode(raw)
        return (default, note) if value is None else (value, None)

    return checked


def _single(
    where: Any, draw: str, label: str, args: tuple[Any, ...], *, key: str, default: Any, decode: Decoder, **kw: Any
) -> Any:
    """A one-value widget (radio, slider, number input, select slider) kept in the URL."""
    _seed(key, default, _or_default(decode, default))
    value = getattr(where, draw)(label, *args, key=key, **kw)
    _commit(key, [str(value)], [str(default)])
    _show_note(where, key)
    return value


def radio(where: Any, label: str, options: Sequence[Any], *, key: str, default: Any, **kw: Any) -> Any:
    """st.radio kept in the URL."""
    return _single(
        where, "radio", label, (options,), key=key, default=default, decode=_one_of(options, label.lower()), **kw
    )


def multiselect(
    where: Any,
    label: str,
    options: Sequence[Any],
    *,
    key: str,
    default: Sequence[Any] = (),
    what: str = "values",
    **kw: Any,
) -> list[Any]:
    """st.multiselect kept in the URL as a repeated parameter; unknown values are dropped with a note."""
    by_text = {str(o): o for o in options}

    def decode(raw: Encoded) -> tuple[Any, str | None]:
        known = list(dict.fromkeys(by_text[r] for r in raw if r in by_text))
        unknown = [r for r in raw if r not in by_text]
        note = (
            f"The link names {what} that are not in this store: {', '.join(unknown[:5])}"
            + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
            + "; they were left out."
            if unknown
            else None
        )
        return known, note

    _seed(key, [o for o in default if str(o) in by_text], decode)
    # Typing "CNN" + Enter must pick CNN: fuzzy matching also offered "Christian Science Monitor" and a
    # "Select 2 matches" entry that Enter took.
    kw.setdefault("filter_mode", "contains")
    kw.setdefault("select_all", False)
    value = where.multiselect(label, options, key=key, **kw)
    _commit(key, [str(v) for v in value], [str(v) for v in default])
    _show_note(where, key)
    return list(value)


def _int_in(lo: int, hi: int, label: str) -> Callable[[Encoded], tuple[Any, str | None]]:
    def decode(raw: Encoded) -> tuple[Any, str | None]:
        try:
            v = int(raw[0])
        except ValueError:
            return None, f"The link's {label.lower()} “{raw[0]}” is not a number; the default is used."
        return min(max(v, lo), hi), None

    return decode


def slider(where: Any, label: str, lo: int, hi: int, *, key: str, default: int, **kw: Any) -> int:
    """An integer st.slider kept in the URL (values outside the range are clamped)."""
    return int(_single(where, "slider", label, (lo, hi), key=key, default=default, decode=_int_in(lo, hi, label), **kw))


def number_input(where: Any, label: str, lo: int, hi: int, *, key: str, default: int, **kw: Any) -> int:
    """An integer st.number_input kept in the URL."""
    return int(
        _single(where, "number_input", label, (lo, hi), key=key, default=default, decode=_int_in(lo, hi, label), **kw)
    )


def select_slider(where: Any, label: str, options: Sequence[Any], *, key: str, default: Any, **kw: Any) -> Any:
    """st.select_slider kept in the URL."""
    return _single(
        where,
        "select_slider",
        label,
        (options,),
        key=key,
        default=default,
        decode=_one_of(options, label.lower()),
        **kw,
    )


def toggle(where: Any, label: str, *, key: str, default: bool = False, **kw: Any) -> bool:
    """st.toggle kept in the URL as 1 / 0."""
    _seed(key, default, lambda raw: (raw[0].lower() in ("1", "true", "yes", "on"), None))
    value = where.toggle(label, key=key, **kw)
    _commit(key, ["1" if value else "0"], ["1" if default else "0"])
    return bool(value)


def text_input(where: Any, label: str, *, key: str, default: str = "", **kw: Any) -> str:
    """st.text_input kept in the URL."""
    _seed(key, default, lambda raw: (raw[0], None))
    value = where.text_input(label, key=key, **kw)
    _commit(key, [value] if value else [], [default] if default else [])
    return str(value or "")


def lines_input(where: Any, label: str, *, key: str, max_lines: int = 5, **kw: Any) -> list[str]:
    """A st.text_area of one entry per line, kept in the URL as a repeated parameter."""
    _seed(key, "", lambda raw: ("\n".join(raw), None))
    value = where.text_area(label, key=key, **kw)
    entries = [x.strip() for x in str(value or "").splitlines() if x.strip()]
    _commit(key, entries, [])
    return entries


def date_range(where: Any, label: str, first: date, last: date, *, key: str, **kw: Any) -> tuple[date, date]:
    """A two-date st.date_input kept in the URL as ?dates=START&dates=END (one day: the same date twice).
    While a user has picked only the first date, the previous range stays in force."""

    def decode(raw: Encoded) -> tuple[Any, str | None]:
        try:
            days = [date.fromisoformat(r[:10]) for r in raw[:2]]
        except ValueError:
            return (
                first,
                last,
            ), f"The link's dates “{' to '.join(raw[:2])}” are not dates (YYYY-MM-DD); all dates are shown."
        start, end = (days[0], days[-1]) if len(days) else (first, last)
        if start > end:
            start, end = end, start
        if start > last or end < first:
            return (first, last), (
                f"The link's dates ({start} to {end}) lie outside the store's {first} to {last}; all dates are shown."
            )
        clamped = (min(max(start, first), last), min(max(end, first), last))
        note = None
        if clamped != (start, end):
            note = f"The link's dates reach outside the store's {first} to {last}; they were narrowed to fit."
        return clamped, note

    prev_key = f"_{key}_range"
    _seed(key, (first, last), decode)
    value = where.date_input(label, min_value=first, max_value=last, key=key, **kw)
    if isinstance(value, tuple | list) and len(value) == 2:
        picked = (value[0], value[1])
        st.session_state[prev_key] = picked
    else:  # half-picked: keep the range in force
        picked = st.session_state.get(prev_key, (first, last))
    encoded = [picked[0].isoformat(), picked[1].isoformat()]
    _commit(key, encoded, [first.isoformat(), last.isoformat()])
    _show_note(where, key)
    return picked


def day_input(where: Any, label: str, first: date, last: date, *, key: str, **kw: Any) -> date | None:
    """An optional single st.date_input kept in the URL as YYYY-MM-DD (none: no date chosen)."""

    def decode(raw: Encoded) -> tuple[Any, str | None]:
        try:
            day = date.fromisoformat(raw[0][:10])
        except ValueError:
            return None, f"The link's day “{raw[0]}” is not a date (YYYY-MM-DD); it was left out."
        return min(max(day, first), last), None

    _seed(key, None, decode)
    value = where.date_input(label, min_value=first, max_value=last, key=key, **kw)
    picked = value if isinstance(value, date) else None
    _commit(key, [picked.isoformat()] if picked else [], [])
    _show_note(where, key)
    return picked


def goto(page: str, **controls: Any) -> None:
    """Open another page with the current filters and the given page parameters."""
    state = st.session_state.get(_STATE, {"filters": {}})
    params: dict[str, Any] = {**state["filters"], **{k: str(v) for k, v in controls.items() if v is not None}}
    st.switch_page(page, query_params=params)


def tabs(where: Any, labels: Sequence[str], *, key: str, default: str | None = None) -> list[Any]:
    """st.tabs whose open tab lives in the URL (?KEY=label) and whose closed tabs do not run: draw a tab's content
    only `if tab.open`. A page's first render then sends only what its open tab shows."""
    first = default if default is not None else labels[0]
    _seed(key, first, _or_default(_one_of(labels, "tab"), first))
    if st.session_state.get(key) not in labels:
        st.session_state[key] = first
    found = where.tabs(list(labels), key=key, on_change="rerun")
    _commit(key, [str(st.session_state.get(key, first))], [first])
    _show_note(where, key)
    return list(found)


def tabbed(where: Any, parts: Sequence[tuple[str, Callable[[], None]]], *, key: str) -> None:
    """Tabs (label, draw) whose open one lives in the URL; only the open tab's draw() runs."""
    for tab, (_, draw) in zip(tabs(where, [label for label, _ in parts], key=key), parts, strict=True):
        with tab:
            if tab.open:
                draw()
