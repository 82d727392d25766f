"""Streamlit glue: cached loaders and the shared sidebar. Pages import from here, never from each other."""
