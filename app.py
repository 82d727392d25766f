"""News coverage explorer: routes the pages (in views/; see README for why not pages/).

The shared sidebar filters live in ui/sidebar.py and every page draws them first (one call), bound
to the URL's query parameters. They are not drawn here because Streamlit's AppTest drops elements
of the entrypoint on reruns under st.navigation, which would leave them untestable.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="News coverage explorer", page_icon="📰", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("views/topics.py", title="Topics", icon=":material/bubble_chart:", url_path="topics"),
    st.Page("views/trends.py", title="Trends", icon=":material/trending_up:", url_path="trends"),
    st.Page("views/outlets.py", title="Outlets", icon=":material/compare:", url_path="outlets"),
    st.Page("views/stories.py", title="Stories", icon=":material/newspaper:", url_path="stories"),
    st.Page("views/article.py", title="Article", icon=":material/article:", url_path="article"),
    st.Page("views/search.py", title="Search", icon=":material/search:", url_path="search"),
    st.Page("views/collect.py", title="Collect", icon=":material/cloud_download:", url_path="collect"),
]

st.navigation(PAGES).run()
