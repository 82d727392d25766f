"""Data: upload a CSV, JSON or Parquet file through the importers (with the row-error report), and
run the pipeline (topics, tone, summaries, stories) on what is new, with progress."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.importers import ImportFailed, import_file
from analysis.jobs import run_pipeline
from analysis.store import Store, StoreError
from ui import common, data, sidebar

sidebar.filters()
st.title("Data")
path = data.store_path()

st.subheader("Import a file")
st.caption("CSV, TSV, JSON, JSON Lines or Parquet (optionally gzipped). Columns are recognised by common names "
           "(title, text/body/content, url/link, outlet/source/publisher, date/published/pubDate, author); "
           "duplicates by URL or text are skipped; rows with problems are listed, the rest is kept.")  # fmt: skip
upload = st.file_uploader("File", type=["csv", "tsv", "json", "jsonl", "ndjson", "parquet", "gz"], key="upload")
c1, c2, c3 = st.columns(3)
outlet = c1.text_input("Outlet for rows without one", key="default_outlet", help="Optional.")
text_col = c2.text_input("Column holding the text (if not recognised)", key="map_text")
date_col = c3.text_input("Column holding the date (if not recognised)", key="map_date")
if upload is not None and st.button("Import", type="primary", key="do_import"):
    mapping = {k: v.strip() for k, v in (("text", text_col), ("published", date_col)) if v and v.strip()}
    bar = st.progress(0.0, text="Importing…")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / Path(upload.name).name
        target.write_bytes(upload.getbuffer())
        try:
            with Store(path) as store:
                report = import_file(
                    store, target, display_name=upload.name, outlet=outlet or None, mapping=mapping or None,
                    progress=lambda done, total: bar.progress(min(done / total, 1.0) if total else 0.0,
                                                              text=f"Importing… {done:,} of {total:,} bytes"),
                )  # fmt: skip
        except (ImportFailed, StoreError) as exc:
            bar.empty()
            st.error(str(exc))
            st.stop()
    bar.empty()
    st.session_state["import_report"] = {
        "summary": report.summary(),
        "problems": pd.DataFrame(
            [(r, "error", m) for r, m in report.errors] + [(r, "warning", m) for r, m in report.warnings],
            columns=["row", "kind", "message"],
        ).sort_values("row"),
    }
if "import_report" in st.session_state:
    rep = st.session_state["import_report"]
    st.success(rep["summary"])
    if not rep["problems"].empty:
        st.caption(f"{len(rep['problems']):,} rows had problems (the first 500 are shown):")
        st.dataframe(rep["problems"].head(500), hide_index=True, width="stretch")
        common.csv_download(rep["problems"], "import_problems.csv", key="dl_problems")

version = data.data_version()
if version >= 0:
    state = data.pipeline_state(path, version)
    st.subheader("Pipeline")
    m1, m2, m3 = st.columns(3)
    m1.metric("Articles", f"{state['articles']:,}")
    m2.metric("With a topic", f"{state['with_topic']:,}")
    m3.metric("With tone and summary", f"{state['with_intel']:,}")
    new = state["articles"] - state["with_topic"]
    if state["fitted"]:
        st.caption(f"{max(new, 0):,} articles have no topic yet. An update embeds and places only new articles "
                   "(seconds); a refit rebuilds every topic (minutes; edits and topic ids carry over).")  # fmt: skip
    else:
        st.caption("No topic model yet. The first fit embeds every article, finds topics, scores tone, writes "
                   "summaries and groups stories (about two minutes for the 8,000-article demo).")  # fmt: skip
    b1, b2 = st.columns(2)
    run_update = state["fitted"] and b1.button("Update new articles", type="primary", key="update", disabled=new <= 0)
    run_full = b2.button("Refit all topics" if state["fitted"] else "Fit topics", key="refit")
    if run_update or run_full:
        with st.status("Running the pipeline…", expanded=True) as status:
            line = st.empty()
            bar = st.progress(0.0)

            def show(stage: str, done: int, total: int) -> None:
                line.text(f"{stage}: {done:,} of {total:,}")
                bar.progress(min(done / total, 1.0) if total else 1.0)

            code, messages = run_pipeline(path, update=bool(run_update), on_progress=show)
            if code == 0:
                status.update(label="Pipeline finished", state="complete")
                st.text(messages)
            else:
                status.update(label="The pipeline stopped", state="error")
                st.error(messages.splitlines()[-1] if messages else "The pipeline failed without a message.")

    history = data.imports(path, version)
    if not history.empty:
        st.subheader("Imports")
        st.dataframe(history, hide_index=True, width="stretch")
