"""News coverage explorer: routes the pages.

The shared sidebar filters live in ui/sidebar.py and every page draws them first (one call), bound
to the URL's query parameters. They are not drawn here because Streamlit's AppTest drops elements
of the entrypoint on reruns under st.navigation, which would leave them untestable.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="News coverage explorer", page_icon="📰", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
]

st.navigation(PAGES).run()
