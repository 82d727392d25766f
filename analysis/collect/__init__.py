"""Collecting from the web: safe fetching, feeds, article pages, near-duplicates, the collection runner."""
