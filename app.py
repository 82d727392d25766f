"""News coverage explorer: routes the pages (in views/; see README for why not pages/).

Each page draws the shared sidebar filters first (ui/sidebar.py); they are not drawn here because
Streamlit's AppTest drops elements of the entrypoint on reruns under st.navigation. Before a page
runs, ui.state rebuilds its URL from the session (filters and the page's own controls), because
Streamlit's page links drop the query string.

The address "/" is a hidden default page that runs the Overview's own script, so a bare link and
/overview?... both open the Overview with no forwarding step (the default page itself cannot answer at
/overview, and a forward through st.switch_page once raced the first run of a new server into Streamlit's
"Page not found" dialog).
"""

from __future__ import annotations

import streamlit as st

from analysis.config import Settings, use
from ui import state

use(Settings.from_env())  # read once per run of the script, at the edge; the library asks settings()
st.set_page_config(page_title="News coverage explorer", page_icon="📰", layout="wide")

PAGES = [
    st.Page("views/overview.py", title="Overview", url_path="home", default=True, visibility="hidden"),
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview"),
    st.Page("views/topics.py", title="Topics", icon=":material/bubble_chart:", url_path="topics"),
    st.Page("views/trends.py", title="Trends", icon=":material/trending_up:", url_path="trends"),
    st.Page("views/outlets.py", title="Outlets", icon=":material/compare:", url_path="outlets"),
    st.Page("views/stories.py", title="Stories", icon=":material/newspaper:", url_path="stories"),
    st.Page("views/entities.py", title="Entities", icon=":material/groups:", url_path="entities"),
    st.Page("views/blindspots.py", title="Blindspots", icon=":material/visibility_off:", url_path="blindspots"),
    st.Page("views/headlines.py", title="Headlines", icon=":material/public:", url_path="headlines"),
    st.Page("views/article.py", title="Article", icon=":material/article:", url_path="article"),
    st.Page("views/search.py", title="Search", icon=":material/search:", url_path="search"),
    st.Page("views/collect.py", title="Collect", icon=":material/cloud_download:", url_path="collect"),
]

page = st.navigation(PAGES)
state.begin(page.title)
page.run()
