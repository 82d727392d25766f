"""Rising and falling topics or themes as the Overview and Trends show them: the bars of the significant changes
(or all, when asked), the one test's note, and the articles behind a clicked bar."""

from __future__ import annotations

import streamlit as st

from analysis.explore import stats
from analysis.explore.behind import behind
from analysis.explore.selection import Selection
from analysis.explore.trends import Changes
from ui import common, state
from ui.ask import ask
from ui.compare_charts import change_bars


def rising_falling(sel: Selection, changes: Changes, noun: str, k: int = 8) -> None:
    """The changes of `sel` (a question's answer) with the toggle for the non-significant ones."""
    show_all = state.toggle(st, "Also show changes that are not significant (grey)", key="all_changes")
    ev = common.chart(
        change_bars(changes, k=k, significant_only=not show_all),
        key="changes",
        table=changes.table,
        name=common.filename("rising_falling", noun, "s", changes.period),
        about=common.about(sel, f"change in each {noun}'s share of all articles, {changes.period} on {changes.period}"),
        on_select="rerun",
        selection_mode="points",
    )
    st.caption(stats.note(changes.tests) + " Shares are of all articles from the chosen outlets in each period.")
    pt = common.clicked(ev)
    if pt and pt["custom"] and changes.now is not None:
        unit = int(pt["custom"][0])
        found = ask(behind, sel, changes.period, changes.now.date(), ((noun, unit),))
        label = changes.table.loc[changes.table[noun] == unit, f"{noun}_label"].iloc[0]
        common.behind(found, f"{label}, {changes.period} of {changes.now:%Y-%m-%d}", "changes_behind")
