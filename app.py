"""News coverage explorer: routes the pages and draws the shared sidebar filters."""

from __future__ import annotations

import streamlit as st

from ui import sidebar

st.set_page_config(page_title="News coverage explorer", page_icon="📰", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
]

nav = st.navigation(PAGES)
sidebar.filters()
nav.run()
