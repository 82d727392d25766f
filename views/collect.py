"""Collect: paste feeds or article URLs (fetched safely and politely by the collector in a child
process), upload files (CSV/JSON/Parquet through the importers, saved HTML pages or a .zip of them
through the collector), then run the pipeline on what is new, with progress."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.explore import corpus
from analysis.explore.results import plural
from ui import common, data, sidebar
from ui.ask import ask
from ui.edits import edit_outlets
from ui.runs import run_collect, run_import, run_outlet_import, run_pipeline

sidebar.selection()
st.title("Collect")
path = data.store_path()

st.subheader("Collect from the web")
st.caption(
    "Feeds (RSS, Atom, JSON Feed), sitemaps or a site's home page (its feeds are found), and article URLs, "
    "one per line. Pages are fetched politely (robots.txt, at most 2 requests at once per site) and read with "
    "newspaper; private and local network addresses are never fetched. Articles already stored are not "
    "fetched again; copies of the same wire story are kept and linked to the first."
)
w1, w2 = st.columns(2)
feeds_text = w1.text_area(
    "Feeds, sitemaps or home pages", key="collect_feeds", height=120, placeholder="https://www.example-news.com/rss.xml"
)
urls_text = w2.text_area(
    "Article URLs", key="collect_urls", height=120, placeholder="https://www.example-news.com/2026/11/25/story.html"
)
# Not disabled while empty: a browser commits the text areas on blur, so the first click after typing
# would land on a still-disabled button.
if st.button("Collect", type="primary", key="do_collect") and not (feeds_text.strip() or urls_text.strip()):
    st.warning("Paste at least one feed, sitemap, home page or article URL first.")
elif st.session_state.get("do_collect"):
    feeds = [x.strip() for x in feeds_text.splitlines() if x.strip()]
    urls = [x.strip() for x in urls_text.splitlines() if x.strip()]
    with st.status("Collecting…", expanded=True) as status:
        show_collect = common.progress_display(lambda stage, done, total: f"{done:,} of {total:,} pages")
        code, messages, summary = run_collect(path, feeds, urls, on_progress=show_collect)
        if code == 0 and summary is not None:
            status.update(label="Collection finished", state="complete")
        else:
            status.update(label="The collection stopped", state="error")
    if code == 0 and summary is not None:
        st.session_state["collect_report"] = summary
        st.rerun()  # every count on the page (and the sidebar's) from the new data
    else:
        st.error(messages.splitlines()[-1].removeprefix("error: ") if messages else "The collection failed.")

if "collect_report" in st.session_state:
    rep = st.session_state["collect_report"]
    said = st.success if not rep["failures"] else st.warning if rep["stored"] else st.error
    said(
        f"Fetched {rep['fetched']:,} pages; stored {rep['stored']:,} new articles ({rep['near_duplicates']:,} of them "
        f"near-duplicates linked to an earlier copy); {rep['duplicates']:,} duplicates skipped; {rep['already']:,} "
        f"already in the store; {len(rep['failures']):,} failed."
        + (f" {rep['not_modified']:,} feeds had nothing new." if rep.get("not_modified") else "")
    )
    if rep["failures"]:
        failures = pd.DataFrame(rep["failures"], columns=["url", "reason", "message"])
        counts = failures["reason"].value_counts()
        st.caption("Failures by reason: " + "; ".join(f"{common.plain(k)} ({v:,})" for k, v in counts.items()))
        st.dataframe(
            failures,
            hide_index=True,
            width="stretch",
            column_config={
                "url": st.column_config.TextColumn("Address"),
                "reason": "Reason",
                "message": st.column_config.TextColumn("What happened", width="large"),
            },
        )
        common.csv_download(failures, "collect_failures.csv", key="dl_collect_failures")
st.subheader("Import a file or saved pages")
st.caption(
    "CSV, TSV, JSON, JSON Lines or Parquet (optionally gzipped). Columns are recognised by common names "
    "(title, text/body/content, url/link, outlet/source/publisher, date/published/pubDate, author); "
    "duplicates by URL or text are skipped; rows with problems are listed, the rest is kept. "
    "Saved web pages (.html) or a .zip of them are read like collected pages; the original address is "
    "taken from the page's canonical link."
)
upload = st.file_uploader(
    "File", type=["csv", "tsv", "json", "jsonl", "ndjson", "parquet", "gz", "html", "htm", "zip"], key="upload"
)
is_pages = upload is not None and upload.name.lower().endswith((".html", ".htm", ".zip"))
c1, c2, c3 = st.columns(3)
outlet = c1.text_input("Outlet for rows without one", key="default_outlet", help="Optional.")
text_col = c2.text_input("Column holding the text (if not recognised)", key="map_text")
date_col = c3.text_input("Column holding the date (if not recognised)", key="map_date")
if is_pages and upload is not None and st.button("Import pages", type="primary", key="do_import_pages"):
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / Path(upload.name).name
        target.write_bytes(upload.getbuffer())
        with st.spinner("Reading pages…"):
            code, messages, summary = run_collect(path, [], [], html=[target])
    if code == 0 and summary is not None:
        st.session_state["collect_report"] = summary
        st.rerun()
    else:
        st.error(messages.splitlines()[-1].removeprefix("error: ") if messages else "The pages could not be read.")
if upload is not None and not is_pages and st.button("Import", type="primary", key="do_import"):
    mapping = {k: v.strip() for k, v in (("text", text_col), ("published", date_col)) if v and v.strip()}
    bar = st.progress(0.0, text="Importing…")

    def read(_: str, done: int, total: int) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.0, text=f"Importing… {done:,} of {total:,} bytes")

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / Path(upload.name).name  # listed under the uploaded file's name
        target.write_bytes(upload.getbuffer())
        code, messages, report = run_import(
            path,
            target,
            outlet=outlet or None,
            mapping=mapping or None,
            on_progress=read,
        )
    bar.empty()
    if code != 0 or report is None:
        st.error(messages.splitlines()[-1].removeprefix("error: ") if messages else "The file could not be imported.")
        st.stop()
    st.session_state["import_report"] = {
        "summary": report["summary"],
        "problems": pd.DataFrame(
            [(r, "error", m) for r, m in report["errors"]] + [(r, "warning", m) for r, m in report["warnings"]],
            columns=["row", "kind", "message"],
        ).sort_values("row"),
    }
    st.rerun()
if "import_report" in st.session_state:
    rep = st.session_state["import_report"]
    st.success(rep["summary"])
    if not rep["problems"].empty:
        st.caption(f"{plural(len(rep['problems']), 'row')} had problems (the first 500 are shown):")
        st.dataframe(
            rep["problems"].head(500),
            hide_index=True,
            width="stretch",
            column_config={
                "row": "Row",
                "kind": "Kind",
                "message": st.column_config.TextColumn("Problem", width="large"),
            },
        )
        common.csv_download(rep["problems"], "import_problems.csv", key="dl_problems")

version = data.data_version()
if version >= 0:
    st.subheader("Outlets: countries and bias ratings")
    st.caption(
        "The Headlines page groups stories by the country of their outlets; Blindspots and the bias "
        "comparisons need each outlet's bias rating (left, lean left, center, lean right, right). Edit them "
        "here, or upload a CSV with a name column and any of country, bias, owner, domain."
    )
    table = ask(corpus.outlet_listing)[["name", "articles", "country", "bias"]]
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        key="outlet_editor",
        disabled=["name", "articles"],
        column_config={"name": "Outlet", "articles": "Articles", "country": "Country (code)", "bias": "Bias rating"},
    )
    changed = edited[(edited[["country", "bias"]].fillna("") != table[["country", "bias"]].fillna("")).any(axis=1)]
    o1, o2 = st.columns(2)
    if o1.button(f"Save {plural(len(changed), 'change')}", key="save_outlets", disabled=changed.empty):
        edit_outlets([(r.name, (r.country or "").strip(), (r.bias or "").strip()) for r in changed.itertuples()])
        st.rerun()
    outlet_file = o2.file_uploader("Outlet metadata (CSV)", type=["csv"], key="outlet_file")
    if outlet_file is not None and o2.button("Import outlet metadata", key="import_outlets"):
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / Path(outlet_file.name).name
            target.write_bytes(outlet_file.getbuffer())
            code, out = run_outlet_import(path, target)
        if code == 0:
            st.success(out.splitlines()[-1].replace(str(target), outlet_file.name))
        else:
            st.error(out.splitlines()[-1].removeprefix("error: ") if out else "The file could not be imported.")

    state = ask(corpus.pipeline_state)
    st.subheader("Pipeline")
    m1, m2, m3 = st.columns(3)
    m1.metric("Articles", f"{state.articles:,}")
    m2.metric(
        "Placed by the topic model",
        f"{state.with_topic:,}",
        help=f"{state.in_no_topic:,} of them are in no topic: too unlike every topic (shown as unassigned).",
    )
    m3.metric("With tone and summary", f"{state.with_intel:,}")
    new = state.articles - state.with_topic
    update_time = ask(corpus.run_estimate, False).text()
    refit_time = ask(corpus.run_estimate, True).text()
    if state.fitted:
        st.caption(
            f"{max(new, 0):,} articles are not placed yet; {state.in_no_topic:,} placed ones are in no topic (too "
            f"unlike every topic). An update embeds and places only new articles: {update_time}. A refit rebuilds "
            f"every topic, keeping edits and topic ids: {refit_time}."
        )
    else:
        st.caption(
            "No topic model yet. The first fit embeds every article, finds topics, scores tone, writes "
            f"summaries and groups stories: {refit_time}."
        )
    b1, b2 = st.columns(2)
    run_update = state.fitted and b1.button("Update new articles", type="primary", key="update", disabled=new <= 0)
    run_full = b2.button("Refit all topics" if state.fitted else "Fit topics", key="refit")
    if run_update or run_full:
        with st.status("Running the pipeline…", expanded=True) as status:
            code, messages = run_pipeline(path, update=bool(run_update), on_progress=common.stage_bars())
            if code == 0:
                status.update(label="Pipeline finished", state="complete")
                st.session_state["pipeline_report"] = messages
            else:
                status.update(label="The pipeline stopped", state="error")
                st.error(messages.splitlines()[-1] if messages else "The pipeline failed without a message.")
        if code == 0:
            st.rerun()  # the counts above, and every page, from the new data
    if st.session_state.get("pipeline_report"):
        st.success("The pipeline finished; the counts above are up to date.")
        st.text(st.session_state["pipeline_report"])

    history = ask(corpus.imports)
    if not history.empty:
        st.subheader("Imports")
        st.dataframe(
            history,
            hide_index=True,
            width="stretch",
            column_config={
                "id": "Import",
                "source": "File",
                "started": "Started",
                "finished": "Finished",
                "status": "Status",
                "rows_read": "Rows read",
                "stored": "Stored",
                "duplicates": "Duplicates",
                "rejected": "Rejected",
                "message": st.column_config.TextColumn("Summary", width="large"),
            },
        )
    runs = ask(corpus.collect_runs)
    if not runs.empty:
        st.subheader("Collection runs")
        st.dataframe(
            runs,
            hide_index=True,
            width="stretch",
            column_config={
                "run": "Run",
                "started": "Started",
                "finished": "Finished",
                "status": "Status",
                "fetched": "Fetched",
                "stored": "Stored",
                "near-duplicates": "Near-duplicates",
                "duplicates": "Duplicates",
                "failed": "Failed",
            },
        )
